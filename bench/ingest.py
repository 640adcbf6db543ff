"""Ingest speed and memory on one feed file, against the raw embedding rate on the same texts.

    python bench/ingest.py FILE [--format magento] [--currency EUR] [--decimal ,]
    python bench/ingest.py --generate 2000 OUT.csv     # a Magento 2-style file to run it on

Ingests FILE into a new temporary catalog (the embedder warmed up first, so model loading is not
counted), then embeds the same products' texts directly. Prints rows/s, products/s, peak RSS after the
ingest, and `ratio`: raw embedding time / ingest time (1.0: ingest costs nothing beyond embedding), in
wall time and in CPU time.
The generated file has the shape of Magento's sample data: configurable products, each followed in the
file by 6-18 simple children (Not Visible Individually), all with 1-3 KB HTML descriptions and
several category paths. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.catalog.feeds import FORMATS, ReadOptions, read_feed  # noqa: E402
from tools.catalog.ingest import ingest_file  # noqa: E402
from tools.catalog.store import CatalogStore  # noqa: E402

COLUMNS = ["sku", "store_view_code", "attribute_set_code", "product_type", "categories", "product_websites", "name",
           "description", "short_description", "weight", "product_online", "tax_class_name", "visibility", "price",
           "special_price", "url_key", "meta_title", "base_image", "additional_images", "qty", "is_in_stock",
           "additional_attributes", "configurable_variations", "configurable_variation_labels"]
_NOUNS = ["Hoodie", "Jacket", "Tee", "Pant", "Short", "Tank", "Bra", "Legging", "Pullover", "Vest", "Skirt", "Parka"]
_NAMES = ["Chaz", "Marco", "Ajax", "Helios", "Orion", "Taurus", "Zeppelin", "Lando", "Mars", "Typhon", "Nora",
          "Juno", "Celeste", "Selene", "Echo", "Ingrid", "Daria", "Phoebe", "Iris", "Atlas"]
_WORDS = ("breathable lightweight fleece cotton polyester stretch training gym outdoor cold weather moisture "
          "wicking zip pocket hood thumbholes seams ribbed cuffs relaxed fit machine wash recycled soft durable "
          "layer running yoga hiking everyday style comfort warmth ventilation reflective trim").split()
_COLOURS = ["Black", "Blue", "Gray", "Green", "Orange", "Purple", "Red", "White", "Yellow"]
_SIZES = ["XS", "S", "M", "L", "XL"]
_CATEGORIES = ["Default Category/Men/Tops/Hoodies & Sweatshirts", "Default Category/Men/Tops/Jackets",
               "Default Category/Women/Bottoms/Pants", "Default Category/Collections/Eco Friendly",
               "Default Category/Promotions/Men Sale", "Default Category/Gear/Fitness Equipment"]


def _html(rng: random.Random) -> str:
    """1-3 KB of Magento-style description HTML."""
    target = rng.randint(1000, 3000)
    parts = []
    while sum(map(len, parts)) < target:
        sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 16))).capitalize()
        parts.append(f"<p>{sentence}.</p>" if rng.random() < 0.7 else f"<ul><li>{sentence}</li><li>{rng.choice(_WORDS)}</li></ul>")
    return "".join(parts)[:target]


def generate(rows: int, out: Path, seed: int = 11) -> int:
    """Write a Magento 2 import CSV of about `rows` rows; returns the number written."""
    rng = random.Random(seed)
    written = 0
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        number = 0
        while written < rows:
            number += 1
            name = f"{rng.choice(_NAMES)} {rng.choice(_NOUNS)} {number}"
            sku = f"M{number:04d}"
            price = f"{rng.randint(19, 120)}.00"
            cats = ",".join(rng.sample(_CATEGORIES, rng.randint(1, 3)))
            combos = [(size, colour) for size in _SIZES for colour in rng.sample(_COLOURS, 3)][:rng.randint(6, 15)]
            combos = combos[:max(1, min(len(combos), rows - written - 1))]
            base = {"attribute_set_code": "Top", "categories": cats, "product_websites": "base", "weight": "1",
                    "product_online": "1", "tax_class_name": "Taxable Goods"}
            children = []
            for size, colour in combos:
                child = f"{sku}-{size}-{colour}"
                qty = rng.choice([0, 0, 5, 12, 40, 100])
                children.append(child)
                writer.writerow({**base, "sku": child, "product_type": "simple", "name": f"{name}-{size}-{colour}",
                                 "description": _html(rng), "visibility": "Not Visible Individually",
                                 "price": price, "url_key": child.lower(), "qty": qty, "is_in_stock": int(qty > 0),
                                 "base_image": f"/m/{child.lower()}.jpg",
                                 "additional_attributes": f"color={colour},size={size},material=Fleece"})
                written += 1
            variations = "|".join(f"sku={c},size={c.split('-')[1]},color={c.split('-')[2]}" for c in children)
            writer.writerow({**base, "sku": sku, "product_type": "configurable", "name": name,
                             "description": _html(rng), "short_description": "<p>" + " ".join(rng.sample(_WORDS, 8)) + "</p>",
                             "visibility": "Catalog, Search", "price": price, "url_key": sku.lower(),
                             "meta_title": name, "base_image": f"/m/{sku.lower()}_main.jpg",
                             "additional_images": f"/m/{sku.lower()}_alt1.jpg,/m/{sku.lower()}_back.jpg",
                             "qty": 0, "is_in_stock": 1, "additional_attributes": "eco_collection=0,material=Fleece",
                             "configurable_variations": variations,
                             "configurable_variation_labels": "size=Size,color=Color"})
            written += 1
    return written


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(path: Path, format: str, options: ReadOptions) -> dict[str, object]:
    rows = sum(1 for _ in path.open(encoding="utf-8", errors="replace")) - 1 if path.suffix == ".csv" else None
    with tempfile.TemporaryDirectory() as folder:
        store = CatalogStore.open(Path(folder) / "catalog")
        store.embedder.embed(["warm up the model"])  # load it outside the timing
        rss_before = _rss_mb()
        start, cpu = time.perf_counter(), time.process_time()
        report = ingest_file(store, path, format=format, options=options, report_path=Path(folder) / "rejects.jsonl")
        ingest_s, ingest_cpu = time.perf_counter() - start, time.process_time() - cpu
        rss_peak = _rss_mb()
        texts = [product.search_text() for _, product in read_feed(path, format, options=options).products]
        start, cpu = time.perf_counter(), time.process_time()
        store.embedder.embed(texts)
        raw_s, raw_cpu = time.perf_counter() - start, time.process_time() - cpu
    products = report.ingested + report.updated + report.unchanged
    return {"file": str(path), "format": report.format, "rows": rows, "products": products,
            "rejected": report.rejected, "ingest_s": round(ingest_s, 2), "raw_embed_s": round(raw_s, 2),
            "rows_per_s": round(rows / ingest_s, 1) if rows else None,
            "products_per_s": round(products / ingest_s, 1), "raw_embed_per_s": round(len(texts) / raw_s, 1),
            "ratio": round(raw_s / ingest_s, 3),
            "ratio_cpu": round(raw_cpu / ingest_cpu, 3),  # CPU time of all threads: steadier on a shared machine
            "peak_rss_mb": round(rss_peak, 1),
            "rss_before_ingest_mb": round(rss_before, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument("--generate", type=int, metavar="ROWS", help="write a Magento-style file of ROWS rows to FILE")
    parser.add_argument("--format", choices=FORMATS, default="auto")
    parser.add_argument("--currency", default=None, help="currency of prices that name none (a generated file: EUR)")
    parser.add_argument("--decimal", choices=[",", "."])
    args = parser.parse_args()
    if args.file is None:
        parser.error("FILE is required")
    if args.generate:
        count = generate(args.generate, args.file)
        print(json.dumps({"generated": str(args.file), "rows": count}))
        return
    print(json.dumps(run(args.file, args.format, ReadOptions(currency=args.currency, decimal=args.decimal))))


if __name__ == "__main__":
    main()
