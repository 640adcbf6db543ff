#!/usr/bin/env python3
"""Generate the project's own demo data: a fictional product catalog and shopper histories.

Everything here is invented (brands, products, reviews, shoppers). The output is deterministic:
running the script twice gives byte-identical files.

    python3 data/generate_demo.py            # writes data/demo/*.jsonl and shopper_profiles.json
    python3 data/generate_demo.py --check    # prints counts per category, shoppers, events, stock share

Stdlib only. The generator's pieces live in data/demo_gen/ (text bank, product makers per department,
reviews, catalog, shoppers); this script seeds them and writes or checks the files.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from demo_gen import build_catalog, build_shoppers

SEED = 20260314
OUT = Path(__file__).resolve().parent / "demo"


def check():
    """Print summary counts of the generated files (python3 data/generate_demo.py --check)."""
    import re
    from collections import Counter, defaultdict
    products = [json.loads(line) for line in open(OUT / "catalog.jsonl", encoding="utf-8")]
    events = [json.loads(line) for line in open(OUT / "shoppers.jsonl", encoding="utf-8")]
    profiles = json.load(open(OUT / "shopper_profiles.json", encoding="utf-8"))
    cats = Counter(p["category"] for p in products)
    for c, n in cats.items():
        print(f"{n:4d}  {c}")
    print(f"products: {len(products)} in {len(cats)} categories")
    print(f"out of stock: {sum(p['stock'] == 0 for p in products) / len(products):.1%}, "
          f"on sale: {sum(p['sale_price'] is not None for p in products) / len(products):.1%}, "
          f"consumable: {sum('consumable' in p['tags'] for p in products)}")
    print("empty descriptions:", " ".join(p["id"] for p in products if not p["description"]))
    inj = re.compile(r"IGNORE PREVIOUS|SYSTEM:|Assistant, reveal")
    print("adversarial reviews on:", " ".join(p["id"] for p in products if any(inj.search(x["text"]) for x in p["reviews"])))
    ungrounded = 0
    for p in products:
        known = set(re.findall(r"\d+(?:\.\d+)?", p["title"] + " " + " ".join(p["attributes"].values())))
        ungrounded += sum(n not in known for n in re.findall(r"\d+(?:\.\d+)?", p["description"]))
    print("numbers in descriptions not in title/attributes:", ungrounded)
    by = defaultdict(list)
    for e in events:
        by[e["shopper_id"]].append(e)
    print(f"shoppers: {len(profiles)} profiles, {len(by)} with events, {len(events)} events "
          f"({dict(Counter(e['action'] for e in events))})")
    print("no history:", " ".join(x["shopper_id"] for x in profiles if x["shopper_id"] not in by))
    print("views only:", " ".join(s for s, ev in by.items() if all(e["action"] == "view" for e in ev)))


def main():
    import sys
    if "--check" in sys.argv:
        check()
        return
    r = random.Random(SEED)
    products, adv_ids = build_catalog(r)
    profiles, events = build_shoppers(random.Random(SEED + 1), products)
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "catalog.jsonl", "w", encoding="utf-8") as f:
        for p in products:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    with open(OUT / "shoppers.jsonl", "w", encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    with open(OUT / "shopper_profiles.json", "w", encoding="utf-8") as f:
        json.dump(profiles, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(products)} products, {len(profiles)} shoppers, {len(events)} events; adversarial: {', '.join(adv_ids)}")


if __name__ == "__main__":
    main()
