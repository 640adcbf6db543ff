"""After-sale service on the shop's own checkout orders, under the τ² retail policy: orders placed through the
chat's checkout tools are cancelled, re-addressed, returned and exchanged through the agent loop (scripted model)
over the real demo catalog and SQLite stores; another shopper's order, a guest and a declined confirmation change
nothing; variants are swapped on a real catalog that has them."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from agent import Agent, ScriptedModel, ToolContext, ToolRegistry
from agent.tools import Approval, ConsentRequired, ToolError
from tools import SHOPPING_TOOLS
from tools.aftersale_tools import (AFTER_SALE_TOOLS, cancel_pending_order, exchange_delivered_order_items,
                                   modify_pending_order_address, modify_pending_order_items,
                                   return_delivered_order_items)
from tools.cart_tools import add_to_cart
from tools.catalog.ingest import ingest_file
from tools.catalog.store import CatalogStore
from tools.checkout.model import (Address, CheckoutRequest, CheckoutUpdate, FulfillmentInput, LineItemInput,
                                  PaymentInput)
from tools.checkout.simulate import deliver
from tools.checkout.store import CheckoutStore
from tools.checkout_tools import apply_discount_code, choose_shipping, place_order, start_checkout, view_order
from tools.deps import ShopDeps
from tools.retail.shop import SERVICE_STATUS, service_status

ADDRESS = {"street_address": "1 Elm St", "city": "Springfield", "region": "IL", "postal_code": "62704",
           "country": "US"}
NEW_ADDRESS = {"address1": "9 Oak Ave", "address2": "Apt 2", "city": "Portland", "state": "OR", "country": "US",
               "zip": "97201"}


@pytest.fixture()
def shop(shop_contexts, demo_catalog):
    """Contexts over one shop (tests/conftest.py) whose demo facts the figures below rest on."""
    # the figures below rest on these demo facts: P0011 at 29.00, one P0264 left at 24.99
    assert (demo_catalog.get("P0011").effective_price, demo_catalog.get("P0264").effective_price,
            demo_catalog.get("P0264").stock) == (29.0, 24.99, 1)
    return shop_contexts


def run(tool, ctx, **arguments):
    return tool(ctx, tool.validate(arguments), approval=Approval(tool.name))  # the shopper said yes


def call(name: str, **arguments) -> dict:
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


def place(ctx, product_id="P0011", quantity=1, option="standard", code=None) -> dict:
    run(add_to_cart, ctx, product_id=product_id, quantity=quantity)
    run(start_checkout, ctx)
    run(choose_shipping, ctx, **ADDRESS)
    run(choose_shipping, ctx, option_id=option)
    if code:
        run(apply_discount_code, ctx, code=code)
    return run(place_order, ctx)


def talk(ctx, script: list[dict], lines: list[str], confirm=lambda c, a: True):
    """Run the shopper's lines through the real loop with a scripted model; the tool results, in order."""
    model = ScriptedModel(script)
    agent = Agent(model, ToolRegistry(SHOPPING_TOOLS), ctx, confirm=confirm)
    events = [e for line in lines for e in agent.run(line)]
    model.assert_consumed()
    return [e for e in events if e.type == "tool_result"], events


def test_after_sale_tools_are_registered_write_only_with_consent_and_take_no_identity():
    assert all(t in SHOPPING_TOOLS and t.writes for t in AFTER_SALE_TOOLS)
    for t in AFTER_SALE_TOOLS:
        params = set(t.spec()["function"]["parameters"].get("properties", {}))
        assert not {"shopper_id", "customer_id", "user_id", "payment_method_id"} & params, t.name
        given = {"order_id": "ord_1", "reason": "no longer needed", "item_ids": ["P1"], "new_item_ids": ["P2"],
                 **NEW_ADDRESS}
        with pytest.raises(ConsentRequired):
            t(None, t.validate({k: v for k, v in given.items() if k in params}))
    with pytest.raises(ValidationError, match="reason"):  # τ²'s two reasons only, already in the schema
        cancel_pending_order.validate({"order_id": "ord_1", "reason": "found it cheaper"})


