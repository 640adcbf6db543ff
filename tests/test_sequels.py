"""A shipping address read from a shopper's line, and the calls one line asks for in a row (start_checkout,
then choose_shipping with that address) on the grammar protocol's plan."""

from __future__ import annotations

import json

import pytest

from agent.models.base import ToolCall
from agent.models.grammar import decision_schema
from tools.addresses import ShippingWords, read_shipping
from tools.app import build_registry
from tools.digest import checkout_reply
from tools.hints import ShoppingHints, value_hints
from tools.intents import IntentIndex
import numpy as np

REGISTRY = build_registry()
SPECS = REGISTRY.specs()
ELM = ShippingWords("1 Elm St", "Springfield", "IL", "62704", "US", "standard")


@pytest.mark.parametrize("line, words", [
    ("Check out please. Ship it standard to 1 Elm St, Springfield, IL 62704, US.", ELM),
    ("Check out with standard shipping to 1 Elm St, Springfield, IL 62704, US.", ELM),
    ("ship to 1 Elm St., Springfield IL 62704, U.S. Thanks!",
     ShippingWords("1 Elm St", "Springfield", "IL", "62704", "US")),
    ("ship to 221B Baker Street, London, NW1 6XE, United Kingdom please",
     ShippingWords("221B Baker Street", "London", None, "NW1 6XE", "GB")),
    ("send it express to Hauptstr. 5, 10115 Berlin, Germany",
     ShippingWords("Hauptstr. 5", "Berlin", None, "10115", "DE", "express")),
    ("my address is 12 Rue de Rivoli, 75001 Paris, France",
     ShippingWords("12 Rue de Rivoli", "Paris", None, "75001", "FR")),
    # no country written: none is assumed (the tool asks for it)
    ("deliver to 5 Main St, Boston, MA 02108", ShippingWords("5 Main St", "Boston", "MA", "02108", None)),
    ("I'd like express shipping", ShippingWords(speed="express")),
    ("ship it to my office", ShippingWords()),
    ("add it to my cart, then ship it to me", ShippingWords()),
    ("a standard size rug", ShippingWords()),
])
def test_an_address_and_a_speed_are_read_as_written_and_nothing_is_assumed(line, words):
    assert read_shipping(line) == words


def test_the_hints_line_shows_the_address_by_argument_name():
    assert value_hints("Ship it standard to 1 Elm St, Springfield, IL 62704, US.") == (
        'street_address "1 Elm St"; city "Springfield"; region "IL"; postal_code "62704"; country "US"; '
        'shipping "standard"')


def after(name: str, n: int, result: object) -> list[dict]:
    call = ToolCall(f"call_{n}", name, "{}")
    content = result if isinstance(result, str) else json.dumps(result)
    return [{"role": "assistant", "content": None, "tool_calls": [call.to_message()]},
            {"role": "tool", "tool_call_id": call.id, "content": content}]


def bag_of_words(texts: list[str]) -> np.ndarray:
    """A stand-in embedder: normalised word counts over a tiny vocabulary."""
    vocab = ["check", "out", "add", "cart", "hello", "ship"]
    rows = np.array([[t.lower().replace(",", " ").split().count(w) for w in vocab] for t in texts], float) + 1e-6
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def hints() -> ShoppingHints:
    labelled = {"start_checkout": ["check out please"], "choose_shipping": ["ship to N"], "add_to_cart": ["add N to my cart"], "none": ["hello"]}
    return ShoppingHints(REGISTRY, IntentIndex(labelled, bag_of_words, k=1))


CHECKOUT = {"checkout_id": "c1", "status": "incomplete", "subtotal": "$29.00", "total": "$29.00",
            "lines": [{"product_id": "P0011", "title": "Aria Wired", "quantity": 1, "line_total": "$29.00"}]}


def test_check_out_and_ship_to_an_address_is_start_checkout_then_choose_shipping_pinned_to_it():
    h = hints()
    line = {"role": "user", "content": "Check out please. Ship it standard to 1 Elm St, Springfield, IL 62704, US."}
    first = h.prepare([line], SPECS)
    assert first.tool == "start_checkout" and first.required  # the line asks for a chain: no "none" first
    assert not h.prepare([{"role": "user", "content": "check out please"}], SPECS).required
    started = [line, *after("start_checkout", 1, CHECKOUT)]
    plan = h.prepare(started, SPECS)
    assert plan.tool == "choose_shipping" and plan.required
    assert plan.pins["choose_shipping"] == {"street_address": ("1 Elm St",), "city": ("Springfield",),
                                            "region": ("IL",), "postal_code": ("62704",), "country": ("US",),
                                            "option_id": ("standard",)}
    # required: the grammar offers only the call, not "none"
    schema = decision_schema([s for s in SPECS if s["function"]["name"] in plan.available(
        [s["function"]["name"] for s in SPECS])], None, plan)
    assert [c["properties"]["tool"]["const"] for c in schema["anyOf"]] == ["choose_shipping"]
    shipped = [*started, *after("choose_shipping", 2, dict(CHECKOUT, status="ready_for_complete", total="$33.99"))]
    assert h.prepare(shipped, SPECS).tool is None  # asked for twice, done twice: now the reply


