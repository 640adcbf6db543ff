"""Catalog speed: ingest rate against the raw embedding rate, and search latency at growing sizes.

    python bench/search.py [--sizes 1000,10000,100000] [--catalog data/demo/catalog.jsonl]

Catalogs larger than the source are SYNTHETIC: deterministic variations (seeded RNG) of the source
products, with new ids, title words, brands, prices and attributes. Latency is end-to-end `search()`
in hybrid mode (query embedding, Chroma query, BM25, fusion, loading the products), after one warm-up
query that builds the lexical index (its build time is reported apart).

Embedding 100k products takes from ~6 min (300/s) to over an hour on a busy two-core machine, so
catalogs above --reuse-vectors-above (default 10000) store each synthetic product under its source
product's real embedding plus seeded noise: Chroma, BM25 and fusion then work at full size and the
query is still embedded for real, which is what latency needs. The ingest-vs-embed ratio is measured on
real embeddings, at the first size when that one embeds for real (bench/ingest.py measures it on a file).
Each size also reports where the build time goes: synthetic generation, the store's phases (read known
hashes, prepare records and texts, embed or look up vectors, write to Chroma) and the BM25 build.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.catalog.embed import MiniLMEmbedding  # noqa: E402
from tools.catalog.feeds import read_feed  # noqa: E402
from tools.catalog.lexical import lexical_index  # noqa: E402
from tools.catalog.product import Product  # noqa: E402
from tools.catalog.search import search  # noqa: E402
from tools.catalog.store import CatalogStore  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "wireless headphones with noise cancelling", "headphones under $100", "running shoes for men",
    "waterproof hiking boots size 10", "laptop with 16gb ram under 1200", "espresso machine",
    "cheap coffee beans", "2 person tent", "insulated water bottle", "office chair with lumbar support",
    "desk lamp", "baby stroller", "dog food for puppies", "moisturiser for dry skin rated 4.5 stars or more",
    "gaming mouse", "smart watch with gps", "sleeping bag for cold weather", "backpacking pack 50l",
    "kitchen knife set", "bluetooth speaker between $30 and $80", "yoga mat", "tea", "diapers in stock",
    "lightweight rain jacket", "phone case", "4k monitor over $300", "blender for smoothies",
    "noise cancelling earbuds", "standing desk", "trail running shoes for women",
]
_ADJECTIVES = ["Pro", "Lite", "Max", "Plus", "Classic", "Sport", "Eco", "Mini", "Ultra", "Prime", "Air", "Go"]
_COLOURS = ["black", "white", "navy", "graphite", "red", "sage green", "sand", "blue", "grey", "olive"]
_BRAND_PARTS = (["Nor", "Vel", "Kai", "Lum", "Ter", "Zen", "Ori", "Pax", "Quo", "Bri"],
                ["dex", "tra", "vio", "mon", "ova", "ix", "ler", "isa", "ton", "ura"])


def synthetic(base: list[Product], n: int, seed: int = 7) -> list[Product]:
    """`n` products varied from `base` with a seeded RNG (ids syn-000000…): same kinds, new details."""
    rng = random.Random(seed)
    brands = [a + b for a in _BRAND_PARTS[0] for b in _BRAND_PARTS[1]]
    out = []
    for i in range(n):
        src = base[i % len(base)]
        colour = rng.choice(_COLOURS)
        price = round(max(1.0, src.price * rng.uniform(0.6, 1.6)), 0) - 0.01
        out.append(src.model_copy(update={
            "id": f"syn-{i:06d}",
            "title": f"{src.title} {rng.choice(_ADJECTIVES)} {rng.randint(2, 99)}",
            "brand": rng.choice(brands) if rng.random() < 0.5 else src.brand,
            "price": price, "sale_price": None,
            "rating": round(min(5.0, max(1.0, (src.rating or 4.0) + rng.uniform(-0.8, 0.5))), 1),
            "stock": rng.choice([0, 3, 12, 40, 150]),
            "attributes": {**src.attributes, "color": colour, "model_year": str(rng.randint(2019, 2026))},
            "reviews": src.reviews[:2],
        }))
    return out


class _ReusedVectors(MiniLMEmbedding):
    """MiniLM that answers known texts from a table (synthetic copies) and embeds the rest (queries)."""

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        super().__init__()
        self.table = table

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self.table]
        if missing:
            self.table.update(zip(missing, super().embed(missing)))
        return np.stack([self.table[t] for t in texts]) if texts else super().embed([])


def reused_vectors(base: list[Product], products: list[Product], embedder: MiniLMEmbedding,
                   seed: int = 11) -> _ReusedVectors:
    """An embedder whose vectors for `products` are their source's real vector plus small noise."""
    rng = np.random.default_rng(seed)
    source = embedder.embed([p.search_text() for p in base])
    table = {}
    for i, product in enumerate(products):
        vec = source[i % len(base)] + np.asarray(rng.normal(0, 0.02, source.shape[1]), dtype=np.float32)
        table[product.search_text()] = vec / np.linalg.norm(vec)
    return _ReusedVectors(table)


