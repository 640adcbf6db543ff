"""Catalog search on a real embedded Chroma store: filters, parsed constraints, modes, reasons, caching."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tools.catalog.ingest import ingest_file
from tools.catalog.lexical import lexical_index
from tools.catalog.product import Product
from tools.catalog.search import search
from tools.catalog.store import CatalogStore

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DUMMYJSON = SHARED / "dummyjson" / "products.json"
DUMMYJSON_LABELS = SHARED / "labels" / "dummyjson_search_dev.jsonl"

ROWS: list[dict[str, Any]] = [
    {"id": "H1", "title": "Sonique Wireless Noise Cancelling Headphones", "brand": "Sonique",
     "category": "Electronics > Headphones", "price": 149.0, "rating": 4.6, "stock": 5,
     "description": "Over-ear Bluetooth headphones with 40 hour battery."},
    {"id": "H2", "title": "Audiora Wired Studio Headphones", "brand": "Audiora",
     "category": "Electronics > Headphones", "price": 59.0, "rating": 4.1, "stock": 0,
     "description": "Closed-back wired headphones for mixing and monitoring."},
    {"id": "E1", "title": "Audiora Buds Wireless Earbuds", "brand": "Audiora",
     "category": "Electronics > Earbuds", "price": 39.0, "rating": 3.9, "stock": 20,
     "description": "True wireless earbuds with charging case."},
    {"id": "P1", "title": "Nova X2 Smartphone 128GB", "brand": "Nova", "category": "Electronics > Phones",
     "price": 249.0, "rating": 4.3, "stock": 8, "description": "Android phone with a 50 MP camera."},
    {"id": "P2", "title": "Nova Ultra Smartphone 512GB", "brand": "Nova", "category": "Electronics > Phones",
     "price": 899.0, "rating": 4.7, "stock": 3, "description": "Flagship Android phone, 200 MP camera."},
    {"id": "P3", "title": "Pebble Mini Phone", "brand": "Pebble", "category": "Electronics > Phones",
     "price": 129.0, "rating": 3.2, "stock": 11, "description": "A small budget phone for calls and texts."},
    {"id": "K1", "title": "Brava Espresso Machine", "brand": "Brava", "category": "Kitchen > Coffee",
     "price": 329.0, "rating": 4.4, "stock": 2, "description": "15 bar pump espresso maker with milk frother."},
    {"id": "K2", "title": "Brava Drip Coffee Maker", "brand": "Brava", "category": "Kitchen > Coffee",
     "price": 49.0, "rating": 4.0, "stock": 14, "description": "12 cup drip coffee machine with timer."},
    {"id": "T1", "title": "Trailhead 2 Person Backpacking Tent", "brand": "Trailhead",
     "category": "Outdoors > Tents", "price": 189.0, "rating": 4.5, "stock": 6,
     "description": "Lightweight two person tent, 1.6 kg."},
    {"id": "S1", "title": "Stride Trail Running Shoes", "brand": "Stride", "category": "Sports > Shoes",
     "price": 119.0, "rating": 4.2, "stock": 9, "description": "Grippy trail runners with a rock plate."},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> CatalogStore:
    folder = tmp_path_factory.mktemp("search")
    feed = folder / "catalog.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    catalog = CatalogStore.open(folder / "catalog")
    ingest_file(catalog, feed)
    return catalog


def ids(result: Any) -> list[str]:
    return [h.product.id for h in result.hits]


def test_finds_by_meaning_and_words(store: CatalogStore) -> None:
    assert ids(search(store, "noise cancelling headphones"))[0] == "H1"
    assert ids(search(store, "something to make espresso at home"))[0] == "K1"
    assert ids(search(store, "tent for two people"))[0] == "T1"


@pytest.mark.parametrize("kw, check", [
    ({"max_price": 100}, lambda p: p.effective_price <= 100),
    ({"min_price": 200}, lambda p: p.effective_price >= 200),
    ({"brand": "audiora"}, lambda p: p.brand == "Audiora"),
    ({"category": "Headphones"}, lambda p: p.category[-1] == "Headphones"),
    ({"category": "electronics"}, lambda p: p.category[0] == "Electronics"),
    ({"min_rating": 4.4}, lambda p: (p.rating or 0) >= 4.4),
    ({"in_stock": True}, lambda p: p.in_stock),
])  # explicit filters are never relaxed
@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_explicit_filters_hold_in_every_mode(store: CatalogStore, mode: str, kw: dict[str, Any],
                                             check: Any) -> None:
    result = search(store, "wireless headphones phone", mode=mode, parse_constraints=False, **kw)  # type: ignore[arg-type]
    assert result.hits, (mode, kw)
    assert all(check(h.product) for h in result.hits), [(h.product.id, h.why) for h in result.hits]
    assert result.filters == kw


def test_constraints_in_the_text_become_filters(store: CatalogStore) -> None:
    result = search(store, "phone under $300")
    assert result.filters == {"max_price": 300, "category": "Phones"}
    assert result.understood == ["price ≤ 300", "category Phones"]
    assert result.query == "phone"
    assert ids(result) == ["P1", "P3"] or ids(result) == ["P3", "P1"]
    assert all(h.product.effective_price <= 300 and not h.unmet for h in result.hits)
    # Fewer than `limit` exact matches: close alternatives come back apart, each saying what it misses.
    assert result.alternatives and all(h.unmet for h in result.alternatives)
    relaxed_off = search(store, "phone under $300", relax=False)
    assert relaxed_off.hits == result.hits and relaxed_off.alternatives == []
    over = [h for h in result.alternatives if h.product.id == "P2"]
    assert over and over[0].unmet == ["price ≤ 300"] and over[0].why.startswith("close alternative, misses")


def test_explicit_filters_win_over_parsed_ones(store: CatalogStore) -> None:
    result = search(store, "phone under $300", max_price=1000)
    assert result.filters == {"max_price": 1000, "category": "Phones"}
    assert result.understood == ["price ≤ 1000", "category Phones"]
    assert "P2" in ids(result)
    assert search(store, "phone under $300", parse_constraints=False).filters == {}


def test_brand_and_category_read_from_text(store: CatalogStore) -> None:
    result = search(store, "brava coffee rated 4+")
    assert result.filters == {"brand": "Brava", "min_rating": 4.0, "category": "Coffee"}
    assert set(ids(result)[:2]) == {"K1", "K2"} and not result.hits[1].unmet
    assert "T1" not in ids(result) + [h.product.id for h in result.alternatives]  # a tent is no alternative to coffee
    assert "rating ≥ 4" in result.understood and "brand Brava" in result.understood


def test_a_parsed_brand_that_leaves_nothing_is_dropped(store: CatalogStore) -> None:
    result = search(store, "brava tent")  # Brava makes no tents: the word was not meant as a filter
    assert result.filters == {"category": "Tents"}
    assert "brand Brava ignored: nothing matches" in result.understood
    assert ids(result)[0] == "T1"


def test_explicit_filters_are_read_in_the_catalogs_spelling(store: CatalogStore) -> None:
    """A model passes the shopper's word ("the phone category", "tents", "sonique"): the filter still holds."""
    result = search(store, "something good", category="phone", parse_constraints=False)
    assert result.filters == {"category": "Phones"} and set(ids(result)) == {"P1", "P2", "P3"}
    assert "category 'phone' read as Phones" in result.understood
    assert search(store, "x", category="TENTS", parse_constraints=False).filters == {"category": "TENTS"}
    assert search(store, "headphones", brand="Soniqe", parse_constraints=False).filters == {"brand": "Sonique"}
    nothing = search(store, "headphones", category="sunglasses", parse_constraints=False)
    assert nothing.hits == [] and nothing.filters == {"category": "sunglasses"}  # explicit: never relaxed


