"""The chat's checkout tools over the real demo catalog, shopper store and checkout store, alone and through the
agent loop with the scripted model: search → cart → checkout → order, a declined confirmation, stock that runs
out before completion, and an invalid discount code."""

from __future__ import annotations

import pytest

from agent import Agent, ScriptedModel, ToolRegistry
from agent.tools import Approval, ConsentRequired, ToolError
from tools import SHOPPING_TOOLS
from tools.cart_tools import add_to_cart
from tools.checkout_tools import apply_discount_code, choose_shipping, place_order, start_checkout, view_order

ADDRESS = {"street_address": "1 Elm St", "city": "Springfield", "region": "IL", "postal_code": "62704",
           "country": "US"}


@pytest.fixture()
def shop(shop_contexts, demo_catalog):
    """Contexts over one shop (tests/conftest.py) whose demo facts the figures below rest on."""
    # the figures below rest on these demo facts: P0011 at 29.00, P0263 at 29.95, one P0264 left
    assert (demo_catalog.get("P0011").effective_price, demo_catalog.get("P0263").effective_price,
            demo_catalog.get("P0264").stock) == (29.0, 29.95, 1)
    return shop_contexts


def run(tool, ctx, **arguments):
    return tool(ctx, tool.validate(arguments), approval=Approval(tool.name))  # the shopper said yes


def test_checkout_tools_write_only_with_consent_and_take_no_identity():
    for t in (start_checkout, choose_shipping, apply_discount_code, place_order):
        assert t.writes and t in SHOPPING_TOOLS
        with pytest.raises(ConsentRequired):
            t(None, t.validate({"code": "X"} if t is apply_discount_code else {}))
    assert not view_order.writes
    for t in (start_checkout, choose_shipping, apply_discount_code, place_order, view_order):
        params = t.spec()["function"]["parameters"].get("properties", {})
        assert not {"shopper_id", "customer_id", "user_id"} & set(params)


def test_cart_to_order_with_shipping_and_a_discount(shop):
    ctx = shop("S001")
    run(add_to_cart, ctx, product_id="P0011", quantity=2)  # 2 x 29.00
    started = run(start_checkout, ctx)
    assert started["total"] == "58.00 USD" and "shipping address" in started["next"]
    assert run(start_checkout, ctx)["checkout_id"] == started["checkout_id"]  # the same cart: the same checkout

    addressed = run(choose_shipping, ctx, **ADDRESS)
    assert [o["id"] for o in addressed["shipping_options"]] == ["standard", "express"]
    assert addressed["ship_to"] == "1 Elm St, Springfield, IL, 62704, US"
    chosen = run(choose_shipping, ctx, option_id="express")
    assert chosen["shipping"]["price"] == "14.99 USD" and chosen["total"] == "72.99 USD"
    discounted = run(apply_discount_code, ctx, code="welcome10")
    assert discounted["discounts"][0]["amount"] == "5.80 USD" and discounted["total"] == "67.19 USD"
    assert "place_order" in discounted["next"]

    with pytest.raises(ToolError, match="the total is now 67.19 USD, not 72.99 USD"):
        run(place_order, ctx, expected_total="72.99 USD")  # consent was given to another amount
    placed = run(place_order, ctx, expected_total="$67.19")
    assert placed["status"] == "placed" and placed["charged"] == placed["total"] == "67.19 USD"
    assert ctx.deps.shoppers.cart("S001") == []  # what was bought left the cart
    assert run(view_order, ctx)["orders"][0]["order_id"] == placed["order_id"]
    assert run(view_order, ctx, order_id=placed["order_id"])["lines"][0]["quantity"] == 2
    with pytest.raises(ToolError, match="no checkout in progress"):
        run(place_order, ctx)  # nothing left to pay for: no second charge


