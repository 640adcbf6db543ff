"""Feed readers: every format with good and bad rows; each bad row rejected with its line and a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.catalog.feeds import FORMATS, FeedError, parse_mapping, read_feed
from tools.catalog.feeds_html import html_to_text
from feedkit import assert_rejected, ids, jsonl, write

DUMMYJSON = Path(__file__).resolve().parents[2] / "shared" / "data" / "dummyjson" / "products.json"


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
