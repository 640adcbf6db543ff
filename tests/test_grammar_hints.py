"""The grammar protocol's "Hints:" line and the shop's pre-parse that fills it (no model needed)."""

from __future__ import annotations

import json
from typing import Literal

import numpy as np
import pytest

from agent.models.base import ToolCall
from agent.models.grammar import (GrammarDocument, decision_gbnf, decision_schema, hinted_values, seen_values,
                                  turn_numbers)
from tools.resources import load_prompt_yaml as load_yaml
from agent.tools import tool
from tools.hints import IntentIndex, ShoppingHints, search_phrase, value_hints


@tool
def search_catalog(query: str, max_price: float | None = None):
    """Search the product catalog."""


@tool
def get_product(product_id: str):
    """One product's details."""


SPECS = [search_catalog.spec(), get_product.spec()]
FEW_SHOT = [{"user": "tell me about product 7", "call": {"tool": "get_product", "args": {"product_id": "7"}}},
            {"user": "hi", "call": None, "reply": "Hello!"}]


def fake_hints(text: str) -> str:
    return "ids " + ", ".join(w for w in text.split() if w.isdigit()) if any(c.isdigit() for c in text) else "-"


def test_hints_come_before_every_call_in_examples_and_live_turns():
    doc = GrammarDocument(FEW_SHOT, hints=fake_hints)
    text, step = doc.render([{"role": "user", "content": "is product 42 in stock?"}], SPECS)
    assert step == "decide"
    assert 'User: tell me about product 7\nHints: ids 7\nCall: {"tool": "get_product"' in text
    assert "User: hi\nHints: -\nCall: {\"tool\": \"none\"}\nAssistant: Hello!" in text
    assert text.endswith("User: is product 42 in stock?\nHints: ids 42\nCall:")
    assert 'A "Hints:" line' in text  # the header explains the line only when hints are on


def test_the_document_stays_append_only_with_hints():
    doc = GrammarDocument(FEW_SHOT, hints=fake_hints)
    user = {"role": "user", "content": "is product 42 in stock?"}
    first, _ = doc.render([user], SPECS)
    call = ToolCall("call_1", "get_product", '{"product_id": "42"}')
    convo = [user, {"role": "assistant", "content": None, "tool_calls": [call.to_message()]},
             {"role": "tool", "tool_call_id": "call_1", "content": "{}"}]
    second, step = doc.render(convo, SPECS)
    assert step == "reply" and second.startswith(first)
    convo += [{"role": "assistant", "content": "In stock."}, {"role": "user", "content": "thanks"}]
    third, _ = doc.render(convo, SPECS)
    assert third.startswith(second) and third.endswith("User: thanks\nHints: -\nCall:")


def test_without_hints_or_tools_there_is_no_hints_line():
    text, _ = GrammarDocument(FEW_SHOT).render([{"role": "user", "content": "product 42"}], SPECS)
    assert "Hints:" not in text
    text, step = GrammarDocument(FEW_SHOT, hints=fake_hints).render([{"role": "user", "content": "product 42"}], [])
    assert step == "reply" and "Hints:" not in text


@pytest.mark.parametrize("text, hint", [
    ("is product 133 in stock?", 'ids "133"'),
    ("how long is the warranty on P82", 'ids "P82"'),
    ("what's the return policy on item p88?", 'ids "P88"'),
    ("compare items 51 and 61 for me", 'ids "51", "61"'),
    ("which is better, P78 or P80?", 'ids "P78", "P80"'),
    ("the Dior (product 8) or the Chanel (product 7)?", 'ids "8", "7"'),
    ("put 3 of item P42 in my cart", 'ids "P42"; count 3'),
    ("give me 4 alternatives to product 10", 'ids "10"; count 4'),
    ("top 5 picks for me", "count 5"),
    ("a laptop under $1000", "max_price 1000"),
    ("shirts, price lower than 40.00 dollars", "max_price 40"),
    ("running shoes, nothing over 80 bucks", "max_price 80"),
    ("a lamp for less than 30 bucks", "max_price 30"),
    ("perfume between 50 and 100 dollars", "max_price 100; min_price 50"),
    ("phones rated 4.5 stars or higher", "min_rating 4.5"),
    ("a case for my iPhone 12", "-"),
    ("hi", "-"),
])
def test_value_hints_read_ids_prices_and_counts(text, hint):
    assert value_hints(text) == hint