def test_add_and_check_out_in_one_line_chains_three_calls_and_a_failure_stops_the_chain():
    h = hints()
    line = {"role": "user", "content": "Add P0011 to my cart and check out with standard shipping to "
                                       "1 Elm St, Springfield, IL 62704, US."}
    assert h.prepare([line], SPECS).tool == "add_to_cart"
    added = [line, *after("add_to_cart", 1, {"added": "P0011"})]
    assert h.prepare(added, SPECS).tool == "start_checkout"
    assert h.prepare([*added, *after("start_checkout", 2, CHECKOUT)], SPECS).tool == "choose_shipping"
    declined = [line, *after("add_to_cart", 1, "The user declined this action. Do not retry it unless they ask again.")]
    assert h.prepare(declined, SPECS).tool is None
    failed = [*added, *after("start_checkout", 2, "start_checkout failed: the cart is empty")]
    assert h.prepare(failed, SPECS).tool is None


def test_shipping_words_without_an_address_or_a_started_checkout_plan_nothing_more():
    h = hints()
    express = {"role": "user", "content": "check out please, express shipping"}
    assert h.prepare([express, *after("start_checkout", 1, CHECKOUT)], SPECS).tool is None  # no address: ask
    # a checkout started in an earlier turn: the address line goes straight to choose_shipping
    earlier = [{"role": "user", "content": "check out please"}, *after("start_checkout", 1, CHECKOUT),
               {"role": "assistant", "content": "Where should it ship?"},
               {"role": "user", "content": "ship to 1 Elm St, Springfield, IL 62704, US"}]
    plan = h.prepare(earlier, SPECS)
    assert plan.tool != "start_checkout" and plan.pins["choose_shipping"]["country"] == ("US",)


def test_the_checkout_reply_says_what_is_still_needed():
    assert checkout_reply(CHECKOUT).endswith("Where should it ship? Please give the street address, city, postal "
                                             "code and country.")
    ready = dict(CHECKOUT, status="ready_for_complete", total="$33.99", ship_to="1 Elm St, Springfield, IL 62704, US",
                 shipping={"id": "standard", "title": "Standard Shipping", "price": "$4.99"})
    assert checkout_reply(ready) == ("Your checkout has 1 × Aria Wired ($29.00). Standard Shipping ($4.99) to 1 Elm "
                                     "St, Springfield, IL 62704, US. Total $33.99. Shall I place the order?")
    options = dict(CHECKOUT, ship_to="1 Elm St, Springfield, IL 62704, US", shipping_options=[
        {"id": "standard", "title": "Standard", "price": "$4.99"}, {"id": "express", "title": "Express", "price": "$14.99"}])
    assert "Which shipping would you like? Standard (standard) $4.99; Express (express) $14.99." in checkout_reply(options)


def test_an_it_in_a_shipping_line_is_not_a_product_reference():
    h = hints()
    shown = [{"role": "user", "content": "add P0011 to my cart"},
             *after("add_to_cart", 1, {"added": 1, "product_id": "P0011", "title": "Aria Wired"}),
             {"role": "assistant", "content": "Added."},
             {"role": "user", "content": "Check out please. Ship it standard to 1 Elm St, Springfield, IL 62704, US."}]
    plan = h.prepare(shown, SPECS)
    assert plan.tool == "start_checkout" and plan.required


def test_a_list_pinned_to_values_holds_no_more_items_than_values():
    from agent.models.prepare import StepPlan

    plan = StepPlan(pins={"compare_products": {"product_ids": ("P0001", "P0002")}})
    spec = next(s for s in SPECS if s["function"]["name"] == "compare_products")
    schema = decision_schema([spec], None, plan)
    ids = schema["anyOf"][0]["properties"]["args"]["properties"]["product_ids"]
    assert ids["maxItems"] == 2 and ids["items"] == {"enum": ["P0001", "P0002"]}