def test_status_map_covers_every_shop_status():
    from typing import get_args

    from tools.checkout.model import OrderStatus

    assert set(SERVICE_STATUS) == set(get_args(OrderStatus))


def test_an_order_placed_in_the_chat_is_cancelled_with_a_full_refund_and_its_stock_back(shop):
    me = shop("S001")
    results, _ = talk(me, [
        call("add_to_cart", product_id="P0264", quantity=1), call("start_checkout"),
        call("choose_shipping", option_id="standard", **ADDRESS), call("place_order"), {"text": "Placed."},
        call("view_order"), {"text": "Which order?"}],
        ["buy P0264, ship to 1 Elm St Springfield IL, standard", "what are my orders?"])
    order_id = results[-1].result["orders"][0]["order_id"]
    placed_total = results[-2].result["total"]
    results, _ = talk(me, [call("cancel_pending_order", order_id=order_id, reason="ordered by mistake"),
                           {"text": "Cancelled and refunded."}], ["cancel it, I ordered it by mistake"])
    cancelled = results[0].result
    assert results[0].ok and cancelled["status"] == "canceled" and cancelled["policy_status"] == "cancelled"
    assert cancelled["adjustments"] == [{"type": "refund", "status": "completed", "amount": placed_total,
                                         "description": f"Order canceled (ordered by mistake): {placed_total} "
                                                        "refunded to Visa ending 4242"}]
    stored = me.deps.checkout.order(order_id)
    assert stored.adjustments[0]["amount"] == stored.totals.total == 2499 + 499  # exact minor units
    assert stored.after_sale.cancel_reason == "ordered by mistake"
    with pytest.raises(ToolError, match="Non-pending order cannot be cancelled"):
        run(cancel_pending_order, me, order_id=order_id, reason="no longer needed")  # once only
    assert place(shop("S002"), "P0264")["status"] == "placed"  # the last unit is for sale again


def test_a_delivered_order_returns_one_item_and_the_refund_is_recorded(shop):
    me = shop("S001")
    order = place(me, "P0011", quantity=2, option="express", code="WELCOME10")  # 58.00 - 5.80 + 14.99
    assert order["total"] == "67.19 USD"
    with pytest.raises(ToolError, match="Non-delivered order cannot be returned"):
        run(return_delivered_order_items, me, order_id=order["order_id"], item_ids=["P0011"])
    me.deps.checkout.ship(order["order_id"])
    with pytest.raises(ToolError, match="Non-pending order cannot be cancelled"):  # with the carrier now
        run(cancel_pending_order, me, order_id=order["order_id"], reason="no longer needed")
    assert deliver(me.deps.checkout, order["order_id"]).status == "delivered"

    results, _ = talk(me, [call("return_delivered_order_items", order_id=order["order_id"], item_ids=["P0011"]),
                           {"text": "Return requested."}], ["return one of the headphones"])
    returned = results[0].result
    assert results[0].ok and returned["status"] == "return_requested"
    # one unit of 29.00 less its share of the 10% discount (2.90); shipping is not refunded
    assert returned["done"] == ("Return requested: 26.10 USD to be refunded to Visa ending 4242 when the items "
                                "arrive")
    stored = me.deps.checkout.order(order["order_id"])
    refund = stored.adjustments[-1]
    assert (refund["type"], refund["status"], refund["amount"]) == ("refund", "pending", 2610)
    assert refund["line_items"] == [{"id": stored.line_items[0].id, "quantity": 1}]
    assert stored.after_sale.return_items == ["P0011"] and service_status(stored) == "return requested"
    with pytest.raises(ToolError, match="Non-delivered order cannot be exchanged"):  # one after-sale change
        run(exchange_delivered_order_items, me, order_id=order["order_id"], item_ids=["P0011"],
            new_item_ids=["P0011"])
    assert run(view_order, me, order_id=order["order_id"])["adjustments"][0]["amount"] == "26.10 USD"


