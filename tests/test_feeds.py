"""Feed readers: every format with good and bad rows; each bad row rejected with its line and a reason."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tools.catalog.feeds import FORMATS, FeedError, FeedResult, parse_mapping, read_feed
from tools.catalog.feeds_html import html_to_text

DUMMYJSON = Path(__file__).resolve().parents[2] / "shared" / "data" / "dummyjson" / "products.json"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ids(result: FeedResult) -> set[str]:
    return {product.id for _, product in result.products}


def assert_rejected(result: FeedResult, expected: dict[int, str]) -> None:
    """Exactly these lines were rejected, each with a reason containing the given text."""
    got = {rejection.line: rejection.reason for rejection in result.rejections}
    assert sorted(got) == sorted(expected), got
    for line, needle in expected.items():
        assert needle in got[line], (line, got[line])


def jsonl(*rows: object) -> str:
    return "\n".join(row if isinstance(row, str) else json.dumps(row) for row in rows) + "\n"


# --- JSON Lines: most row-level problems, one per line -------------------------------------------------

JSONL_BAD = {
    4: "invalid JSON",
    5: "row is not a JSON object (got list)",
    6: "missing id",
    7: "blank id",
    8: "missing title",
    9: "price: cannot read a price from 'twelve'",
    10: "price: negative price",
    11: "missing price",
    12: "duplicate id 'A1' (first on line 1)",
    13: "description: too long (20001 characters, max 20000)",
    14: "title: too long (1001 characters, max 1000)",
    15: "rating: must be <= 5",
    16: "rating: not a number: 'great'",
    17: "stock: must be >= 0",
    18: "stock: not a whole number: 2.5",
    19: "availability: unknown value 'maybe'",
    20: "reviews: expected a list, got str",
    21: "reviews[0].rating: must be <= 5",
    22: "sale_price: cannot read a price from 'cheap'",
    23: "review_count: must be >= 0",
    24: "title: expected text, got an object",
    25: "id: too long (201 characters, max 200)",
    26: "reviews[1]: expected an object",
    27: "category: expected text, got an object",
    28: "currency: expected a three-letter code such as USD, got 'dollars'",
    29: "reviews[0].rating: missing",
}


def test_jsonl_good_rows_in_and_each_bad_row_rejected_with_line_and_reason(tmp_path: Path) -> None:
    base = {"title": "x", "price": 1}
    path = write(tmp_path, "feed.jsonl", jsonl(
        {"id": "A1", "title": "Electric Kettle", "price": "19.99 USD", "category": "Home > Kitchen",
         "rating": 4.5, "stock": 3, "tags": "tea, kitchen", "availability": "in_stock"},
        {"sku": "A2", "name": "Toaster", "price": 25, "currency": "eur", "vendor": "Breville"},
        "",
        '{"id": "A3", "title": "Broken", "price": 5',
        [1, 2],
        {"title": "No id", "price": 1},
        {"id": "  ", "title": "Blank id", "price": 1},
        {"id": "A4", "price": 1},
        {**base, "id": "A5", "price": "twelve"},
        {**base, "id": "A6", "price": -3},
        {"id": "A7", "title": "No price"},
        {**base, "id": "A1", "title": "Second kettle"},
        {**base, "id": "A8", "description": "d" * 20_001},
        {**base, "id": "A9", "title": "t" * 1001},
        {**base, "id": "A10", "rating": 7},
        {**base, "id": "A11", "rating": "great"},
        {**base, "id": "A12", "stock": -2},
        {**base, "id": "A13", "stock": 2.5},
        {**base, "id": "A14", "availability": "maybe"},
        {**base, "id": "A15", "reviews": "great"},
        {**base, "id": "A16", "reviews": [{"rating": 9, "comment": "!"}]},
        {**base, "id": "A17", "sale_price": "cheap"},
        {**base, "id": "A18", "review_count": -1},
        {**base, "id": "A19", "title": {"en": "x"}},
        {**base, "id": "x" * 201},
        {**base, "id": "A20", "reviews": [{"rating": 5}, "nice"]},
        {**base, "id": "A21", "category": {"a": 1}},
        {**base, "id": "A23", "currency": "dollars"},
        {**base, "id": "A24", "reviews": [{"comment": "no stars given"}]},
        {"id": "A22", "title": "Mug", "price": 10, "sale_price": 12, "availability": "preorder"},
    ))
    result = read_feed(path)
    assert result.format == "jsonl"
    assert ids(result) == {"A1", "A2", "A22"}
    assert_rejected(result, JSONL_BAD)
    assert all(r.file == str(path) for r in result.rejections)
    assert {r.line: r.product_id for r in result.rejections}[12] == "A1"
    products = dict((p.id, (line, p)) for line, p in result.products)
    line, kettle = products["A1"]
    assert line == 1
    assert (kettle.price, kettle.currency, kettle.category, kettle.tags) == (19.99, "USD", ["Home", "Kitchen"], ["tea", "kitchen"])
    toaster = products["A2"][1]
    assert (toaster.title, toaster.currency, toaster.brand, products["A2"][0]) == ("Toaster", "EUR", "Breville", 2)
    mug = products["A22"][1]
    assert mug.sale_price is None  # a "sale" above the price is dropped, the row kept
    assert mug.available and mug.attributes["availability"] == "preorder"


# --- JSON array and wrapper object ------------------------------------------------------------------------

def test_json_array_lines_are_where_each_object_starts(tmp_path: Path) -> None:
    text = ('[\n  {"id": 1, "title": "Lamp", "price": 12,\n   "dimensions": {"width": 3.5, "height": 10}},\n'
            '  "not an object",\n'
            '  {"id": 2,\n   "title": "Desk", "price": "$1,299.00", "images": ["http://x/1.jpg", "http://x/2.jpg"],\n'
            '   "description": "<p>Solid &amp; oak</p><p>Two<br>drawers</p>"},\n'
            '  {"id": 3, "title": "Chair", "price": null}\n]\n')
    result = read_feed(write(tmp_path, "items.json", text))
    assert result.format == "json"
    assert [(line, p.id) for line, p in result.products] == [(2, "1"), (5, "2")]
    assert_rejected(result, {4: "row is not a JSON object (got str)", 8: "missing price"})
    lamp, desk = (p for _, p in result.products)
    assert lamp.attributes == {"dimensions.width": "3.5", "dimensions.height": "10"}
    assert (desk.price, desk.image_url) == (1299.0, "http://x/1.jpg")
    assert desk.description == "Solid & oak\n\nTwo\ndrawers"


def test_json_object_wrapping_one_list_as_dummyjson_does(tmp_path: Path) -> None:
    text = ('{"total": 2, "skip": 0,\n "products": [\n  {"id": 7, "title": "Phone", "price": 99,\n'
            '   "discountPercentage": 12.5, "availabilityStatus": "Low Stock",\n'
            '   "reviews": [{"rating": 4, "comment": "Good", "reviewerName": "Ann", "date": "2024-05-01"}]},\n'
            '  {"id": 8, "title": "Case", "price": 9, "reviews": [{"rating": "x"}]}\n ],\n "limit": 30}\n')
    result = read_feed(write(tmp_path, "dummy.json", text))
    assert [(line, p.id) for line, p in result.products] == [(3, "7")]
    assert_rejected(result, {6: "reviews[0].rating: not a number: 'x'"})
    phone = result.products[0][1]
    assert phone.attributes["discountPercentage"] == "12.5"  # recorded, no sale price invented
    assert phone.sale_price is None and phone.available
    assert (phone.review_count, phone.reviews[0].text, phone.reviews[0].author) == (1, "Good", "Ann")


def test_json_single_object_is_one_product_and_named_list_wins(tmp_path: Path) -> None:
    solo = read_feed(write(tmp_path, "solo.json", '\n{"id": 5, "title": "Solo", "price": 3, "tags": ["a", "b"]}\n'))
    assert [(line, p.id, p.tags) for line, p in solo.products] == [(2, "5", ["a", "b"])]
    wrapped = read_feed(write(tmp_path, "w.json", '{"errors": [],\n "items": [{"id": "W", "title": "w", "price": 1}]}'))
    assert [(line, p.id) for line, p in wrapped.products] == [(2, "W")]


def test_json_inline_variants_and_attributes(tmp_path: Path) -> None:
    path = write(tmp_path, "v.jsonl", jsonl(
        {"id": "S1", "title": "Sock", "price": "4 EUR", "attributes": {"fabric": "wool", "pack": {"size": 3}},
         "variants": [{"sku": "S1-M", "options": {"size": "M"}, "price": "4,50"}]},
        {"id": "S2", "title": "Sock", "price": 4, "variants": [{"id": "S2-M", "price": "much"}]},
        {"id": "S3", "title": "Sock", "price": 4, "variants": {"id": "S3-M"}},
    ))
    result = read_feed(path)
    assert ids(result) == {"S1"}
    assert_rejected(result, {2: "variants[0].price: cannot read a price from 'much'",
                             3: "variants: expected a list, got an object"})
    sock = result.products[0][1]
    assert sock.attributes == {"fabric": "wool", "pack.size": "3"}
    assert [(v.id, v.options, v.price) for v in sock.variants] == [("S1-M", {"size": "M"}, 4.5)]


@pytest.mark.parametrize(("text", "message"), [
    ('[\n {"id": 1, "title": "a", "price": 1},\n {"id": 2, ', "not valid JSON"),
    ('{"total": 3}', "exactly one list"),
    ('{"a": [], "b": []}', "exactly one list"),
    ('"just a string"', "expected a JSON array"),
])
def test_unreadable_json_document_is_a_feed_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        read_feed(write(tmp_path, "bad.json", text), format="json")


def test_truncated_json_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match=r"line 3 column \d+"):
        read_feed(write(tmp_path, "bad.json", '[\n {"id": 1, "title": "a", "price": 1},\n {"id": 2, '))


@pytest.mark.parametrize("name", ["empty.json", "empty.jsonl", "empty.csv", "empty.tsv", "empty.xml"])
def test_empty_file_gives_no_products_not_an_error(tmp_path: Path, name: str) -> None:
    result = read_feed(write(tmp_path, name, "\n  \n"))
    assert (result.products, result.rejections) == ([], [])


# --- Generic CSV ---------------------------------------------------------------------------------------------

def test_csv_rows_with_multiline_fields_and_column_count_errors(tmp_path: Path) -> None:
    text = ("\ufeffid,title,price,tags,category,stock,description\n"
            'C1,Backpack,49.90,outdoor|travel,Bags/Backpacks,12,"Two pockets,\nwaterproof"\n'
            "C2,Tent,199,,Outdoor,0,\n"
            "\n"
            "C3,Stove,30,camping,Outdoor,5,gas,extra\n"
            "C4,Lantern,15\n"
            "C5,Mat,10,,,-1,\n"
            "C6,Cup,3,,,lots,\n"
            ",Nameless,3,,,,\n")
    result = read_feed(write(tmp_path, "shop.csv", text))
    assert result.format == "csv"
    assert ids(result) == {"C1", "C2"}
    assert [line for line, _ in result.products] == [2, 4]
    assert_rejected(result, {6: "too many columns: expected 7, found 8", 7: "too few columns: expected 7, found 3",
                             8: "stock: must be >= 0", 9: "stock: not a whole number: 'lots'", 10: "blank id"})
    backpack = result.products[0][1]
    assert backpack.tags == ["outdoor", "travel"] and backpack.category == ["Bags", "Backpacks"]
    assert backpack.description == "Two pockets,\nwaterproof"
    tent = result.products[1][1]
    assert tent.stock == 0 and not tent.in_stock


def test_csv_unclosed_quote_and_oversized_field_reject_only_their_rows(tmp_path: Path) -> None:
    text = "id,title,price,description\n1,a,1," + "x" * 200_000 + "\n2,b,2,ok\n3,\"open,3\n4,d,4,\n"
    result = read_feed(write(tmp_path, "odd.csv", text))
    assert ids(result) == {"2"}
    assert_rejected(result, {2: "unreadable row: field larger than field limit",
                             4: "the row runs to line 5: is a quote left open?"})


def test_mapping_renames_source_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.csv", "sku_code,name_of_item,cost,colour\nZ1,Blue Vase,12.00,blue\nZ2,,5,red\n")
    result = read_feed(path, mapping=parse_mapping("SKU Code=id, name_of_item=title,cost=price"))
    assert ids(result) == {"Z1"}
    assert_rejected(result, {3: "missing title"})
    vase = result.products[0][1]
    assert (vase.title, vase.price, vase.attributes) == ("Blue Vase", 12.0, {"colour": "blue"})


def test_parse_mapping() -> None:
    assert parse_mapping("name_of_item=title,cost = price") == {"name_of_item": "title", "cost": "price"}
    assert parse_mapping('"Name, long"=title') == {"Name, long": "title"}
    assert parse_mapping("") == {} and parse_mapping("a=b,") == {"a": "b"}
    for bad in ("title", "=title", "name=", "a=b=c", "a=b,a=c"):
        with pytest.raises(ValueError, match="mapping"):
            parse_mapping(bad)


# --- Google Merchant Center: TSV and RSS XML ----------------------------------------------------------

MERCHANT_COLUMNS = ["id", "title", "description", "link", "image_link", "availability", "price", "sale_price",
                    "brand", "gtin", "product_type", "google_product_category", "item_group_id", "color", "size"]


def tsv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_merchant_tsv_groups_item_group_rows_into_one_product_with_variants(tmp_path: Path) -> None:
    rows = [
        # Header spellings vary: the XML "g:" prefix, or words as a spreadsheet shows them.
        [{"id": "g:id", "price": "g:price", "item_group_id": "Item Group ID"}.get(c, c) for c in MERCHANT_COLUMNS],
        ["TEE-R-M", "Cotton Tee - Red - M", "Soft tee", "https://s/tee", "https://s/tee.jpg", "in stock",
         "15.00 USD", "12.00 USD", "Acme", "111", "Apparel > Shirts", "212", "TEE", "Red", "M"],
        ["K1", "Kettle", "Boils", "https://s/k1", "", "out_of_stock", "30.00 EUR", "", "Hotco", "222",
         "", "Home > Kitchen > Kettles", "", "", ""],
        ["TEE-B-L", "Cotton Tee - Blue - L", "Soft tee", "https://s/tee", "", "out of stock", "16.00 USD", "",
         "Acme", "333", "Apparel > Shirts", "212", "TEE", "Blue", "L"],
        ["BAD1", "Lamp", "", "", "", "maybe", "10.00 USD", "", "", "", "", "", "", "", ""],
        ["BAD2", "Short row"],
        ["K1", "Kettle again", "", "", "", "in stock", "31.00 USD", "", "", "", "", "", "", "", ""],
        ["P1", "Plain price", "", "", "", "preorder", "15.00", "", "", "", "", "", "", "", ""],
    ]
    result = read_feed(write(tmp_path, "merchant.tsv", tsv(rows)))
    assert result.format == "merchant"
    assert ids(result) == {"TEE", "K1", "P1"}
    assert [line for line, _ in result.products] == [2, 3, 8]
    assert_rejected(result, {5: "availability: unknown value 'maybe'", 6: "too few columns: expected 15, found 2",
                             7: "duplicate id 'K1' (first on line 3)"})
    products = {p.id: p for _, p in result.products}
    tee = products["TEE"]
    assert tee.title == "Cotton Tee"
    assert [(v.id, v.options, v.price, v.sale_price, v.available) for v in tee.variants] == [
        ("TEE-R-M", {"color": "Red", "size": "M"}, 15.0, 12.0, True),
        ("TEE-B-L", {"color": "Blue", "size": "L"}, 16.0, None, False)]
    assert (tee.price, tee.sale_price, tee.available, tee.category) == (15.0, 12.0, True, ["Apparel", "Shirts"])
    assert tee.attributes["color"] == "Red, Blue" and "gtin" not in tee.attributes  # gtin differs per row
    kettle = products["K1"]
    assert (kettle.price, kettle.currency, kettle.available, kettle.url) == (30.0, "EUR", False, "https://s/k1")
    assert kettle.category == ["Home", "Kitchen", "Kettles"]  # google_product_category when no product_type
    assert kettle.attributes["gtin"] == "222"
    assert (products["P1"].currency, products["P1"].attributes["availability"]) == ("USD", "preorder")


MERCHANT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
  <channel>
    <title>Store</title>
    <link>https://store.example</link>
    <item>
      <g:id>X1</g:id>
      <title>Desk Lamp</title>
      <description><![CDATA[<p>Warm light</p>]]></description>
      <link>https://store.example/x1</link>
      <g:price>24.50 USD</g:price>
      <g:availability>in_stock</g:availability>
      <g:product_type>Home &gt; Lighting</g:product_type>
      <g:brand>Lumo</g:brand>
      <g:shipping><g:country>US</g:country><g:price>4.99 USD</g:price></g:shipping>
    </item>
    <item>
      <title>No id here</title>
      <g:price>5.00 USD</g:price>
    </item>
    <item>
      <g:id>X3</g:id>
      <g:title>Rug</g:title>
      <g:price>abc</g:price>
    </item>
    <item><g:id>X4</g:id><g:title>Mat</g:title><g:price>8 GBP</g:price><g:availability>backorder</g:availability></item>
  </channel>
</rss>
"""


