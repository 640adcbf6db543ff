"""search_catalog as the model calls it, over the demo catalog: filters in the shopper's words, empty results."""

from __future__ import annotations

import json

from tools.catalog_tools import search_catalog
from agent.models.prepare import aid_of
from tools.hints import summary_line


def search(ctx, **args):
    return search_catalog(ctx, search_catalog.validate(args))


def test_a_category_in_the_shoppers_words_filters_the_catalogs_category(shop_context) -> None:
    out = search(shop_context(), query="everything", category="groceries", max_price=5)
    assert out["results"] and all(r["price"] <= 5 for r in out["results"])
    assert "category 'groceries' read as Grocery" in out["understood"]


def test_a_category_the_shop_lacks_is_named_with_the_ones_it_has(shop_context) -> None:
    out = search(shop_context(), query="anything", category="sunglasses")
    assert out["results"] == []
    assert "no category 'sunglasses'" in out["note"] and "Headphones" in out["note"]


def test_a_brand_the_shop_lacks_is_named(shop_context) -> None:
    out = search(shop_context(), query="watch", brand="Rolex")
    assert out["results"] == [] and "no brand 'Rolex'" in out["note"]
    tight = search(shop_context(), query="headphones", max_price=1)
    assert tight["results"] == [] and tight["note"].startswith("No matching products")


def test_a_search_with_nothing_close_says_so(shop_context) -> None:
    out = search(shop_context(), query="snowmobile")
    assert out["results"] and out["weak"] is True and "closely matches 'snowmobile'" in out["note"]
    assert summary_line(aid_of(search_catalog), json.dumps(out)).startswith("Sorry, nothing here closely matches")
    assert "weak" not in search(shop_context(), query="wireless headphones")
    assert "weak" not in search(shop_context(), query="baby stroller")


def test_results_meet_every_limit_and_near_misses_come_apart(shop_context) -> None:
    kitchen = search(shop_context(), query="something for the kitchen under $50")
    assert kitchen["results"] and all(r["price"] <= 50 for r in kitchen["results"])
    assert all(a["misses"] for a in kitchen.get("alternatives", []))
    shoes = search(shop_context(), query="running shoes", max_price=60)  # the demo shop has none that cheap
    assert shoes["results"] == [] and shoes["alternatives"]
    assert all(a["misses"] == ["price ≤ 60"] and a["price"] > 60 and a["category"].endswith("Running Shoes")
               for a in shoes["alternatives"])  # the same kind of product, over the budget: not soft flasks
    said = summary_line(aid_of(search_catalog), json.dumps(shoes))
    assert said.startswith("Sorry, I found no matching products. Close alternatives: ")
    assert f"({shoes['alternatives'][0]['id']}, " in said and "misses price ≤ 60" in said
    rated = search(shop_context(), query="headphones", min_rating=4.8, max_price=60)
    assert all(r["rating"] >= 4.8 and r["price"] <= 60 for r in rated["results"])


def test_a_query_in_another_language_searches_the_catalog_in_english(shop_context) -> None:
    for query in ("auriculares inalámbricos", "casque sans fil", "kabellose Kopfhörer", "无线耳机"):
        out = search(shop_context(), query=query)
        assert out["query"] == "wireless headphones", query
        assert out["results"] and all(r["category"].endswith("Headphones") for r in out["results"])