def test_orders_are_private_to_their_shopper(shop):
    ctx = shop("S001")
    run(add_to_cart, ctx, product_id="P0011", quantity=1)
    run(start_checkout, ctx)
    run(choose_shipping, ctx, option_id=None, **ADDRESS)
    run(choose_shipping, ctx, option_id="standard")
    order_id = run(place_order, ctx)["order_id"]
    other = shop("S002")
    assert run(view_order, other) == {"orders": [], "note": "This shopper has no orders yet."}
    with pytest.raises(ToolError, match="no order"):
        run(view_order, other, order_id=order_id)
    with pytest.raises(ToolError, match="sign in"):
        run(view_order, shop(None))


def test_an_invalid_code_changes_nothing_and_an_empty_cart_cannot_check_out(shop):
    ctx = shop("S001")
    with pytest.raises(ToolError, match="cart is empty"):
        run(start_checkout, ctx)
    run(add_to_cart, ctx, product_id="P0263", quantity=1)
    run(start_checkout, ctx)
    with pytest.raises(ToolError, match="'BOGUS' is not valid.*still 29.95 USD"):
        run(apply_discount_code, ctx, code="BOGUS")
    with pytest.raises(ToolError, match="unknown shipping option"):
        run(choose_shipping, ctx, option_id="teleport")


def test_stock_sold_out_before_completion_is_reported_and_nothing_is_charged(shop):
    me, rival = shop("S001"), shop("S002")
    for ctx in (me, rival):  # P0264: the last one in stock
        run(add_to_cart, ctx, product_id="P0264", quantity=1)
        run(start_checkout, ctx)
        run(choose_shipping, ctx, **ADDRESS)
        run(choose_shipping, ctx, option_id="standard")
    run(place_order, rival)
    with pytest.raises(ToolError, match="Insufficient stock.*Nothing was charged"):
        run(place_order, me)
    assert run(view_order, me)["orders"] == [] and me.deps.shoppers.cart("S001")


# -- through the loop, with the scripted model ---------------------------------------------------------------
def call(name: str, **arguments) -> dict:
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


def test_search_cart_checkout_order_conversation(shop):
    ctx = shop("S001")
    model = ScriptedModel([
        call("search_catalog", query="wired headphones", max_price=60), {"text": "P0011 is 29.00 USD."},
        call("add_to_cart", product_id="P0011", quantity=1), {"text": "Added."},
        call("start_checkout"), call("choose_shipping", option_id="standard", **ADDRESS),
        {"text": "Total 33.99 USD with standard shipping. Place the order?"},
        call("place_order"), {"text": "Order placed: 33.99 USD."}])
    asked: list[str] = []
    agent = Agent(model, ToolRegistry(SHOPPING_TOOLS), ctx, confirm=lambda c, a: asked.append(c.name) or True)
    turns = ["wired headphones under $60", "add P0011 to my cart", "check out, ship to 1 Elm St, Springfield IL",
             "yes, place it"]
    results = [e for text in turns for e in agent.run(text) if e.type == "tool_result"]
    model.assert_consumed()
    assert asked == ["add_to_cart", "start_checkout", "choose_shipping", "place_order"]
    assert all(r.ok for r in results), [r.result for r in results if not r.ok]
    assert results[-1].result["total"] == "33.99 USD" and results[-1].result["status"] == "placed"


def test_a_declined_order_confirmation_places_nothing(shop):
    ctx = shop("S001")
    run(add_to_cart, ctx, product_id="P0011", quantity=1)
    run(start_checkout, ctx)
    run(choose_shipping, ctx, option_id="standard", **ADDRESS)
    model = ScriptedModel([call("place_order"), {"text": "OK, I have not placed the order."}])
    agent = Agent(model, ToolRegistry(SHOPPING_TOOLS), ctx, confirm=lambda c, a: False)
    events = list(agent.run("place the order"))
    model.assert_consumed()
    confirm = next(e for e in events if e.type == "confirm")
    result = next(e for e in events if e.type == "tool_result")
    assert confirm.name == "place_order" and not confirm.approved
    assert not result.ok and "declined" in result.result
    assert run(view_order, ctx)["orders"] == [] and ctx.deps.checkout.open_checkouts("S001")