def _ms(samples: list[float], q: float) -> float:
    return round(statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1], 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000", help="catalog sizes, comma-separated")
    parser.add_argument("--catalog", type=Path, default=ROOT / "data" / "demo" / "catalog.jsonl")
    parser.add_argument("--rounds", type=int, default=3, help="times each query is timed")
    parser.add_argument("--reuse-vectors-above", type=int, default=10000,
                        help="larger catalogs reuse their source products' embeddings (see above)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    base = [p for _, p in read_feed(args.catalog).products]
    print(f"source: {args.catalog} ({len(base)} products); larger catalogs are synthetic variations",
          file=sys.stderr)
    embedder = MiniLMEmbedding()
    embedder.embed(["warm-up"])  # load the ONNX session outside every timed section
    result: dict[str, float] = {}
    for size in sizes:
        t0 = time.perf_counter()
        products = synthetic(base, size)
        result[f"generate_s_{size}"] = round(time.perf_counter() - t0, 2)
        reuse = size > args.reuse_vectors_above
        with tempfile.TemporaryDirectory(prefix=f"bench-search-{size}-") as tmp:
            if size == sizes[0] and not reuse:
                # The same texts, embedded bare: what ingest costs beyond the model itself. CPU time of
                # this process (all its threads) is also kept: on a shared machine it is the steadier one.
                t0, c0 = time.perf_counter(), time.process_time()
                embedder.embed([p.search_text() for p in products])
                embed_s, embed_cpu = time.perf_counter() - t0, time.process_time() - c0
            if reuse:
                result[f"reused_vectors_{size}"] = 1
                t0 = time.perf_counter()
                table = reused_vectors(base, products, embedder)
                result[f"vector_table_s_{size}"] = round(time.perf_counter() - t0, 2)
            store = CatalogStore.open(Path(tmp), embedder=table if reuse else embedder)
            t0, c0 = time.perf_counter(), time.process_time()
            stats = store.upsert(products)
            ingest_s, ingest_cpu = time.perf_counter() - t0, time.process_time() - c0
            for phase, seconds in stats.seconds.items():
                result[f"{phase}_s_{size}"] = round(seconds, 2)
            result[f"ingest_s_{size}"] = round(ingest_s, 2)
            result[f"ingest_cpu_s_{size}"] = round(ingest_cpu, 2)  # all threads: steadier on a shared machine
            if size == sizes[0] and not reuse:
                result["ingest_vs_embed_ratio"] = round(embed_s / ingest_s, 3)
                result["ingest_vs_embed_ratio_cpu"] = round(embed_cpu / ingest_cpu, 3)
                result["embed_per_s"] = round(size / embed_s, 1)
            result[f"ingest_per_s_{size}"] = round(size / ingest_s, 1)
            t0 = time.perf_counter()
            lexical_index(store)
            result[f"lexical_build_s_{size}"] = round(time.perf_counter() - t0, 2)
            search(store, QUERIES[0])  # warm-up
            samples = []
            for _ in range(args.rounds):
                for query in QUERIES:
                    t0 = time.perf_counter()
                    search(store, query, limit=10)
                    samples.append((time.perf_counter() - t0) * 1000)
            result[f"p50_ms_{size}"] = _ms(samples, 50)
            result[f"p95_ms_{size}"] = _ms(samples, 95)
            print(f"{size:>7} synthetic products: ingest {result[f'ingest_per_s_{size}']}/s, lexical build "
                  f"{result[f'lexical_build_s_{size}']} s, search p50 {result[f'p50_ms_{size}']} ms, "
                  f"p95 {result[f'p95_ms_{size}']} ms; phases "
                  + json.dumps({k: v for k, v in result.items() if k.endswith(f"_{size}")}), file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