def bag_of_words(texts: list[str]) -> np.ndarray:
    """A stand-in embedder: normalised word counts over a tiny vocabulary."""
    vocab = ["cart", "add", "remove", "compare", "reviews", "hello", "n"]
    rows = np.array([[t.lower().split().count(w) for w in vocab] for t in texts], dtype=float) + 1e-6
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_the_likely_tool_comes_from_the_nearest_labelled_lines_with_ids_masked():
    index = IntentIndex({"add_to_cart": ["add 3 to cart", "add P9 to cart please"],
                         "compare_products": ["compare 1 and 2", "compare P4 and P5"],
                         "none": ["hello", "hello there"]}, bag_of_words, k=2)
    assert index.nearest("compare P77 and P78") == "compare_products"
    hints = ShoppingHints(index)
    assert hints("add P12 to cart") == 'ids "P12"; likely add_to_cart'
    assert hints("hello") == "likely none"


def test_the_few_shot_bank_covers_every_tool_and_no_tool():
    bank = load_yaml("fewshot.yaml")
    called = {ex["call"]["tool"] for ex in bank if ex["call"]}
    assert called >= {"search_catalog", "get_product", "get_user_history", "recommend_products", "compare_products",
                      "summarize_reviews", "write_description", "view_cart", "add_to_cart", "remove_from_cart"}
    assert sum(ex["call"] is None for ex in bank) >= 6
    for ex in bank:  # every id and number an example passes is one its Hints: line offers to copy
        if ex["call"]:
            args = json.dumps(ex["call"]["args"])
            for pid in [v for k, v in ex["call"]["args"].items() if k in ("product_id", "based_on")] + \
                    ex["call"]["args"].get("product_ids", []):
                if pid != "history":
                    assert f'"{pid}"' in value_hints(ex["user"]), (ex["user"], args)


@tool
def add_to_cart(product_id: str, quantity: int | None = None):
    """Put a product in the cart."""


def _args(schema: dict, name: str) -> dict:
    return next(c["properties"]["args"]["properties"] for c in schema["anyOf"]
                if c["properties"]["tool"].get("const") == name)


def test_optional_numbers_come_only_from_the_turn():
    doc = 'x\nUser: under $50 please\nCall: {}\n\nUser: add 3 of product 42, or 1,299.5?\nHints: ids "42"\nCall:'
    numbers = turn_numbers(doc)
    assert numbers == [3.0, 42.0, 1299.5]  # the earlier turn's 50 is not offered
    schema = decision_schema([search_catalog.spec(), add_to_cart.spec()], numbers)
    assert _args(schema, "search_catalog")["max_price"] == {"enum": [3, 42, 1299.5]}
    assert _args(schema, "add_to_cart")["quantity"] == {"enum": [3, 42]}  # integers only
    schema = decision_schema([search_catalog.spec(), add_to_cart.spec()], [])
    assert set(_args(schema, "search_catalog")) == {"query"} and set(_args(schema, "add_to_cart")) == {"product_id"}


