"""Price and stock filters hold for one variant at a time; drafts and hidden products are never found."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tools.catalog.commands import hit_row
from tools.catalog.feeds import ReadOptions
from tools.catalog.ingest import ingest_file
from tools.catalog.search import search
from tools.catalog.store import CatalogStore

COLUMNS = ["Handle", "Title", "Body (HTML)", "Published", "Option1 Name", "Option1 Value", "Variant SKU",
           "Variant Inventory Qty", "Variant Inventory Policy", "Variant Price", "Status"]
ROWS = [
    ["bracelet", "Silver bracelet", "A silver chain bracelet", "TRUE", "Size", "S", "BR-S", "0", "deny", "55.00", "active"],
    ["bracelet", "", "", "", "", "L", "BR-L", "4", "deny", "69.99", ""],
    ["bangle", "Gold bangle bracelet", "A gold bangle", "TRUE", "Size", "M", "BG-M", "2", "deny", "58.00", "active"],
    ["draft", "Draft bracelet", "A bracelet not yet for sale", "TRUE", "Title", "Default Title", "DR", "5", "deny",
     "10.00", "draft"],
    ["unlisted", "Unlisted bracelet", "A bracelet not published", "FALSE", "Title", "Default Title", "UL", "5", "deny",
     "12.00", "active"],
    ["anklet", "Anklet bracelet", "An anklet, made to order", "TRUE", "Title", "Default Title", "AN", "0", "continue",
     "30.00", "active"],
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> CatalogStore:
    folder = tmp_path_factory.mktemp("variants")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([COLUMNS, *ROWS])
    feed = folder / "products_export.csv"
    feed.write_text(out.getvalue())
    catalog = CatalogStore.open(folder / "catalog")
    ingest_file(catalog, feed, options=ReadOptions(currency="USD"))
    return catalog


def test_sold_out_cheap_variant_does_not_satisfy_a_price_and_stock_filter(store: CatalogStore) -> None:
    result = search(store, "bracelet", max_price=60, in_stock=True, relax=False)
    assert {h.product.id for h in result.hits} == {"bangle", "anklet"}  # the $55 bracelet size is sold out
    bangle = next(h for h in result.hits if h.product.id == "bangle")
    assert (bangle.price, bangle.variant.id) == (58.0, "BG-M")


def test_the_hit_names_the_variant_that_matched_and_its_price(store: CatalogStore) -> None:
    hit = next(h for h in search(store, "silver bracelet", in_stock=True, relax=False).hits if h.product.id == "bracelet")
    assert (hit.variant.id, hit.price) == ("BR-L", 69.99)
    row = hit_row(hit)
    assert (row["price"], row["in_stock"], row["variant"]) == (69.99, True, {"id": "BR-L", "options": {"size": "L"},
                                                                               "price": 69.99})
    assert "variant L" in hit.why and "in stock" in hit.why
    unfiltered = next(h for h in search(store, "silver bracelet").hits if h.product.id == "bracelet")
    assert unfiltered.price == 55.0  # without filters: the cheapest, the "from" price


def test_price_range_met_by_one_variant(store: CatalogStore) -> None:
    ids = {h.product.id for h in search(store, "bracelet", min_price=60, max_price=80, relax=False).hits}
    assert ids == {"bracelet"}  # only its L size is in range


def test_drafts_and_unpublished_are_never_found_and_backorder_is_in_stock(store: CatalogStore) -> None:
    for mode in ("hybrid", "dense", "lexical"):
        found = {h.product.id for h in search(store, "bracelet", mode=mode, limit=20).hits}
        assert found == {"bracelet", "bangle", "anklet"}, mode
    assert store.get("draft") is not None  # kept in the catalog, only not shown
    anklet = next(h for h in search(store, "anklet", in_stock=True).hits if h.product.id == "anklet")
    assert anklet.product.in_stock and anklet.product.variants[0].backorder


def test_hits_for_an_unfiltered_browse_skip_unlisted(store: CatalogStore) -> None:
    found = {h.product.id for h in search(store, "", max_price=100, limit=20).hits}
    assert found == {"bracelet", "bangle", "anklet"}


def test_store_metadata_keeps_every_offer(store: CatalogStore, tmp_path: Path) -> None:
    _, _, metas = store.documents()
    by_title = {m["title"]: m for m in metas}
    assert by_title["Silver bracelet"]["offers"] == "[[55.0,false],[69.99,true]]"
    assert (by_title["Silver bracelet"]["price"], by_title["Silver bracelet"]["price_high"]) == (55.0, 69.99)
    assert by_title["Draft bracelet"]["listed"] is False


def test_out_of_stock_means_no_variant_can_be_bought(store: CatalogStore) -> None:
    found = {h.product.id for h in search(store, "bracelet", in_stock=False, relax=False).hits}
    assert found == set()  # the bracelet's S is sold out but its L is not: it is not "out of stock"
