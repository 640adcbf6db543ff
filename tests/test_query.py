"""The query parser: prices, ratings, stock, brands and categories read out of shopper text."""

from __future__ import annotations

import pytest

from tools.catalog.query import describe, edit_distance, parse_query

BRANDS = ["Apple", "Vaseline", "Chrysler", "Realme", "Calvin Klein", "Chanel", "Dell", "Nike", "Beats"]
CATEGORIES = ["beauty", "fragrances", "laptops", "smartphones", "mens-shoes", "sunglasses", "Electronics",
              "Headphones", "Pet Bed", "T-Shirt", "Gaming Mouse", "kitchen-accessories"]


def parse(text: str, **kw: object):
    return parse_query(text, BRANDS, CATEGORIES, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("text, max_price, rest", [
    ("makeup for a night out under $20", 20, "makeup for a night out"),
    ("headphones below 80 dollars", 80, "headphones"),
    ("shoes less than 80", 80, "shoes"),
    ("a scarf lower than 40.00 dollars", 40, "scarf"),
    ("cheaper than 30 bucks mug", 30, "mug"),
    ("max 50 lamp", 50, "lamp"),
    ("lamp up to $50", 50, "lamp"),
    ("car under 30k", 30000, "car"),
    ("tv under $1,299.99", 1299.99, "tv"),
    ("kettle $40 or less", 40, "kettle"),
    ("desk no more than 300 usd", 300, "desk"),
    ("tv <500", 500, "tv"),
])
def test_max_price(text: str, max_price: float, rest: str) -> None:
    q = parse(text)
    assert (q.max_price, q.min_price) == (max_price, None)
    assert q.text == rest
    assert q.understood[0].startswith("price ≤")


@pytest.mark.parametrize("text, low, high", [
    ("perfume between 50 and 100 dollars", 50, 100),
    ("$50-$100 headphones", 50, 100),
    ("headphones $50 - 100", 50, 100),
    ("50 to 100 bucks", 50, 100),
    ("between 100 and 50", 50, 100),
    ("from $20 to $35 gift", 20, 35),
])
def test_price_range(text: str, low: float, high: float) -> None:
    q = parse(text)
    assert (q.min_price, q.max_price) == (low, high)
    assert q.understood[0] == f"price {low:g}–{high:g}"


@pytest.mark.parametrize("text", ["watch over $200", "watch above 200", "watch more than 200 dollars",
                                  "watch $200 or more", "watch at least $200"])
def test_min_price(text: str) -> None:
    q = parse(text)
    assert (q.min_price, q.max_price, q.text) == (200, None, "watch")


@pytest.mark.parametrize("text", [
    "16gb laptop", "2 person tent", "size 10 shoes", "adjustable dumbbell set 30-50 lbs", "8 inch e-reader",
    "1000 piece jigsaw puzzle", "iphone 15 pro max 256gb", "2 to 4 person tent", "tent for 3 people",
    "under 5 kg backpack", "laptop over 15 inch", "pack of 12 pens", "4k monitor", "top rated 2 person tent",
    "espresso machine with 19 bar pressure", "blender over 1000 watts",
])
def test_quantities_are_not_prices(text: str) -> None:
    q = parse(text)
    assert (q.max_price, q.min_price) == (None, None), q


@pytest.mark.parametrize("text, rating, rest", [
    ("laptop with at least 4.5 stars", 4.5, "laptop"),
    ("serum 4.5 stars or more", 4.5, "serum"),
    ("rated 4+ sunglasses", 4, "sunglasses"),
    ("fruit rated above 4.5", 4.5, "fruit"),
    ("4 star blender", 4, "blender"),
    ("mixer with a rating of at least 4", 4, "mixer"),
    ("kettle 4+ stars", 4, "kettle"),
])
def test_min_rating(text: str, rating: float, rest: str) -> None:
    q = parse(text)
    assert q.min_rating == rating
    assert (q.max_price, q.min_price) == (None, None)  # "at least 4 stars" is not a price of 4
    assert q.text == rest


def test_rating_and_price_together() -> None:
    q = parse("laptop under $900 with at least 4 stars")
    assert (q.max_price, q.min_rating, q.category, q.text) == (900, 4, "laptops", "laptop")
    assert q.understood == ["price ≤ 900", "rating ≥ 4", "category laptops"]


@pytest.mark.parametrize("text, expected", [
    ("gaming mouse in stock", True), ("available now: gaming mouse", True),
    ("available medium pet bed in grey", True), ("mouse available in blue", None),
    ("out of stock mouse", None), ("gaming mouse", None),
])
def test_in_stock(text: str, expected: bool | None) -> None:
    assert parse(text).in_stock is expected


@pytest.mark.parametrize("text, brand, rest", [
    ("dell xps", "Dell", "dell xps"),
    ("DELL laptop", "Dell", "DELL laptop"),
    ("calvin klein", "Calvin Klein", "calvin klein"),
    ("vasline", "Vaseline", "Vaseline"),  # one typo: the text is searched with the catalog's spelling
    ("relme phone", "Realme", "Realme phone"),
    ("crysler", "Chrysler", "Chrysler"),
])
def test_brand(text: str, brand: str, rest: str) -> None:
    q = parse(text)
    assert q.brand == brand
    assert q.text == rest


@pytest.mark.parametrize("text", [
    "apples",  # a plural of a brand name is the common noun
    "nikee shoes",  # names under five letters take no typo
    "dellicious cake", "beat maker",  # not whole words / not within one edit of a long-enough name
    "pineapple juice",
])
def test_not_a_brand(text: str) -> None:
    assert parse(text).brand is None


def test_words_the_catalog_uses_are_not_typos() -> None:
    assert parse("beast headphones").brand == "Beats"
    assert parse("beast headphones", vocabulary={"beast", "headphones"}).brand is None


def test_brand_typo_is_reported() -> None:
    assert parse("vasline lotion").understood == ["brand Vaseline (from 'vasline')"]


@pytest.mark.parametrize("text, category", [
    ("laptops", "laptops"), ("laptop under 1500", "laptops"), ("green sunglasses", "sunglasses"),
    ("fragrance for her", "fragrances"), ("men's shoes", "mens-shoes"), ("kitchen accessory", "kitchen-accessories"),
    ("t-shirts", "T-Shirt"), ("large memory foam pet bed", "Pet Bed"), ("gaming mice", None),
    ("headphones for running", "Headphones"), ("grey hydration backpack, large", None),
    ("beauty products", "beauty"),
])
def test_category(text: str, category: str | None) -> None:
    q = parse(text)
    assert q.category == category
    assert q.text == text.replace(" under 1500", "")  # the category word stays in the search text


@pytest.mark.parametrize("text", ["laptop bag", "headphone stand", "fresh fruit", "men's shoe laces",
                                  "beautiful vase"])
def test_not_a_category(text: str) -> None:
    assert parse(text).category is None


def test_category_paths_match_their_last_segment() -> None:
    q = parse_query("cheap laptops", [], ["Electronics > Computers > Laptops"])
    assert q.category == "Laptops"


def test_plain_query_is_untouched() -> None:
    q = parse("powder to stop my face looking shiny")
    assert q.text == "powder to stop my face looking shiny"
    assert q.filters() == {} and q.understood == []


def test_only_constraints_leaves_empty_text() -> None:
    q = parse("under $50")
    assert (q.text, q.max_price) == ("", 50)


def test_describe_and_edit_distance() -> None:
    assert describe({"min_price": 5, "max_price": 9.5, "in_stock": True}) == ["price 5–9.5", "in stock"]
    assert edit_distance("iphnoe", "iphone") == 1  # a transposition is one edit
    assert edit_distance("vasline", "vaseline") == 1
    assert edit_distance("abc", "xyz123", limit=2) == 3