def test_modes_and_scores(store: CatalogStore) -> None:
    dense = search(store, "wireless earbuds", mode="dense")
    lexical = search(store, "wireless earbuds", mode="lexical")
    hybrid = search(store, "wireless earbuds", mode="hybrid")
    assert ids(dense)[0] == ids(lexical)[0] == ids(hybrid)[0] == "E1"
    assert all(h.dense is not None and h.lexical is None for h in dense.hits)
    assert all(h.lexical is not None and h.dense is None for h in lexical.hits)
    top = hybrid.hits[0]
    assert top.dense is not None and top.lexical is not None and top.score > top.dense
    assert [h.score for h in hybrid.hits] == sorted((h.score for h in hybrid.hits), reverse=True)
    assert len(search(store, "wireless", limit=2).hits) == 2
    with pytest.raises(ValueError):
        search(store, "x", mode="sparse")  # type: ignore[arg-type]


def test_why_explains_the_match(store: CatalogStore) -> None:
    hit = search(store, "wireless earbuds under $80").hits[0]
    assert hit.product.id == "E1"
    assert "title matches 'wireless earbuds'" in hit.why
    assert "semantic 0." in hit.why
    assert "price 39 ≤ 80" in hit.why


def test_misspelt_words_are_corrected(store: CatalogStore) -> None:
    result = search(store, "wirless earbuds")
    assert result.corrections == {"wirless": "wireless"}
    assert result.query == "wireless earbuds"
    assert ids(result)[0] == "E1"
    assert "spelling wirless→wireless" in result.hits[0].why
    assert search(store, "noise cancelling hedphones").corrections == {"hedphones": "headphones"}