def test_merchant_rss_xml_items_with_their_lines(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "feed.xml", MERCHANT_XML))
    assert result.format == "merchant"
    assert [(line, p.id) for line, p in result.products] == [(6, "X1"), (26, "X4")]
    assert_rejected(result, {17: "missing id", 21: "price: cannot read a price from 'abc'"})
    lamp = result.products[0][1]
    assert (lamp.title, lamp.description, lamp.price, lamp.brand) == ("Desk Lamp", "Warm light", 24.5, "Lumo")
    assert lamp.category == ["Home", "Lighting"] and lamp.url == "https://store.example/x1"
    assert lamp.attributes["shipping.country"] == "US"
    assert result.products[1][1].currency == "GBP"


def test_merchant_atom_feed_in_latin1_with_g_id_beating_atom_id(tmp_path: Path) -> None:
    xml = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n'
           '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">\n'
           ' <title>Store</title>\n <entry>\n  <id>urn:tag:1</id>\n  <title>Caf\xe9 Mug</title>\n'
           '  <link href="https://s/mug"/>\n  <g:id>M1</g:id>\n  <g:price>4,50 EUR</g:price>\n'
           '  <g:item_group_id>MUGS</g:item_group_id><g:color>White</g:color>\n </entry>\n</feed>\n')
    path = tmp_path / "feed.atom"
    path.write_bytes(xml.encode("latin-1"))
    result = read_feed(path)
    assert [(line, p.id) for line, p in result.products] == [(4, "MUGS")]
    mug = result.products[0][1]
    assert (mug.title, mug.url, mug.price, mug.currency) == ("Caf\xe9 Mug", "https://s/mug", 4.5, "EUR")
    assert [(v.id, v.options) for v in mug.variants] == [("M1", {"color": "White"})]


