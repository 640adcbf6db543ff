"""Shopper lines in Spanish, French, German and Chinese through the small-model hints: tool, budget, query words.

    python bench/languages.py [--labels tests/data/multilingual_dev.jsonl] [--no-lexicon] [--verbose]

Each row: {"text", "lang", "tool", "max_price", "query_contains"}. Through tools/hints.py's ShoppingHints with
the real intent index (MiniLM over prompts/intents.yaml): the `likely` tool, the `max_price` hint and the
`query "…"` phrase, which must hold each English word in query_contains. With --no-lexicon the product-word
lexicon (prompts/product_words.yaml) is switched off, to measure what it brings. Prints a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tools.hints as hints_module  # noqa: E402
from tools.app import build_registry  # noqa: E402
from tools.hints import ShoppingHints  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "multilingual_dev.jsonl"


def _field(line: str, name: str) -> str | None:
    m = re.search(rf'(?:^|; ){name} ("[^"]*"|\S+?)(?=;|$)', line)
    return m.group(1).strip('"') if m else None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--labels", type=Path, default=DEFAULT)
    p.add_argument("--no-lexicon", action="store_true", help="leave lines untranslated (the baseline)")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    if args.no_lexicon:  # a measurement switch only: the shipped hints always translate
        hints_module.to_english = lambda text, lang=None: text  # type: ignore[assignment]
    hints = ShoppingHints(build_registry())
    rows = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    tool_ok = cap_ok = caps = words_ok = words_n = 0
    per_lang: dict[str, list[int]] = {}
    for row in rows:
        line = hints.note(row["text"])
        likely, cap, query = _field(line, "likely"), _field(line, "max_price"), _field(line, "query") or ""
        good_tool = likely == row["tool"]
        tool_ok += good_tool
        stats = per_lang.setdefault(row["lang"], [0, 0])
        stats[0] += good_tool
        stats[1] += 1
        if row.get("max_price") is not None:
            caps += 1
            cap_ok += cap is not None and float(cap) == float(row["max_price"])
        for word in row.get("query_contains") or []:
            words_n += 1
            words_ok += word.lower() in query.lower()
        if args.verbose:
            print(f"{'ok' if good_tool else 'XX'} {row['text']!r} -> {line}", file=sys.stderr)
    n = len(rows)
    print(json.dumps({
        "labels": args.labels.name, "n": n, "lexicon": not args.no_lexicon,
        "tool_accuracy": round(tool_ok / n, 4) if n else None,
        "budget_accuracy": round(cap_ok / caps, 4) if caps else None, "budget_n": caps,
        "query_word_recall": round(words_ok / words_n, 4) if words_n else None,
        "per_language_tool": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_lang.items())},
        "languages": dict(Counter(r["lang"] for r in rows)),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
