"""The one budget and constraint parser (tools/constraints.py), its dev set, and the hints and lexicon built on it."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest

from tools.constraints import parse_constraints
from tools.app import build_registry
from tools.hints import ShoppingHints, search_phrase, value_hints
from tools.lexicon import language, to_english
from tools.resources import load_prompt_yaml

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_budgets", ROOT / "bench" / "budgets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_dev_set_is_read_right_and_no_bound_is_ever_inverted() -> None:
    bench = _bench()
    rows = bench.read(ROOT / "tests" / "data" / "budget_dev.jsonl")
    assert len(rows) >= 80 and {r["lang"] for r in rows} == {"en", "es", "fr", "de", "zh"}
    summary, wrong = bench.score(rows)
    assert summary["accuracy"] >= 0.95, wrong
    assert summary["inverted_bounds"] == 0, wrong


@pytest.mark.parametrize("text", [
    "I won't pay more than $40", "I can't spend more than 40 dollars", "shouldn't be over $40",
    "nothing above 40 bucks", "don't show me anything over $40", "no quiero gastar más de 40 euros",
    "je ne veux pas payer plus de 40 €", "nicht mehr als 40 Euro", "不超过40块", "不要超过40元",
])
def test_a_negation_never_turns_a_cap_into_a_floor(text: str) -> None:
    c = parse_constraints(text)
    assert (c.max_price, c.min_price) == (Decimal("40"), None)


@pytest.mark.parametrize("text, floor", [("not less than $80", 80), ("nothing cheaper than $50", 50),
                                         ("I don't want anything under 20 dollars", 20)])
def test_a_negated_cap_word_is_a_floor(text: str, floor: int) -> None:
    c = parse_constraints(text)
    assert (c.min_price, c.max_price) == (Decimal(floor), None)


def test_amounts_are_exact_with_the_currency_written() -> None:
    c = parse_constraints("a tv up to $1,299.99")
    assert c.max_price == Decimal("1299.99") and isinstance(c.max_price, Decimal) and c.currency == "USD"
    assert parse_constraints("moins de 12,50 €").max_price == Decimal("12.5")
    assert parse_constraints("moins de 12,50 €").currency == "EUR"
    assert parse_constraints("50元以下").currency == "CNY"
    assert parse_constraints("under 50").currency is None  # the shop's own currency
    assert parse_constraints("car under 30k").max_price == Decimal("30000")


@pytest.mark.parametrize("text, cap", [
    ("$80 max", 80), ("50 bucks tops", 50), ("$75 is my limit", 75), ("my budget is $200", 200),
    ("sub-$50", 50), ("≤ $30", 30), ("I've got 20 dollars", 20), ("with $60 to spend", 60),
    ("under forty dollars", 40), ("a hundred bucks or less", 100), ("no more than a hundred and fifty dollars", 150),
    ("como máximo cincuenta euros", 50), ("für maximal fünfzig Euro", 50), ("五十块以内", 50), ("两百元以内", 200),
])
def test_caps_in_their_many_forms(text: str, cap: int) -> None:
    assert parse_constraints(text).max_price == Decimal(cap)


def test_the_line_without_what_was_read_and_the_words_that_said_it() -> None:
    c = parse_constraints("laptop under $900 with at least 4 stars, in stock")
    assert c.filters() == {"max_price": 900.0, "min_rating": 4.0, "in_stock": True}
    assert c.rest == "laptop ,"
    assert c.said == {"min_rating": "with at least 4 stars", "max_price": "under $900"}


@pytest.mark.parametrize("text", ["can I have 10 of them", "16gb laptop", "2 to 4 person tent", "size between 10.5 and 11",
                                  "iphone 15 pro max 6.7 inch", "tv stand for tvs up to 48 inches", "compare P0012 and P0031",
                                  "blender over 1000 watts", "laptops 50"])
def test_numbers_that_are_not_money(text: str) -> None:
    c = parse_constraints(text)
    assert (c.max_price, c.min_price, c.amounts) == (None, None, ())


def test_money_with_no_readable_bound_raises_the_soft_guard_flag() -> None:
    c = parse_constraints("headphones around $50 or maybe 60 dollars")
    assert c.found_money_but_no_bound and c.amounts == (Decimal("50"), Decimal("60"))
    assert not parse_constraints("headphones under $50").found_money_but_no_bound
    assert not parse_constraints("headphones").found_money_but_no_bound
    hints = ShoppingHints(build_registry())
    assert hints.open_arguments("is there a kettle for about 40 dollars?") == {"max_price", "min_price"}
    assert hints.open_arguments("a kettle under 40 dollars") == frozenset()
    assert hints.constraints("is P0042 under $30?").max_price == Decimal("30")  # the id is not an amount


@pytest.mark.parametrize("text, hint", [
    ("I won't pay more than $40 for a desk lamp", "max_price 40"),
    ("coffee grinder, $80 max", "max_price 80"),
    ("a rain jacket under a hundred bucks", "max_price 100"),
    ("busco auriculares inalámbricos por menos de 50 dólares", "max_price 50"),
    ("un casque à moins de 50 €", "max_price 50"),
    ("Kopfhörer unter 50 Euro", "max_price 50"),
    ("50元以下的耳机", "max_price 50"),
    ("不超过50块的蓝牙音箱", "max_price 50"),
    ("headphones around $50", "-"),  # no bound: nothing pinned, the flag keeps the argument open
])
def test_hints_carry_the_parsed_budget(text: str, hint: str) -> None:
    assert value_hints(text) == hint


@pytest.mark.parametrize("text, phrase", [
    ("busco auriculares inalámbricos por menos de 50 dólares", "wireless headphones"),
    ("je cherche une bouilloire à moins de 50 €", "kettle"),
    ("ich suche Laufschuhe unter 100 Euro", "running shoes"),
    ("50元以下的耳机", "headphones"),
    ("不超过50块的水杯", "water bottle"),
    ("I'm looking for a laptop under $1000", "laptop"),
])
def test_the_search_phrase_is_in_the_catalogs_language(text: str, phrase: str) -> None:
    assert search_phrase(text) == phrase


def test_the_lexicon_leaves_english_alone_and_keeps_names_and_ids() -> None:
    english = [line for lines in load_prompt_yaml("intents.yaml").values() for line in lines]
    assert [line for line in english if language(line) != "en"] == []
    assert to_english("wireless earbuds under $60") == "wireless earbuds under $60"
    assert to_english("añade el P0012 a mi carrito") == "add P0012 cart"
    assert to_english("Hushpod Laufschuhe für Damen") == "Hushpod running shoes women"
    assert (language("casque sans fil"), language("Kopfhörer"), language("耳机")) == ("fr", "de", "zh")


def test_the_catalogs_own_words_are_kept_and_do_not_make_a_line_french() -> None:
    assert to_english("eau de parfum under $80") == "eau de parfum under $80"
    assert to_english("Maison Verel eau de parfum", keep={"maison", "verel", "eau", "de", "parfum"}) == \
        "Maison Verel eau de parfum"
    assert language("Maison Verel parfum", keep={"maison", "verel", "parfum"}) == "en"