def test_returning_more_units_than_were_bought_is_refused(shop):
    me = shop("S001")
    order = place(me, "P0011", quantity=1)
    deliver(me.deps.checkout, order["order_id"])
    with pytest.raises(ToolError, match="Some item not found"):
        run(return_delivered_order_items, me, order_id=order["order_id"], item_ids=["P0011", "P0011"])
    assert me.deps.checkout.order(order["order_id"]).status == "delivered"


def test_a_pending_orders_address_changes_until_it_ships(shop):
    me = shop("S001")
    order = place(me)
    results, _ = talk(me, [call("modify_pending_order_address", order_id=order["order_id"], **NEW_ADDRESS),
                           {"text": "It will go to Portland."}], ["ship it to 9 Oak Ave, Apt 2, Portland OR 97201"])
    assert results[0].ok and results[0].result["ship_to"] == "9 Oak Ave, Portland, OR, 97201, US"
    stored = me.deps.checkout.order(order["order_id"])
    assert stored.destination.extended_address == "Apt 2" and stored.status == "placed"
    assert stored.totals.total == 2900 + 499 and not stored.adjustments  # no money moved
    me.deps.checkout.ship(order["order_id"])
    with pytest.raises(ToolError, match="Non-pending order cannot be modified"):
        run(modify_pending_order_address, me, order_id=order["order_id"], **NEW_ADDRESS)


def test_another_shoppers_order_and_a_guest_are_refused(shop):
    order = place(shop("S001"))
    rival = shop("S002")
    results, _ = talk(rival, [call("cancel_pending_order", order_id=order["order_id"], reason="no longer needed"),
                              {"text": "I can only help with your own orders."}], ["cancel order " + order["order_id"]])
    assert not results[0].ok and "not one of the signed-in shopper's orders" in results[0].result
    with pytest.raises(ToolError, match="not one of the signed-in shopper's orders"):
        run(modify_pending_order_address, rival, order_id=order["order_id"], **NEW_ADDRESS)
    with pytest.raises(ToolError, match="not signed in"):
        run(cancel_pending_order, shop(None), order_id=order["order_id"], reason="no longer needed")
    stored = rival.deps.checkout.order(order["order_id"])
    assert stored.status == "placed" and stored.destination.street_address == "1 Elm St"


def test_no_change_without_the_shoppers_yes(shop):
    me = shop("S001")
    order = place(me)
    results, events = talk(me, [call("cancel_pending_order", order_id=order["order_id"], reason="no longer needed"),
                                {"text": "OK, I kept the order."}], ["cancel my order"], confirm=lambda c, a: False)
    confirm = next(e for e in events if e.type == "confirm")
    assert confirm.name == "cancel_pending_order" and not confirm.approved
    assert not results[0].ok and "declined" in results[0].result
    stored = me.deps.checkout.order(order["order_id"])
    assert stored.status == "placed" and stored.adjustments == []


# -- variants: a real catalog that has them -----------------------------------------------------------------
TEE = {"id": "TEE", "title": "Cotton tee", "price": 20.0, "currency": "USD", "stock": 10, "variants": [
    {"id": "TEE-S", "options": {"size": "S"}, "price": 20.0, "stock": 3},
    {"id": "TEE-M", "options": {"size": "M"}, "price": 20.0, "stock": 0},
    {"id": "TEE-XL", "options": {"size": "XL"}, "price": 24.5, "stock": 2}]}
MUG = {"id": "MUG", "title": "Stoneware mug", "price": 12.0, "currency": "USD", "stock": 5}


@pytest.fixture(scope="module")
def variant_catalog(tmp_path_factory):
    folder = tmp_path_factory.mktemp("aftersale_variants")
    feed = folder / "products.jsonl"
    feed.write_text("\n".join(json.dumps(p) for p in (TEE, MUG)) + "\n")
    catalog = CatalogStore.open(folder / "catalog")
    ingest_file(catalog, feed)
    return catalog


@pytest.fixture()
def variant_shop(variant_catalog, shopper_store, tmp_path):
    deps = ShopDeps(variant_catalog, shopper_store(empty=True),
                    checkout=CheckoutStore(tmp_path / "checkout.db", variant_catalog))
    yield ToolContext(deps, user_id="S001", session_id="s")
    deps.checkout.close()