@pytest.mark.parametrize(("text", "message"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY a "aaaa">]>\n<rss><channel/></rss>', "DOCTYPE"),
    ("<rss><channel><item><g:id>1</g:id></item></channel>", "not well-formed XML"),
])
def test_dangerous_or_broken_xml_is_a_feed_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        read_feed(write(tmp_path, "feed.xml", text))


# --- Shopify product CSV export -----------------------------------------------------------------------------

SHOPIFY_COLUMNS = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
                   "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Variant SKU", "Variant Grams",
                   "Variant Inventory Qty", "Variant Price", "Variant Compare At Price", "Image Src", "Status"]


def shopify_row(**cells: str) -> list[str]:
    return [cells.get(column.replace(" ", "_").replace("(", "").replace(")", ""), "") for column in SHOPIFY_COLUMNS]


def test_shopify_rows_grouped_by_handle(tmp_path: Path) -> None:
    rows = [
        SHOPIFY_COLUMNS,
        shopify_row(Handle="classic-tee", Title="Classic Tee", Body_HTML="<p>Soft &amp; warm</p><p>Cotton<br>tee</p>",
                    Vendor="Acme", Product_Category="Apparel & Accessories > Clothing", Type="Shirts",
                    Tags="cotton, summer", Option1_Name="Color", Option1_Value="Red", Option2_Name="Size",
                    Option2_Value="M", Variant_SKU="TEE-R-M", Variant_Grams="200", Variant_Inventory_Qty="5",
                    Variant_Price="20.00", Variant_Compare_At_Price="25.00", Image_Src="https://s/tee.jpg",
                    Status="active"),
        shopify_row(Handle="classic-tee", Option1_Value="Blue", Option2_Value="L", Variant_SKU="TEE-B-L",
                    Variant_Inventory_Qty="-2", Variant_Price="22.00"),
        shopify_row(Handle="classic-tee", Image_Src="https://s/tee-back.jpg"),
        shopify_row(Handle="classic-tee", Option1_Value="Green", Option2_Value="S", Variant_Price="abc"),
        shopify_row(Handle="ghost", Option1_Value="Red", Variant_Price="5.00"),
        shopify_row(Handle="mug", Title="Mug", Type="Kitchen", Option1_Name="Title", Option1_Value="Default Title",
                    Variant_Inventory_Qty="3", Variant_Price="9.50", Status="draft"),
        shopify_row(Handle="broken", Title="Broken", Option1_Value="Default Title", Variant_Price="twelve"),
        shopify_row(Handle="mug", Title="Mug again", Variant_Price="1"),
        shopify_row(Handle="tall", Title="Tall", Option1_Value="X", Variant_Price="3", Variant_Inventory_Qty="2.5"),
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    result = read_feed(write(tmp_path, "products_export.csv", out.getvalue()))
    assert result.format == "shopify"
    assert ids(result) == {"classic-tee", "mug"}
    assert [line for line, _ in result.products] == [2, 7]
    assert_rejected(result, {5: "Variant Price: cannot read a price from 'abc'",
                             6: "continuation row for Handle 'ghost' without a product row",
                             8: "Variant Price: cannot read a price from 'twelve'",
                             9: "duplicate id 'mug' (first on line 7)",
                             10: "Variant Inventory Qty: not a whole number: '2.5'"})
    products = {p.id: p for _, p in result.products}
    tee = products["classic-tee"]
    assert tee.description == "Soft & warm\n\nCotton\ntee"
    assert (tee.title, tee.brand, tee.tags) == ("Classic Tee", "Acme", ["cotton", "summer"])
    assert tee.category == ["Apparel & Accessories", "Clothing"] and tee.attributes["type"] == "Shirts"
    assert (tee.price, tee.sale_price, tee.stock, tee.image_url) == (25.0, 20.0, 5, "https://s/tee.jpg")
    assert [(v.id, v.options, v.price, v.sale_price, v.stock) for v in tee.variants] == [
        ("TEE-R-M", {"color": "Red", "size": "M"}, 25.0, 20.0, 5),
        ("TEE-B-L", {"color": "Blue", "size": "L"}, 22.0, None, 0)]  # oversold (-2) counts as none left
    mug = products["mug"]
    assert (mug.category, mug.variants[0].options, mug.available) == (["Kitchen"], {}, False)  # draft
    assert mug.attributes["status"] == "draft"


# --- Detection, errors of the whole file, HTML, real data ---------------------------------------------------

@pytest.mark.parametrize(("name", "text", "expected"), [
    ("a.jsonl", '{"id": 1}\n', "jsonl"),
    ("a.ndjson", '{"id": 1}\n', "jsonl"),
    ("a.json", "[]", "json"),
    ("lines.json", '{"id": 1}\n{"id": 2}\n', "jsonl"),
    ("a.xml", "<rss/>", "merchant"),
    ("a.tsv", "id\ttitle\tprice\n", "merchant"),
    ("a.txt", "id\ttitle\tprice\n", "merchant"),
    ("a.csv", "Handle,Title,Variant Price\n", "shopify"),
    ("a.csv", "g:id,g:title,g:price\n", "merchant"),
    ("a.csv", "id,title,price,availability,link\n", "merchant"),
    ("a.csv", "id,title,image_link,price\n", "merchant"),
    ("a.csv", "id,title,price\n", "csv"),
])
def test_auto_detection(tmp_path: Path, name: str, text: str, expected: str) -> None:
    assert read_feed(write(tmp_path, name, text)).format == expected


def test_whole_file_problems_are_feed_errors(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="cannot tell the format"):
        read_feed(write(tmp_path, "feed.dat", "id,title\n"))
    with pytest.raises(FeedError, match="unknown feed format 'yaml'"):
        read_feed(write(tmp_path, "feed.csv", "id\n"), format="yaml")
    with pytest.raises(FeedError, match="cannot read"):
        read_feed(tmp_path / "missing.json")
    (tmp_path / "latin.csv").write_bytes("id,title,price\n1,Caf\xe9,3\n".encode("latin-1"))
    with pytest.raises(FeedError, match="not UTF-8"):
        read_feed(tmp_path / "latin.csv")
    with pytest.raises(FeedError, match="duplicate column"):
        read_feed(write(tmp_path, "dup.csv", "id,title,price,price\n1,a,1,2\n"))
    assert set(FORMATS) == {"auto", "json", "jsonl", "csv", "merchant", "shopify"}


def test_explicit_format_overrides_the_extension(tmp_path: Path) -> None:
    result = read_feed(write(tmp_path, "feed.txt", '{"id": "J1", "title": "A", "price": 1}\n'), format="jsonl")
    assert (result.format, ids(result)) == ("jsonl", {"J1"})


def test_html_to_text_keeps_paragraphs_and_unescapes() -> None:
    html = "<div><h2>Care</h2><p>Wash &lt;30&deg;C</p><ul><li>Dry flat</li><li>No iron</li></ul><script>x()</script></div>"
    assert html_to_text(html) == "Care\n\nWash <30°C\n\n- Dry flat\n- No iron"
    assert html_to_text("Line one<br/>line   two &amp; <b>bold</b>") == "Line one\nline two & bold"


def test_distinct_bad_row_kinds_cover_the_issue() -> None:
    # The JSONL table alone covers 24 kinds; the other formats add column counts, XML ids, Shopify rows.
    assert len(set(JSONL_BAD.values())) >= 20


def test_dummyjson_catalog() -> None:
    if not DUMMYJSON.exists():
        pytest.skip(f"shared data not present: {DUMMYJSON}")
    result = read_feed(DUMMYJSON)
    assert (result.format, len(result.products), result.rejections) == ("json", 194, [])
    products = [product for _, product in result.products]
    assert sum(len(p.reviews) for p in products) > 194 and all(p.review_count == len(p.reviews) for p in products)
    assert 0 < sum(p.brand is not None for p in products) < 194
    assert all(p.image_url and p.category for p in products)
    assert result.products[0][0] == 2  # the first object starts on the array's second line