def test_governed_arguments_take_only_the_value_the_hints_name():
    doc = "x\nUser: phones rated 4.5 or better, under 300\nHints: max_price 300; min_rating 4.5; count 2\nCall:"
    assert hinted_values(doc) == {"max_price": 300.0, "min_rating": 4.5, "count": 2.0}

    @tool
    def search(query: str, max_price: float | None = None, min_rating: float | None = None,
               brand: str | None = None, limit: int | None = None):
        """Search."""

    schema = decision_schema([search.spec()], turn_numbers(doc), hinted_values(doc),
                             governed={"max_price", "min_rating", "brand"})
    args = _args(schema, "search")
    assert args["max_price"] == {"enum": [300]} and args["min_rating"] == {"enum": [4.5]}
    assert "brand" not in args  # governed, and the hints gave no brand
    required = next(c for c in schema["anyOf"] if c["properties"]["tool"].get("const") == "search")[
        "properties"]["args"]["required"]
    assert required == ["query", "max_price", "min_rating"]
    assert args["limit"] == {"enum": [2, 300]}  # not governed: any integer written in the turn
    gbnf = decision_gbnf([search.spec()], turn_numbers(doc), hinted_values(doc), governed={"brand"})
    assert "root ::=" in gbnf


def test_the_shop_hints_govern_filters_the_search_tool_parses_from_the_query():
    doc = GrammarDocument([], hints=ShoppingHints(IntentIndex({"none": ["hi"]}, bag_of_words)))
    assert {"max_price", "min_rating", "brand", "category"} <= doc.governed
    assert GrammarDocument([]).governed == frozenset()


@tool
def recommend(based_on: str = "history", limit: int = 5):
    """Recommendations."""


@tool
def compare(product_ids: list[str]):
    """Compare products."""


@tool
def describe(product_id: str, tone: str = "neutral", length: Literal["short", "medium", "long"] = "medium"):
    """Write a description."""


BOUND = {"product_id": "ids", "product_ids": "ids", "based_on": "ids", "limit": "count", "tone": "tone",
         "length": "length"}


def _required(schema: dict, name: str) -> list[str]:
    return next(c for c in schema["anyOf"] if c["properties"]["tool"].get("const") == name)[
        "properties"]["args"]["required"]


def test_hinted_values_read_numbers_and_quoted_lists():
    doc = 'x\nUser: 3 like P88 and 7, casual tone\nHints: ids "P88", "7"; count 3; tone "casual"; likely x\nCall:'
    assert hinted_values(doc) == {"ids": ["P88", "7"], "count": 3.0, "tone": ["casual"]}


def test_bound_arguments_are_pinned_to_the_hinted_values_and_required():
    doc = 'x\nUser: give me 3 alternatives to product 88\nHints: ids "88"; count 3\nCall:'
    schema = decision_schema([recommend.spec(), compare.spec(), describe.spec()], turn_numbers(doc),
                             hinted_values(doc), bound=BOUND)
    assert _args(schema, "recommend") == {"based_on": {"enum": ["88"]}, "limit": {"enum": [3]}}
    assert _required(schema, "recommend") == ["based_on", "limit"]  # "history" is no longer a way out
    assert _args(schema, "compare")["product_ids"]["items"] == {"enum": ["88"]}
    assert _args(schema, "describe")["product_id"] == {"enum": ["88"]}


def test_a_string_pinned_inside_an_enum_keeps_only_allowed_values():
    doc = 'x\nUser: short and fun, P3\nHints: ids "P3"; tone "fun"; length "short"\nCall:'
    schema = decision_schema([describe.spec()], turn_numbers(doc), hinted_values(doc), bound=BOUND)
    assert _args(schema, "describe") == {"product_id": {"enum": ["P3"]}, "tone": {"enum": ["fun"]},
                                         "length": {"enum": ["short"]}}
    doc = 'x\nUser: P3\nHints: ids "P3"; length "huge"\nCall:'  # not one of the enum's values: left free
    schema = decision_schema([describe.spec()], turn_numbers(doc), hinted_values(doc), bound=BOUND)
    assert _args(schema, "describe")["length"]["enum"] == ["short", "medium", "long"]


def test_without_a_hinted_value_a_bound_argument_stays_free():
    doc = "x\nUser: add the first one\nHints: -\nCall:"
    schema = decision_schema([recommend.spec(), describe.spec()], turn_numbers(doc), hinted_values(doc),
                             bound=BOUND)
    # any string: an id from an earlier result may be used; no number was written, so no limit is offered
    assert _args(schema, "recommend") == {"based_on": {"type": "string"}}
    assert _required(schema, "describe") == ["product_id"]
    # governed and bound: tone comes from the hints or not at all
    schema = decision_schema([describe.spec()], turn_numbers(doc), hinted_values(doc),
                             governed={"tone", "length"}, bound=BOUND)
    assert set(_args(schema, "describe")) == {"product_id"}


