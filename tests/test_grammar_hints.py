"""The shop's step preparer (tools/hints.py): what it reads from a shopper line, the note the model sees, and
the plan that narrows the grammar (no model needed)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from agent.models.base import ToolCall
from agent.models.grammar import GrammarDocument, decision_schema
from tools.app import build_registry
from tools.hints import ShoppingHints, search_phrase, value_hints
from tools.intents import IntentIndex
from tools.resources import load_prompt_yaml as load_yaml

REGISTRY = build_registry()
SPECS = REGISTRY.specs()


def bag_of_words(texts: list[str]) -> np.ndarray:
    """A stand-in embedder: normalised word counts over a tiny vocabulary."""
    vocab = ["cart", "add", "remove", "compare", "reviews", "hello", "n", "show", "my", "details", "phones"]
    rows = np.array([[t.lower().split().count(w) for w in vocab] for t in texts], dtype=float) + 1e-6
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def shop(labelled: dict[str, list[str]], k: int = 2) -> ShoppingHints:
    return ShoppingHints(REGISTRY, IntentIndex(labelled, bag_of_words, k=k))


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
    ("add item 9 to the cart, quantity 2", 'ids "9"; count 2'),
    ("add three of P61 to my cart", 'ids "P61"; count 3'),
    ("description for item P30 please, casual tone, medium length", 'ids "P30"; tone "casual"; length "medium"'),
    ("write copy for product 99, keep it short", 'ids "99"; length "short"'),
    ("write a short, technical description of item P61", 'ids "P61"; tone "technical"; length "short"'),
    ("sales copy for P140 in a luxury tone", 'ids "P140"; tone "luxury"'),
    ("a one-liner for P5 please", 'ids "P5"; length "short"'),
    ("Show me everything in the groceries category under $5", 'max_price 5; category "groceries"'),
    ("browse the home decor section", 'category "home decor"'),
    ("which category is P5 in?", 'ids "P5"'),
    ("is this the same category?", "-"),
])
def test_value_hints_read_ids_bounds_counts_categories_tone_and_length(text, hint):
    assert value_hints(text) == hint


def test_the_likely_tool_comes_from_the_nearest_labelled_lines_with_ids_masked():
    index = IntentIndex({"add_to_cart": ["add 3 to cart", "add P9 to cart please"],
                         "compare_products": ["compare 1 and 2", "compare P4 and P5"],
                         "none": ["hello", "hello there"]}, bag_of_words, k=2)
    assert index.nearest("compare P77 and P78") == "compare_products"
    hints = ShoppingHints(REGISTRY, index)
    assert hints.note("add P12 to cart") == 'ids "P12"; likely add_to_cart'
    assert hints.note("hello") == "likely none"


def test_ids_narrow_the_likely_tool_and_a_bound_without_ids_means_a_search():
    hints = shop({"add_to_cart": ["add N to cart"], "view_cart": ["show my cart", "what is in my cart"],
                  "search_catalog": ["show me hello"]})
    assert hints.note("show my cart") == "likely view_cart"
    assert hints.note("show my cart P4") == 'ids "P4"; likely add_to_cart'  # the only id-taking tool it knows
    assert hints.note("show my cart under $5") == 'max_price 5; query "my cart"; likely search_catalog'
    assert hints.prepare([{"role": "user", "content": "show my cart under $5"}], SPECS).tool == "search_catalog"


def test_the_plan_pins_stated_bounds_and_leaves_out_the_filters_nobody_stated():
    hints = shop({"search_catalog": ["phones"], "none": ["hello"]})
    line = "phones rated 4.5 or better, under 300"
    plan = hints.prepare([{"role": "user", "content": line}], SPECS)
    assert plan.pins["search_catalog"] == {"max_price": (300.0,), "min_rating": (4.5,)}
    schema = decision_schema(SPECS, [4.5, 300.0], plan)
    args = next(c["properties"]["args"] for c in schema["anyOf"]
                if c["properties"]["tool"].get("const") == "search_catalog")
    assert args["properties"]["max_price"] == {"enum": [300]} and args["properties"]["min_rating"] == {"enum": [4.5]}
    assert {"brand", "category", "in_stock", "min_price"}.isdisjoint(args["properties"])  # never invented
    assert {"max_price", "min_rating"} <= set(args["required"])
    # a count pins the cart's quantity; a tone the description's
    plan = hints.prepare([{"role": "user", "content": "add three of P61 to my cart"}], SPECS)
    assert plan.pins["add_to_cart"] == {"product_id": ("P61",), "quantity": (3,)}
    plan = hints.prepare([{"role": "user", "content": "sales copy for P140 in a luxury tone"}], SPECS)
    assert plan.pins["write_description"] == {"product_id": ("P140",), "tone": ("luxury",)}


def after(call: ToolCall, result: object) -> list[dict]:
    return [{"role": "assistant", "content": None, "tool_calls": [call.to_message()]},
            {"role": "tool", "tool_call_id": call.id, "content": json.dumps(result)}]


def test_ids_come_from_the_conversation_and_never_from_the_examples():
    hints = shop({"add_to_cart": ["add N to cart"], "none": ["hello"]})
    convo = [{"role": "user", "content": "headphones please"},
             *after(ToolCall("call_1", "search_catalog", '{"query": "headphones"}'),
                    {"results": [{"id": "P0001", "title": "A"}, {"id": "P0002", "title": "B"}]}),
             {"role": "assistant", "content": "Two."}, {"role": "user", "content": "tell me about product 7"},
             {"role": "assistant", "content": "Sorry."}, {"role": "user", "content": "add one to the cart"}]
    plan = hints.prepare(convo, SPECS)
    assert plan.shown["add_to_cart"] == {"product_id": ("P0001", "P0002", "7")}
    assert plan.shown["compare_products"] == {"product_ids": ("P0001", "P0002", "7")}
    assert "search_catalog" not in [n for n, s in plan.shown.items() if s]  # it takes no id
    # a fresh conversation has shown nothing, whatever the few-shot examples name: no id can be chosen
    fresh = [{"role": "user", "content": "i am looking for 10 pounds of sea salt"}]
    doc = GrammarDocument(load_yaml("fewshot.yaml"), preparer=hints)
    assert 'ids "' in doc.render(fresh, SPECS)[0]  # the examples' notes name ids…
    plan = doc.plan(fresh, SPECS)
    assert plan.shown["get_product"] == {"product_id": ()}  # …but they are not this conversation's
    tools = [c["properties"]["tool"]["const"] for c in decision_schema(SPECS, [10.0], plan)["anyOf"]]
    assert "get_product" not in tools and "add_to_cart" not in tools and "recommend_products" in tools


def test_a_likely_tool_settles_the_choice_among_the_tools_the_labelled_lines_know():
    hints = shop({"get_product": ["details of N"], "none": ["hello"]})
    plan = hints.prepare([{"role": "user", "content": "details of P4"}], SPECS)
    assert plan.tool == "get_product" and plan.settles == {"get_product", "none"}
    names = [s["function"]["name"] for s in SPECS]
    assert "get_product" in plan.available(names) and "search_catalog" in plan.available(names)  # unknown: kept
    assert hints.knows("get_product") and not hints.knows("track_order")


def test_the_few_shot_bank_covers_every_tool_and_no_tool():
    bank = load_yaml("fewshot.yaml")
    called = {ex["call"]["tool"] for ex in bank if ex["call"]}
    assert called >= {"search_catalog", "get_product", "get_user_history", "recommend_products", "compare_products",
                      "summarize_reviews", "write_description", "view_cart", "add_to_cart", "remove_from_cart"}
    assert sum(ex["call"] is None for ex in bank) >= 6
    for ex in bank:  # every id an example passes is one its Hints: line offers to copy
        if ex["call"]:
            args = ex["call"]["args"]
            for pid in [v for k, v in args.items() if k in ("product_id", "based_on")] + args.get("product_ids", []):
                if pid != "history":
                    assert f'"{pid}"' in value_hints(ex["user"]), (ex["user"], args)


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


def test_search_notes_carry_the_phrase_and_the_examples_copy_it():
    hints = shop({"search_catalog": ["looking for shoes"], "none": ["hello"]}, k=1)
    assert hints.note("I need a phone case under $20") == 'max_price 20; query "phone case"; likely search_catalog'
    assert "query" not in hints.note("hello")  # only a search gets a query note
    for ex in load_yaml("fewshot.yaml"):  # the bank teaches copying it
        if ex["call"] and ex["call"]["tool"] == "search_catalog":
            assert ex["call"]["args"]["query"] == search_phrase(ex["user"]), ex["user"]


SHOWN = [{"role": "user", "content": "kettles please"},
         *after(ToolCall("call_1", "search_catalog", '{"query": "kettles"}'), {"results": [
             {"id": "P0129", "title": "Brewhaus Crema Gooseneck Kettle", "price": 59.0, "rating": 4.1},
             {"id": "P0156", "title": "Kettlewright Classic Kettle", "price": 34.5, "rating": 4.7},
             {"id": "P0201", "title": "Ember & Bean Drip Coffee Maker", "price": 89.0, "rating": 3.9}]}),
         {"role": "assistant", "content": "I found 3."}]


@pytest.mark.parametrize("line, tool, arg, ids", [
    ("compare the first two", "compare_products", "product_ids", ("P0129", "P0156")),
    ("add the cheaper one to my cart", "add_to_cart", "product_id", ("P0156",)),
    ("what do reviewers say about the best rated one?", "summarize_reviews", "product_id", ("P0156",)),
    ("put the Kettlewright one in my cart", "add_to_cart", "product_id", ("P0156",)),
    ("tell me more about the coffee maker", "get_product", "product_id", ("P0201",)),
    ("and the last one?", "get_product", "product_id", ("P0201",)),
    ("compare those", "compare_products", "product_ids", ("P0129", "P0156", "P0201")),
])
def test_references_to_shown_items_pin_their_ids(line, tool, arg, ids):
    hints = shop({"get_product": ["tell me more about N"], "add_to_cart": ["add N to my cart"], "none": ["hello"]})
    plan = hints.prepare([*SHOWN, {"role": "user", "content": line}], SPECS)
    assert plan.pins[tool][arg] == ids


def test_a_reference_needs_something_shown_and_a_search_for_named_words_stays_a_search():
    hints = shop({"search_catalog": ["show me kettles"], "none": ["hello"]})
    assert hints.reference([{"role": "user", "content": "compare the first two"}]) is None  # nothing shown yet
    plan = hints.prepare([*SHOWN, {"role": "user", "content": "show me coffee maker deals"}], SPECS)
    assert plan.tool == "search_catalog" and "product_id" not in plan.pins["add_to_cart"]


def test_a_name_two_shown_items_share_is_the_first_listed_and_a_which_question_is_answered_from_the_list():
    two = [{"role": "user", "content": "gooseneck kettles"},
           *after(ToolCall("call_1", "search_catalog", '{"query": "gooseneck kettles"}'), {"results": [
               {"id": "P0135", "title": "Steamline Ritual Gooseneck Kettle", "price": 40.0, "rating": 4.0},
               {"id": "P0156", "title": "Kettlewright Aroma Gooseneck Kettle", "price": 55.0, "rating": 4.6},
               {"id": "P0146", "title": "Kettlewright Crema Gooseneck Kettle", "price": 65.0, "rating": 4.2},
               {"id": "P0131", "title": "Brewhaus Aroma Gooseneck Kettle", "price": 61.0, "rating": 2.2}]}),
           {"role": "assistant", "content": "I found 4."}]
    hints = shop({"get_product": ["tell me more about N"], "search_catalog": ["show me kettles"], "none": ["hello"]})
    plan = hints.prepare([*two, {"role": "user", "content": "tell me about the Kettlewright one"}], SPECS)
    assert plan.pins["get_product"]["product_id"] == ("P0156",)
    # each item has only part of the name: no guess, the words are looked up
    assert hints.reference([*two, {"role": "user", "content": "tell me about the Brewhaus Crema"}]) is None
    asked = [*two, {"role": "user", "content": "Which of those is the cheapest?"}]
    assert hints.prepare(asked, SPECS).tool == "none"
    assert hints.compose(asked) == "Of those, that is Steamline Ritual Gooseneck Kettle (P0135, $40.00, rated 4.0)."
    # looked up by name after browsing kettles: the kettle of that name before the espresso machine
    line = {"role": "user", "content": "what do reviews say about the Brewhaus Crema?"}
    looked = after(ToolCall("call_2", "search_catalog", '{"query": "Brewhaus Crema"}'), {"results": [
        {"id": "P0140", "title": "Brewhaus Crema Espresso Machine"},
        {"id": "P0129", "title": "Brewhaus Crema Gooseneck Kettle"}]})
    reviews = shop({"summarize_reviews": ["what do reviews say about N"], "none": ["hello"]})
    assert reviews.prepare([*two, line], SPECS).pins["search_catalog"]["query"] == ("Brewhaus Crema",)
    assert reviews.prepare([*two, line, *looked], SPECS).pins["summarize_reviews"] == {"product_id": ("P0129",)}


def test_replies_are_composed_from_the_result_the_record_and_the_scope():
    hints = shop({"get_product": ["tell me more about N"], "none": ["hello", "what's the capital of France?"]})
    record = {"id": "P0002", "title": "Sonique Aria", "price": 179.99, "currency": "USD", "in_stock": True,
              "attributes": {"battery_life": "28 h", "color": "black"}}
    turn = [{"role": "user", "content": "what's the battery life of P0002?"},
            *after(ToolCall("call_1", "get_product", '{"product_id": "P0002"}'), record)]
    reply = hints.compose(turn)
    assert reply.startswith("Sonique Aria (P0002): battery life 28 h.") and "$179.99" in reply
    declined = [{"role": "user", "content": "add P0002"}, {"role": "assistant", "content": None, "tool_calls": [
        ToolCall("call_1", "add_to_cart", "{}").to_message()]},
        {"role": "tool", "tool_call_id": "call_1", "content": "The user declined this action. Do not retry."}]
    assert hints.compose(declined).startswith("Okay, I did not do that")
    out = hints.compose([{"role": "user", "content": "what's the capital of France?"}])
    assert out.startswith("Sorry, that is outside") and "find products" in out
    assert hints.compose([{"role": "user", "content": "hello"}]) == "Hello! What are you shopping for today?"


def test_a_product_named_but_not_shown_is_looked_up_then_acted_on():
    hints = shop({"add_to_cart": ["put the N in my cart", "add N to my cart"], "search_catalog": ["show me kettles"],
                  "none": ["hello"]})
    line = {"role": "user", "content": "put the Ember & Bean coffee in my cart"}
    first = hints.prepare([line], SPECS)
    assert first.tool == "search_catalog" and first.pins["search_catalog"]["query"] == ("Ember & Bean coffee",)
    found = after(ToolCall("call_1", "search_catalog", '{"query": "Ember & Bean coffee"}'),
                  {"results": [{"id": "P0160", "title": "Ember & Bean House Blend Coffee"}, {"id": "P0161"}]})
    second = hints.prepare([line, *found], SPECS)
    assert second.tool == "add_to_cart" and second.pins["add_to_cart"] == {"product_id": ("P0160",)}
    done = [line, *found, *after(ToolCall("call_2", "add_to_cart", '{"product_id": "P0160"}'), {"added": 1})]
    assert hints.prepare(done, SPECS).tool is None  # one follow-up, then the reply
    plain = [{"role": "user", "content": "show me kettles"}, *found]
    assert hints.prepare(plain, SPECS).tool is None  # a search on its own asks for nothing more
    assert hints.prepare([{"role": "user", "content": "add it to my cart"}], SPECS).tool == "add_to_cart"


@pytest.mark.parametrize("line, vague", [
    ("I need a gift.", True), ("something nice for my mum's birthday", True), ("find me the best one", True),
    ("a gift card", False), ("I need a gift for my mom, she loves gardening", False), ("I need a kettle", False),
    ("a gift under $30", False), ("a present for my dad, in the tools category", False),
])
def test_a_need_that_names_no_kind_of_product_gets_a_question_not_a_search(line, vague):
    hints = shop({"search_catalog": ["show me kettles", "I need a gift"], "none": ["hello"]})
    plan = hints.prepare([{"role": "user", "content": line}], SPECS)
    assert (plan.tool == "none") is vague
    if vague:
        assert hints.compose([{"role": "user", "content": line}]).startswith("Happy to help! What kind of product")


def test_a_tool_whose_id_is_optional_is_not_preceded_by_a_lookup_of_the_lines_words():
    hints = shop({"recommend_products": ["show my picks"], "search_catalog": ["phones"], "none": ["hello"]})
    plan = hints.prepare([{"role": "user", "content": "show my picks based on what I usually buy"}], SPECS)
    assert plan.tool == "recommend_products" and "query" not in plan.pins.get("search_catalog", {})


def test_a_question_asking_for_information_does_not_settle_on_a_tool_that_writes():
    hints = shop({"remove_from_cart": ["remove N from my cart", "what remove N"], "get_product": ["details N"],
                  "none": ["hello"]})
    assert hints.read("remove P88 from my cart").likely == "remove_from_cart"
    assert hints.read("what's the remove policy on P88?").likely == "get_product"
    assert hints.read("how long does the remove take for P88?").likely == "get_product"
    plan = hints.prepare([{"role": "user", "content": "what's the remove policy on P88?"}], SPECS)
    assert plan.tool == "get_product" and plan.pins["get_product"] == {"product_id": ("P88",)}


def test_a_named_product_is_read_as_the_labelled_lines_write_one_so_the_action_wins_over_its_words():
    # The names' words ("french", "press") pull a line toward the search lines; masked as "N" it reads as an add.
    vocab = ["cart", "add", "put", "n", "show", "my", "french", "press", "barista", "kettlewright", "kettles", "hello",
             "london", "flight", "book"]

    def embed(texts: list[str]) -> np.ndarray:
        rows = np.array([[re.findall(r"[a-z]+", t.lower()).count(w) for w in vocab] for t in texts], float) + 1e-6
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    hints = ShoppingHints(REGISTRY, IntentIndex({
        "add_to_cart": ["put the n in my cart", "add n to my cart"],
        "search_catalog": ["show me kettlewright barista french press coffee makers", "show me kettles"],
        "none": ["hello"]}, embed, k=1))
    assert hints._intents().nearest("Put the Kettlewright Barista French Press in my cart.") == "search_catalog"
    line = {"role": "user", "content": "Put the Kettlewright Barista French Press in my cart."}
    assert hints.read(line["content"]).likely == "search_catalog"  # the line as written
    first = hints.prepare([line], SPECS)
    assert first.tool == "search_catalog"
    assert first.pins["search_catalog"]["query"] == ("Kettlewright Barista French Press",)
    found = after(ToolCall("call_1", "search_catalog", '{"query": "Kettlewright Barista French Press"}'), {"results": [
        {"id": "P0134", "brand": "Kettlewright", "title": "Kettlewright Barista French Press Coffee Maker"},
        {"id": "P0153", "title": "Kettlewright Aroma Burr Grinder"}]})
    second = hints.prepare([line, *found], SPECS)
    # every name the line wrote is in the first item found: the add is made, "none" is not offered
    assert second.tool == "add_to_cart" and second.required and second.pins["add_to_cart"]["product_id"] == ("P0134",)
    loose = after(ToolCall("call_1", "search_catalog", '{"query": "Kettlewright Barista French Press"}'),
                  {"results": [{"id": "P0153", "title": "Kettlewright Aroma Burr Grinder"}]})
    assert not hints.prepare([line, *loose], SPECS).required  # a grinder is not the press: the model may stop
    # a search by brand stays a search, and a line out of scope that names a place stays out of scope
    assert "query" not in hints.prepare([{"role": "user", "content": "Show me Kettlewright kettles"}],
                                        SPECS).pins["search_catalog"]
    out = ShoppingHints(REGISTRY, IntentIndex({"add_to_cart": ["put the n in my cart"],
                                               "none": ["hello", "book a flight to london"]}, embed, k=1))
    assert out.prepare([{"role": "user", "content": "Book me a flight to London"}], SPECS).tool == "none"
    # two items of the looked-up name: the one the list before showed comes first
    kettles = [{"role": "user", "content": "show me kettles"},
               *after(ToolCall("call_1", "search_catalog", '{"query": "kettles"}'), {"results": [
                   {"id": "P0135", "title": "Steamline Kettle"},
                   {"id": "P0129", "title": "Kettlewright Barista Kettle"}]}),
               {"role": "assistant", "content": "I found 2."}]
    both = after(ToolCall("call_2", "search_catalog", '{"query": "Kettlewright Barista"}'), {"results": [
        {"id": "P0154", "title": "Kettlewright Barista Kettle, 1 L"},
        {"id": "P0129", "title": "Kettlewright Barista Kettle"}]})
    asked = {"role": "user", "content": "Put the Kettlewright Barista in my cart"}
    assert hints.prepare([*kettles, asked, *both], SPECS).pins["add_to_cart"]["product_id"] == ("P0129",)


def test_the_search_words_are_pinned_where_a_small_model_garbles_them():
    hints = shop({"search_catalog": ["show me kettles", "show me phones"], "none": ["hello"]}, k=1)
    plan = hints.prepare([{"role": "user", "content": "je cherche une gourde à moins de 30 €"}], SPECS)
    assert plan.pins["search_catalog"]["query"] == ("water bottle",)  # the English words, not the French line
    mats = [{"role": "user", "content": "show me yoga mats"},
            *after(ToolCall("call_1", "search_catalog", '{"query": "yoga mats"}'), {"results": [{"id": "P0257"}]}),
            {"role": "assistant", "content": "I found 1."}]
    narrowed = hints.prepare([*mats, {"role": "user", "content": "Only the ones under $40, please."}], SPECS)
    assert narrowed.pins["search_catalog"]["query"] == ("yoga mats",)
    assert narrowed.pins["search_catalog"]["max_price"] == (40,)
    fresh = hints.prepare([*mats, {"role": "user", "content": "kettles under $40"}], SPECS)
    assert "query" not in fresh.pins["search_catalog"]  # a new kind of thing: the model writes its words


@pytest.mark.parametrize("text, names, phrase", [
    ("Put the Kettlewright Barista French Press in my cart.", ["Kettlewright Barista French Press"],
     "Kettlewright Barista French Press"),
    ("put the Ember & Bean coffee in my cart", ["Ember & Bean"], "Ember & Bean coffee"),
    ("Write a description for the Hydrova 750 ml bottle", ["Hydrova"], "Hydrova 750 ml bottle"),
    ("add 2 of the Brewhaus kettle", ["Brewhaus"], "Brewhaus kettle"),
    ("the Ember & Bean coffee, 2 in my cart", ["Ember & Bean"], "Ember & Bean coffee"),
    ("a laptop with 32 GB of RAM", [], "laptop 32 GB RAM"),
    ("Show me kettles", [], "kettles"),
])
def test_names_and_lookup_words_of_a_line(text, names, phrase):
    from tools.references import lookup_phrase, names_in

    assert names_in(text) == names and lookup_phrase(text) == phrase
