"""Tool choice on single-turn utterances: the first tool call the agent makes, against labels.

    python bench/tool_choice.py --labels ../shared/data/labels/tool_choice_dev.jsonl [--model …]
    python bench/tool_choice.py --labels ../shared/data/webshop/instruction_to_query_dev.jsonl --limit 100

Each utterance is a fresh single turn through the real `Agent`, the real tool registry and the real stores
(the demo catalog unless --catalog), with every write declined. The stream is read until the first
`tool_call` event (the decision) or the first text (no tool); that is what the agent would do.

Two label formats (see ../shared/data/SOURCES.md):
- `{"uid", "utterance", "tool", "args"}` (tool "none" = no call). `args` lists only what must hold:
  `query_contains` words must each occur in the query (a substring, any case); numbers must be equal;
  product ids match whatever the prefix and zero padding ("42" = "P42" = "P0042"); `product_ids` compare as
  sets; a labelled `brand` or `category` may also arrive inside the query text instead of as a filter.
- WebShop `{"instruction", "human_queries"}`: the expected tool is search_catalog; a price cap stated in
  the instruction ("price lower than 40.00 dollars") must arrive as max_price; query word recall is the
  share of a human query's content words found in the agent's query (the best of the human queries).

Prints one line per utterance with --verbose, then a final JSON line: tool accuracy, argument accuracy,
price-cap accuracy, query word recall, seconds per utterance.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent import Agent, AgentSettings, load_model  # noqa: E402
from tools import app  # noqa: E402
from tools.ids import id_key  # noqa: E402
from agent.events import Error, TextEvent, ToolCallEvent  # noqa: E402
from tools.constraints import parse_constraints  # noqa: E402

NONE = "none"
_WORD = re.compile(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*")
# Words that carry no product meaning in a query (and the price phrasing WebShop appends to instructions).
_STOP = set("""a an and the of for to in on with without by from or my me i im i'm am is are be it its this that
looking search searching find need want buy get please pls some any also should would like which has have
price lower than less under dollars dollar usd up""".split())


def read_labels(path: Path) -> list[dict[str, Any]]:
    """Both label formats as {"uid", "utterance", "tool", "args", "human_queries"?}."""
    rows = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        if "instruction" in row:  # WebShop: always a search; the stated price cap is a required argument
            cap = price_cap(row["instruction"])
            rows.append({"uid": f"ws-{i + 1:04d}", "utterance": row["instruction"], "tool": "search_catalog",
                         "args": {"max_price": cap} if cap is not None else {},
                         "human_queries": row["human_queries"]})
        else:
            rows.append(row)
    return rows


def price_cap(text: str) -> float | None:
    """The upper price bound an instruction states ("lower than 40.00 dollars", "under $25"), if any."""
    cap = parse_constraints(text).max_price  # the shop's one budget parser
    return float(cap) if cap is not None else None


def norm_id(value: Any) -> str:
    return id_key(value)


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and not re.fullmatch(r"[\d.]+", w)}


def check_args(expected: dict[str, Any], got: Any) -> list[str]:
    """The labelled arguments the call got wrong (empty: all right)."""
    if not isinstance(got, dict):
        return ["arguments are not a JSON object"]
    wrong = []
    query = str(got.get("query") or "").lower()
    for key, want in expected.items():
        have = got.get(key)
        if key == "query_contains":
            missing = [w for w in want if w.lower() not in query]
            if missing:
                wrong.append(f"query {query!r} lacks {missing}")
        elif key in ("product_id", "based_on"):
            if have is None or norm_id(have) != norm_id(want):
                wrong.append(f"{key} {have!r} != {want!r}")
        elif key == "product_ids":
            if not isinstance(have, list) or {norm_id(v) for v in have} != {norm_id(v) for v in want}:
                wrong.append(f"{key} {have!r} != {want!r}")
        elif key in ("brand", "category"):
            if not ((isinstance(have, str) and have.lower() == str(want).lower()) or str(want).lower() in query):
                wrong.append(f"{key} {have!r} != {want!r}")
        elif isinstance(want, (int, float)) and not isinstance(want, bool):
            if not isinstance(have, (int, float)) or abs(float(have) - float(want)) > 1e-6:
                wrong.append(f"{key} {have!r} != {want!r}")
        elif str(have).lower() != str(want).lower():
            wrong.append(f"{key} {have!r} != {want!r}")
    return wrong


def query_recall(row: dict[str, Any], tool: str, args: Any) -> float | None:
    """Share of the wanted query words present in the agent's query (None: nothing to recall)."""
    query = str(args.get("query") or "") if tool == "search_catalog" and isinstance(args, dict) else ""
    if "human_queries" in row:
        got = words(query)
        recalls = [len(got & w) / len(w) for w in map(words, row["human_queries"]) if w]
        return max(recalls) if recalls else None
    want = row["args"].get("query_contains") if row["tool"] == "search_catalog" else None
    if not want:
        return None
    return sum(w.lower() in query.lower() for w in want) / len(want)


