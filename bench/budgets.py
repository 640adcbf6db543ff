"""Budget and constraint parsing accuracy on labelled phrasings (tools/constraints.py).

    python bench/budgets.py [--labels tests/data/budget_dev.jsonl] [--verbose]

Each JSONL row: {"text", "lang", "max_price", "min_price", "min_rating", "open"} (null: not stated; "open": the
line names money but states no bound, so the price arguments must stay open). A row is right when every field
matches. An inverted bound is a cap read as a floor or a floor read as a cap. Prints a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.constraints import parse_constraints  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "budget_dev.jsonl"


def _same(want: Any, have: Any) -> bool:
    if want is None or have is None:
        return want is None and have is None
    return Decimal(str(want)) == Decimal(str(have))


def score(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """The summary, and one line per wrong row."""
    right, inverted, wrong = 0, 0, []
    by_lang: dict[str, list[int]] = {}
    for row in rows:
        c = parse_constraints(row["text"])
        got = {"max_price": c.max_price, "min_price": c.min_price, "min_rating": c.min_rating,
               "open": c.found_money_but_no_bound}
        ok = all(_same(row.get(k), got[k]) for k in ("max_price", "min_price", "min_rating")) and \
            bool(row.get("open")) == got["open"]
        flipped = (row.get("max_price") is not None and row.get("min_price") is None and c.min_price is not None
                   and c.max_price is None) or (row.get("min_price") is not None and row.get("max_price") is None
                                                and c.max_price is not None and c.min_price is None)
        right += ok
        inverted += flipped
        stats = by_lang.setdefault(row.get("lang", "?"), [0, 0])
        stats[0] += ok
        stats[1] += 1
        if not ok:
            wrong.append(f"{row['text']!r}: want {({k: row.get(k) for k in got})} got "
                         f"{({k: (float(v) if isinstance(v, Decimal) else v) for k, v in got.items()})}")
    n = len(rows)
    return {"n": n, "accuracy": round(right / n, 4) if n else None, "inverted_bounds": inverted,
            "per_language": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_lang.items())},
            "languages": dict(Counter(r.get("lang", "?") for r in rows))}, wrong


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--labels", type=Path, default=DEFAULT)
    p.add_argument("--verbose", action="store_true", help="print the rows it got wrong on stderr")
    args = p.parse_args(argv)
    summary, wrong = score(read(args.labels))
    if args.verbose:
        for line in wrong:
            print("XX " + line, file=sys.stderr)
    print(json.dumps({"labels": args.labels.name, **summary}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