def _order(store: CheckoutStore, *lines: tuple[str, int]) -> str:
    """An order placed through the checkout service itself (2 x TEE at 20.00 + a mug, standard shipping)."""
    c = store.create(CheckoutRequest(tuple(LineItemInput(p, q) for p, q in lines)), customer_id="S001")
    where = Address(street_address="1 Elm St", address_locality="Springfield", address_country="US")
    store.update(c.id, CheckoutUpdate(fulfillment=FulfillmentInput((where,), selected_option_id="standard")))
    done = store.complete(c.id, PaymentInput("simulated_card", {"type": "token", "token": "t"}, brand="Visa",
                                             last_digits="4242"))
    return done.order_id


def test_pending_items_change_once_to_another_variant_and_the_difference_is_charged(variant_shop):
    store = variant_shop.deps.checkout
    order_id = _order(store, ("TEE", 2), ("MUG", 1))
    with pytest.raises(ToolError, match="New item TEE-M not found or available"):  # sold out
        run(modify_pending_order_items, variant_shop, order_id=order_id, item_ids=["TEE"], new_item_ids=["TEE-M"])
    with pytest.raises(ToolError, match="Variant not found.*TEE-S, TEE-M, TEE-XL"):
        run(modify_pending_order_items, variant_shop, order_id=order_id, item_ids=["TEE"], new_item_ids=["MUG"])
    result = run(modify_pending_order_items, variant_shop, order_id=order_id, item_ids=["TEE"],
                 new_item_ids=["TEE-XL"])
    assert result["done"] == "Items modified: 4.50 USD charged to Visa ending 4242"
    assert [(li["item_id"], li["quantity"], li["line_total"]) for li in result["lines"]] == [
        ("TEE", 1, "20.00 USD"), ("MUG", 1, "12.00 USD"), ("TEE-XL", 1, "24.50 USD")]
    stored = store.order(order_id)
    assert stored.totals.subtotal == 2000 + 1200 + 2450 and stored.totals.total == stored.totals.subtotal + 499
    assert service_status(stored) == "pending (item modified)" and stored.line_items[2].options == {"size": "XL"}
    with pytest.raises(ToolError, match="Non-pending order cannot be modified"):  # items change once
        run(modify_pending_order_items, variant_shop, order_id=order_id, item_ids=["TEE"], new_item_ids=["TEE-S"])
    with pytest.raises(ToolError, match="Non-pending order cannot be cancelled"):  # as in τ²
        run(cancel_pending_order, variant_shop, order_id=order_id, reason="no longer needed")
    assert run(modify_pending_order_address, variant_shop, order_id=order_id, **NEW_ADDRESS)["status"] == "placed"


def test_a_delivered_item_is_exchanged_for_a_variant_or_replaced_with_the_difference_recorded(variant_shop):
    store = variant_shop.deps.checkout
    order_id = _order(store, ("TEE", 2), ("MUG", 1))
    deliver(store, order_id)
    with pytest.raises(ToolError, match="Number of MUG not found"):
        run(exchange_delivered_order_items, variant_shop, order_id=order_id, item_ids=["MUG", "MUG"],
            new_item_ids=["MUG", "MUG"])
    result = run(exchange_delivered_order_items, variant_shop, order_id=order_id, item_ids=["TEE", "MUG"],
                 new_item_ids=["TEE-XL", "MUG"])  # a bigger size, and a replacement mug
    assert result["status"] == "exchange_requested"
    assert result["done"] == "Exchange requested: 4.50 USD to be charged to Visa ending 4242"
    stored = store.order(order_id)
    assert stored.after_sale.exchange_price_difference == 450
    assert (stored.after_sale.exchange_items, stored.after_sale.exchange_new_items) == (["MUG", "TEE"],
                                                                                      ["MUG", "TEE-XL"])
    assert stored.adjustments[-1]["status"] == "pending" and stored.totals.total == 2 * 2000 + 1200 + 499