@pytest.mark.parametrize("text, hint", [
    ("add item 9 to the cart, quantity 2", 'ids "9"; count 2'),
    ("add three of P61 to my cart", 'ids "P61"; count 3'),
    ("description for item P30 please, casual tone, medium length", 'ids "P30"; tone "casual"; length "medium"'),
    ("write copy for product 99, keep it short", 'ids "99"; length "short"'),
    ("write a short, technical description of item P61", 'ids "P61"; tone "technical"; length "short"'),
    ("sales copy for P140 in a luxury tone", 'ids "P140"; tone "luxury"'),
    ("a one-liner for P5 please", 'ids "P5"; length "short"'),
    ("how long is the warranty on P82", 'ids "P82"'),
    ("Show me everything in the groceries category under $5", 'max_price 5; category "groceries"'),
    ("browse the home decor section", 'category "home decor"'),
    ("which category is P5 in?", 'ids "P5"'),
    ("is this the same category?", "-"),
])
def test_value_hints_read_quantities_categories_tone_and_length(text, hint):
    assert value_hints(text) == hint


def test_ids_narrow_the_likely_tool_and_a_bound_without_ids_means_a_search():
    index = IntentIndex({"add_to_cart": ["add N to cart"], "view_cart": ["show my cart", "what is in my cart"],
                         "search_catalog": ["show me hello"]}, bag_of_words, k=2)
    hints = ShoppingHints(index)
    assert hints("show my cart") == "likely view_cart"
    assert hints("show my cart P4") == 'ids "P4"; likely add_to_cart'  # the only id-taking tool it knows
    assert hints("show my cart under $5") == 'max_price 5; query "my cart"; likely search_catalog'
    assert ShoppingHints.bindings["based_on"] == "ids" and "tone" in ShoppingHints.arguments


def test_ids_come_from_the_conversation_or_the_tool_cannot_be_chosen():
    live = ('User: headphones please\nHints: -\nCall: {"tool": "search"}\n'
            'Result: {"results":[{"id":"P0001","title":"A"},{"id":"P0002","title":"B"}]}\nAssistant: Two.\n\n'
            'User: tell me about product 7\nHints: ids "7"\nCall: {}\n\nUser: add the first one\nHints: -\nCall:')
    seen = seen_values(live, {"ids": ("id", "product_id")})
    assert seen == {"ids": ["P0001", "P0002", "7"]}
    doc = "x\n" + live
    schema = decision_schema([recommend.spec(), describe.spec()], turn_numbers(doc), hinted_values(doc),
                             bound=BOUND, seen=seen)
    assert _args(schema, "describe")["product_id"] == {"enum": ["P0001", "P0002", "7"]}
    # an optional id keeps its default as a choice, written out
    assert _args(schema, "recommend")["based_on"] == {"enum": ["P0001", "P0002", "7", "history"]}
    assert _required(schema, "recommend") == ["based_on"]
    fresh = "x\nUser: i am looking for 10 pounds of sea salt\nHints: -\nCall:"
    schema = decision_schema([recommend.spec(), describe.spec(), search_catalog.spec()], turn_numbers(fresh),
                             hinted_values(fresh), bound=BOUND, seen={"ids": []})
    tools = [c["properties"]["tool"]["const"] for c in schema["anyOf"]]
    assert tools == ["recommend", "search_catalog", "none"]  # no id anywhere: describe(product_id) is impossible
    assert _args(schema, "recommend")["based_on"] == {"enum": ["history"]}