def test_only_constraints_browses_best_rated(store: CatalogStore) -> None:
    result = search(store, "under $130")
    assert result.query == ""
    ratings = [h.product.rating for h in result.hits]
    assert ratings == sorted(ratings, reverse=True)
    assert all(h.product.effective_price <= 130 for h in result.hits)


def test_lexical_index_follows_upserts(tmp_path: Path) -> None:
    catalog = CatalogStore.open(tmp_path / "catalog")
    catalog.upsert([Product(id="A", title="Plain Mug", price=5)])
    first = lexical_index(catalog)
    assert lexical_index(catalog) is first  # cached while nothing changes
    assert search(catalog, "kazoo", mode="lexical").hits == []
    catalog.upsert([Product(id="B", title="Brass Kazoo", price=7, brand="Tootle")])
    assert lexical_index(catalog) is not first
    assert ids(search(catalog, "kazoo", mode="lexical")) == ["B"]
    assert search(catalog, "tootle kazoo").filters == {"brand": "Tootle"}


def test_empty_catalog(tmp_path: Path) -> None:
    catalog = CatalogStore.open(tmp_path / "empty")
    for mode in ("dense", "lexical", "hybrid"):
        assert search(catalog, "anything under $5", mode=mode).hits == []  # type: ignore[arg-type]
    assert search(catalog, "").hits == []


def _ndcg(ranked: list[str], labels: dict[str, int]) -> float:
    dcg = sum((2 ** labels.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted(labels.values(), reverse=True)[:10]
    return dcg / sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))


@pytest.fixture(scope="module")
def dummyjson(tmp_path_factory: pytest.TempPathFactory) -> CatalogStore:
    if not DUMMYJSON.exists():
        pytest.skip(f"shared data not present: {DUMMYJSON}")
    catalog = CatalogStore.open(tmp_path_factory.mktemp("dummyjson") / "catalog")
    ingest_file(catalog, DUMMYJSON)
    return catalog


def test_dummyjson_constraints_end_to_end(dummyjson: CatalogStore) -> None:
    result = search(dummyjson, "phone under $300")
    assert result.filters == {"max_price": 300}
    assert result.hits and all(h.product.effective_price <= 300 and not h.unmet for h in result.hits)
    assert all(h.unmet == ["price ≤ 300"] and h.product.effective_price > 300 for h in result.alternatives)
    assert result.hits[0].product.category == ["smartphones"] and not result.hits[0].unmet
    vaseline = search(dummyjson, "vasline")
    assert vaseline.filters == {"brand": "Vaseline"}
    assert vaseline.hits[0].product.brand == "Vaseline"
    laptops = search(dummyjson, "laptop with at least 4 stars", relax=False)
    assert laptops.filters == {"min_rating": 4.0, "category": "laptops"}
    assert laptops.hits and all(h.product.category == ["laptops"] and (h.product.rating or 0) >= 4
                                for h in laptops.hits)
    relaxed = search(dummyjson, "laptop with at least 4 stars")
    assert ids(relaxed) == ids(laptops)
    alternatives = relaxed.alternatives
    assert alternatives and all(h.unmet for h in alternatives)
    assert any(h.unmet == ["rating ≥ 4"] for h in alternatives)  # lower-rated laptops among them


def test_dummyjson_hybrid_beats_each_ranker(dummyjson: CatalogStore) -> None:
    if not DUMMYJSON_LABELS.exists():
        pytest.skip(f"labels not present: {DUMMYJSON_LABELS}")
    queries = [json.loads(line) for line in DUMMYJSON_LABELS.read_text().splitlines() if line.strip()]
    queries = [q for q in queries if not q["no_match"]]
    mean = {mode: sum(_ndcg(ids(search(dummyjson, q["query"], mode=mode)), q["labels"]) for q in queries)
            / len(queries) for mode in ("dense", "lexical", "hybrid")}
    assert mean["hybrid"] >= 0.85, mean
    assert mean["hybrid"] > mean["dense"] and mean["hybrid"] > mean["lexical"], mean
