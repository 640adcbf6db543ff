"""Search relevance on labelled queries: nDCG@10 and recall@10 of the dense, lexical and hybrid rankers.

    python bench/relevance.py --catalog ../shared/data/dummyjson/products.json \
        --labels ../shared/data/labels/dummyjson_search_dev.jsonl [--with-constraints]

Conventions (see ../shared/data/SOURCES.md, labels section):
- Graded gains 2^rel - 1 (labels 2 and 1, unlisted = 0), discount log2(rank + 1), ideal = the best
  ordering of all labelled products, cut at 10. recall@10 counts products labelled 2 found in the top 10,
  over min(10, number labelled 2).
- Every mode reads the constraints from the query text (the same parser for all three, so the comparison
  is about ranking); --no-parse turns that off (spelling correction stays on). With --with-constraints each label's `constraints` are also passed as explicit
  filters, which win over the parsed ones; `options` are not filters and stay in the text.
- `no_match` queries (nothing relevant exists) have no ideal ranking, so they are left out of nDCG and
  recall; their count and the hybrid top score are printed apart, as a check that such queries score low.
- tau-bench rows (item_id, product_name, options, price, available) are read through a small adapter:
  product_name is the title and the category, options become attributes.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.catalog.feeds import parse_mapping, read_feed  # noqa: E402
from tools.catalog.product import Product  # noqa: E402
from tools.catalog.search import Mode, search  # noqa: E402
from tools.catalog.store import CatalogStore  # noqa: E402

MODES: tuple[Mode, ...] = ("dense", "lexical", "hybrid")
FILTER_KEYS = ("max_price", "min_price", "category", "brand", "min_rating", "in_stock")


def ndcg(ranked: list[str], labels: dict[str, int], k: int = 10) -> float:
    """Graded nDCG@k with gain 2^rel - 1."""
    dcg = sum((2 ** labels.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted(labels.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], labels: dict[str, int], k: int = 10) -> float:
    """Share of the exact (grade 2) products in the top k, over at most k of them."""
    exact = {doc for doc, g in labels.items() if g == 2}
    return len(exact & set(ranked[:k])) / min(k, len(exact)) if exact else 0.0


def tau_products(path: Path) -> list[Product]:
    """tau-bench variant rows as products: product_name is title and category, options are attributes."""
    out = []
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Product(id=str(row["item_id"]), title=row["product_name"], category=[row["product_name"]],
                               price=float(row["price"]), available=bool(row["available"]),
                               attributes={str(k): str(v) for k, v in row["options"].items()}))
    return out


def load_products(path: Path, mapping: dict[str, str] | None) -> list[Product]:
    """Products from a feed file the catalog reader understands, or from a tau-bench variants file."""
    first = path.read_text().lstrip()[:2000]
    if path.suffix == ".jsonl" and '"item_id"' in first and '"options"' in first and not mapping:
        return tau_products(path)
    result = read_feed(path, mapping=mapping)
    if result.rejections:
        print(f"{len(result.rejections)} rows rejected, e.g. {result.rejections[0].reason}", file=sys.stderr)
    return [product for _, product in result.products]


def evaluate(store: Any, queries: list[dict[str, Any]], with_constraints: bool,
             verbose: bool = False, parse: bool = True) -> dict[str, Any]:
    """Run every labelled query in the three modes; mean metrics per mode."""
    scores: dict[str, dict[str, list[float]]] = {m: {"ndcg": [], "recall": [], "ms": []} for m in MODES}
    no_match_top: list[float] = []
    matched_top: list[float] = []
    for q in queries:
        explicit = {}
        if with_constraints:
            explicit = {k: v for k, v in (q.get("constraints") or {}).items() if k in FILTER_KEYS and v is not None}
        for mode in MODES:
            t0 = time.perf_counter()
            result = search(store, q["query"], mode=mode, limit=10, parse_constraints=parse, **explicit)
            scores[mode]["ms"].append((time.perf_counter() - t0) * 1000)
            ranked = [h.product.id for h in result.hits + result.alternatives]  # as shown: matches, then near misses
            if mode == "hybrid":
                top = result.hits[0].dense if result.hits and result.hits[0].dense is not None else 0.0
                (no_match_top if q.get("no_match") else matched_top).append(top)
            if q.get("no_match"):
                continue
            scores[mode]["ndcg"].append(ndcg(ranked, q["labels"]))
            scores[mode]["recall"].append(recall(ranked, q["labels"]))
            if verbose and mode == "hybrid":
                print(f"{q['qid']:8} nDCG {scores[mode]['ndcg'][-1]:.3f}  {q['query']!r} -> {result.query!r} "
                      f"{result.understood}")
    out: dict[str, Any] = {}
    for mode in MODES:
        out[f"ndcg10_{mode}"] = round(statistics.fmean(scores[mode]["ndcg"]), 4)
    for mode in MODES:
        out[f"recall10_{mode}"] = round(statistics.fmean(scores[mode]["recall"]), 4)
    out["queries"] = len(scores["hybrid"]["ndcg"])
    out["no_match_queries"] = len(no_match_top)
    out["no_match_top_semantic_max"] = round(max(no_match_top), 3) if no_match_top else None
    out["matched_top_semantic_median"] = round(statistics.median(matched_top), 3) if matched_top else None
    out["ms_per_query_hybrid_p50"] = round(statistics.median(scores["hybrid"]["ms"]), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--catalog", required=True, type=Path)
    parser.add_argument("--labels", required=True, type=Path)
    parser.add_argument("--with-constraints", action="store_true",
                        help="pass each label's constraints as explicit filters")
    parser.add_argument("--map", default="", help="rename feed fields, e.g. item_id=id,product_name=title")
    parser.add_argument("--no-parse", action="store_true",
                        help="do not read constraints from the text (the DESIGN.md baselines' setting)")
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per query")
    args = parser.parse_args(argv)

    products = load_products(args.catalog, parse_mapping(args.map) or None)
    queries = [json.loads(line) for line in args.labels.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        store = CatalogStore.open(Path(tmp))
        t0 = time.perf_counter()
        store.upsert(products)
        print(f"indexed {store.count()} products in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
        result = evaluate(store, queries, args.with_constraints, args.verbose, parse=not args.no_parse)
    print(f"{'mode':8} {'nDCG@10':>8} {'recall@10':>10}   ({result['queries']} queries, "
          f"{result['no_match_queries']} no-match left out)")
    for mode in MODES:
        print(f"{mode:8} {result[f'ndcg10_{mode}']:8.4f} {result[f'recall10_{mode}']:10.4f}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