def test_the_document_reports_ids_seen_after_its_examples_only():
    hints = ShoppingHints(IntentIndex({"none": ["hi"]}, bag_of_words))
    doc = GrammarDocument(FEW_SHOT, hints=hints)
    user = {"role": "user", "content": "hello"}
    text, _ = doc.render([user], SPECS)
    assert 'ids "7"' in text  # the example's hint: not an id of this conversation
    assert doc.seen(text) == {"ids": []}
    call = ToolCall("call_1", "search_catalog", '{"query": "x"}')
    convo = [user, {"role": "assistant", "content": None, "tool_calls": [call.to_message()]},
             {"role": "tool", "tool_call_id": "call_1", "content": '{"results": [{"id": "P9"}]}'},
             {"role": "assistant", "content": "One."}, {"role": "user", "content": "add it"}]
    text, _ = doc.render(convo, SPECS)
    assert doc.seen(text) == {"ids": ["P9"]}
    plain = GrammarDocument(FEW_SHOT, hints=fake_hints)  # hints without result_keys: ids are not tracked
    assert plain.seen(plain.render(convo, SPECS)[0]) is None


@pytest.mark.parametrize("text, phrase", [
    ("I'm looking for a laptop under $1000", "laptop"),
    ("Need a new case for my iPhone 12", "case for my iPhone 12"),
    ("what Rolex watches have you got", "Rolex watches"),
    ("do you have any wireless earbuds?", "wireless earbuds"),
    ("I need running shoes, nothing over 80 bucks", "running shoes"),
    ("am looking for low rise yoga shorts for women, blue color", "low rise yoga shorts for women, blue color"),
    ("can you find me a 2 pack of whitening toothpaste, and price lower than 20.00 dollars",
     "2 pack of whitening toothpaste"),
])
def test_the_search_phrase_is_the_shoppers_words_without_opener_or_bounds(text, phrase):
    assert search_phrase(text) == phrase


def test_search_hints_carry_the_phrase_and_the_examples_copy_it():
    index = IntentIndex({"search_catalog": ["looking for shoes"], "none": ["hello"]}, bag_of_words, k=1)
    hints = ShoppingHints(index)
    assert hints("I need a phone case under $20") == 'max_price 20; query "phone case"; likely search_catalog'
    assert "query" not in hints("hello")  # only a search gets a query hint
    for ex in load_yaml("fewshot.yaml"):  # the bank teaches copying it
        if ex["call"] and ex["call"]["tool"] == "search_catalog":
            assert ex["call"]["args"]["query"] == search_phrase(ex["user"]), ex["user"]


def test_hints_that_decide_leave_the_model_their_tool_or_none():
    class Deciding:
        decides = "likely"

        def __call__(self, text: str) -> str:
            return {"is P4 in stock?": 'ids "P4"; likely get_product', "hi": "likely none",
                    "x": "likely write_description"}.get(text, "-")

    doc = GrammarDocument(FEW_SHOT, hints=Deciding())

    def names(text: str) -> list[str]:
        rendered, _ = doc.render([{"role": "user", "content": text}], SPECS)
        return [t["function"]["name"] for t in doc.choices(rendered, SPECS)]

    assert names("is P4 in stock?") == ["get_product"]
    assert names("hi") == []  # only "none" is left in the grammar
    assert names("x") == names("no hint") == ["search_catalog", "get_product"]  # unknown tool / no hint: all
    rendered, _ = GrammarDocument(FEW_SHOT, hints=fake_hints).render([{"role": "user", "content": "hi"}], SPECS)
    assert GrammarDocument(FEW_SHOT, hints=fake_hints).choices(rendered, SPECS) == SPECS  # hints that don't decide
    tools = [c["properties"]["tool"]["const"] for c in decision_schema([])["anyOf"]]
    assert tools == ["none"]
    Deciding.knows = lambda self, name: name != "search_catalog"  # a tool added after the labelled lines
    assert names("is P4 in stock?") == ["search_catalog", "get_product"] and names("hi") == ["search_catalog"]
    shop = ShoppingHints(IntentIndex({"get_product": ["details of N"], "none": ["hi"]}, bag_of_words))
    assert shop.knows("get_product") and not shop.knows("track_order")
