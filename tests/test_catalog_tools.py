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