def first_decision(agent: Agent, text: str) -> tuple[str, Any, str | None]:
    """(tool name or "none", arguments, error) of the agent's first step on `text`."""
    stream = agent.run(text)
    try:
        for event in stream:
            if isinstance(event, ToolCallEvent):
                return event.name, event.arguments, None
            if isinstance(event, TextEvent):
                return NONE, {}, None
            if isinstance(event, Error):
                return NONE, {}, event.message
        return NONE, {}, None
    finally:
        stream.close()  # the rest of the turn (running the tool, the reply) is not measured


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--labels", required=True, type=Path, help="tool-choice or WebShop instruction labels (.jsonl)")
    p.add_argument("--limit", type=int, help="only the first N utterances (after --offset)")
    p.add_argument("--offset", type=int, default=0, help="skip the first N utterances")
    p.add_argument("--shopper", default="S001", help="the signed-in demo shopper (default S001)")
    p.add_argument("--verbose", action="store_true", help="one line per utterance on stderr")
    p.add_argument("--few-shot", type=Path, help="another few-shot bank (YAML) instead of prompts/fewshot.yaml")
    app.add_model_args(p)
    app.add_catalog_args(p)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from agent.tools import ToolRegistry
    from tools import SHOPPING_TOOLS

    rows = read_labels(args.labels)[args.offset:]
    rows = rows[: args.limit] if args.limit is not None else rows
    settings = app.model_settings(args)
    if args.few_shot:
        settings.few_shot = yaml.safe_load(args.few_shot.read_text(encoding="utf-8"))
    model = load_model(settings)
    registry = app.build_registry()
    if "write_description" not in registry.names:  # being added to the registry; the labels expect it
        try:
            from tools.describe import write_description
        except ImportError:
            pass
        else:
            registry = ToolRegistry([*SHOPPING_TOOLS, write_description])
    system = app.system_prompt(args.shopper)
    with tempfile.TemporaryDirectory() as state:  # carts and histories stay untouched (writes are declined anyway)
        stores = app.open_deps(args.catalog, args.chroma_url, state_dir=state, llm=model)
        # The first step evaluates the header and examples (then reused from the KV cache); timed apart.
        t0 = time.perf_counter()
        first_decision(Agent(model, registry, app.shop_context(stores, args.shopper), system_prompt=system,
                             settings=AgentSettings(max_steps=1)), "hello")
        warmup = time.perf_counter() - t0
        results: list[dict[str, Any]] = []
        try:
            _run_rows(rows, results, model, registry, stores, system, args)
        except KeyboardInterrupt:  # Ctrl-C: still summarise what ran
            interrupted = True
        else:
            interrupted = False
    print(json.dumps({**summary(results, args), "warmup_s": round(warmup, 2),
                      **({"interrupted_after": len(results)} if interrupted else {})}, ensure_ascii=False))
    return 0


def _run_rows(rows: list[dict[str, Any]], results: list[dict[str, Any]], model: Any, registry: Any, stores: Any,
              system: str, args: argparse.Namespace) -> None:
    """Each utterance as a fresh single turn; appends to `results` as it goes (kept when interrupted)."""
    for row in rows:
        agent = Agent(model, registry, app.shop_context(stores, args.shopper), system_prompt=system,
                      settings=AgentSettings(max_steps=1))
        t0 = time.perf_counter()
        tool, got, error = first_decision(agent, row["utterance"])
        seconds = time.perf_counter() - t0
        tool_ok = tool == row["tool"]
        wrong = check_args(row["args"], got) if tool_ok else [f"tool {tool} != {row['tool']}"]
        cap = row["args"].get("max_price")
        res = {"uid": row["uid"], "expected": row["tool"], "tool": tool, "args": got, "tool_ok": tool_ok,
               "args_ok": tool_ok and not wrong, "seconds": seconds, "error": error,
               "recall": query_recall(row, tool, got),
               "cap_ok": None if cap is None else (tool == "search_catalog" and isinstance(got, dict)
                                                   and not check_args({"max_price": cap}, got)),
               "spurious_cap": cap is None and isinstance(got, dict) and got.get("max_price") is not None}
        results.append(res)
        if args.verbose:
            mark = "ok " if res["args_ok"] else ("~  " if tool_ok else "XX ")
            print(f"{mark}{row['uid']} {seconds:4.1f}s {row['utterance'][:70]!r} -> {tool} "
                  f"{json.dumps(got, ensure_ascii=False)[:110]}" + (f"  [{'; '.join(wrong)}]" if wrong else ""),
                  file=sys.stderr, flush=True)


def summary(results: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    n = len(results)
    caps = [r["cap_ok"] for r in results if r["cap_ok"] is not None]
    recalls = [r["recall"] for r in results if r["recall"] is not None]
    by_tool: dict[str, list[int]] = {}
    for r in results:
        by_tool.setdefault(r["expected"], [0, 0])
        by_tool[r["expected"]][0] += r["tool_ok"]
        by_tool[r["expected"]][1] += 1
    return {
        "labels": args.labels.name, "n": n, "model": app.model_settings(args).describe(),
        "preparer": not args.no_preparer, "few_shot": str(args.few_shot or "prompts/fewshot.yaml"),
        "tool_accuracy": round(sum(r["tool_ok"] for r in results) / n, 4) if n else None,
        "argument_accuracy": round(sum(r["args_ok"] for r in results) / n, 4) if n else None,
        "price_cap_accuracy": round(sum(caps) / len(caps), 4) if caps else None, "price_cap_n": len(caps),
        "spurious_price_caps": sum(r["spurious_cap"] for r in results),
        "query_word_recall": round(statistics.mean(recalls), 4) if recalls else None,
        "seconds_per_utterance": round(statistics.mean(r["seconds"] for r in results), 3) if n else None,
        "errors": sum(r["error"] is not None for r in results),
        "per_tool": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_tool.items())},
        "confusions": dict(Counter(f"{r['expected']}->{r['tool']}" for r in results if not r["tool_ok"])),
    }


if __name__ == "__main__":
    raise SystemExit(main())
