"""The cart tools over the real demo catalog and a real SQLite shopper store, alone and through the agent loop."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent import Agent, ScriptedModel, ToolRegistry
from agent.tools import Approval, ToolError
from tools.cart_tools import MAX_QUANTITY, add_to_cart, remove_from_cart, view_cart
from tools.shoppers import ShopperStore

OUT_OF_STOCK = "P0030"  # stock 0 in data/demo/catalog.jsonl
TWO_LEFT = "P0002"  # stock 2


def run(tool, ctx, **arguments):
    return tool(ctx, tool.validate(arguments), approval=Approval(tool.name))  # the shopper said yes


def test_cart_tools_are_declared_as_writes_where_they_change_the_cart():
    assert add_to_cart.writes and remove_from_cart.writes and not view_cart.writes
    for t in (add_to_cart, remove_from_cart, view_cart):
        assert "shopper" not in str(t.spec()["function"]["parameters"])
        with pytest.raises(ValidationError):
            t.validate({"shopper_id": "S002", **({"product_id": "P0001"} if t is not view_cart else {})})


def test_add_increase_view_remove(shop_context, demo_catalog):
    ctx = shop_context("S001")
    assert run(view_cart, ctx) == {"lines": [], "item_count": 0, "total": 0.0, "note": "The cart is empty."}

    first = run(add_to_cart, ctx, product_id="P1", quantity=1)  # forgiving id spelling
    assert first["product_id"] == "P0001" and first["quantity_in_cart"] == 1 and "note" not in first
    again = run(add_to_cart, ctx, product_id="P0001", quantity=2)
    assert again["quantity_in_cart"] == 3 and "increased from 1 to 3" in again["note"]
    run(add_to_cart, ctx, product_id="P0085", quantity=1)

    cart = run(view_cart, ctx)
    p1, p85 = demo_catalog.get("P0001"), demo_catalog.get("P0085")
    assert [(line["product_id"], line["quantity"]) for line in cart["lines"]] == [("P0001", 3), ("P0085", 1)]
    line = cart["lines"][0]
    assert line["title"] == p1.title and line["unit_price"] == p1.effective_price and line["in_stock"] is True
    assert line["line_total"] == round(3 * p1.effective_price, 2) and line["currency"] == "USD"
    assert cart["total"] == round(3 * p1.effective_price + p85.effective_price, 2) and cart["item_count"] == 4

    removed = run(remove_from_cart, ctx, product_id="p0001")
    assert removed["removed"] == "P0001" and removed["items_left"] == 1
    with pytest.raises(ToolError, match="P0001 is not in the cart .in the cart: P0085"):
        run(remove_from_cart, ctx, product_id="P0001")


def test_cart_is_persisted_per_shopper_across_reopen(shop_context, shopper_store):
    store = shopper_store()
    run(add_to_cart, shop_context("S001", shoppers=store), product_id="P0003", quantity=2)
    run(add_to_cart, shop_context("S002", shoppers=store), product_id="P0004", quantity=1)
    store.close()
    reopened = ShopperStore(store.path)
    assert [(c.product_id, c.quantity) for c in reopened.cart("S001")] == [("P0003", 2)]
    assert [(c.product_id, c.quantity) for c in reopened.cart("S002")] == [("P0004", 1)]
    assert run(view_cart, shop_context("S001", shoppers=reopened))["lines"][0]["quantity"] == 2
    reopened.clear_cart("S001")
    assert reopened.cart("S001") == [] and reopened.cart("S002")


def test_unknown_and_out_of_stock_products_are_refused_with_a_reason(shop_context, demo_catalog):
    ctx = shop_context("S001")
    with pytest.raises(ToolError, match="no product with id 'P9999'.*search_catalog"):
        run(add_to_cart, ctx, product_id="P9999", quantity=1)
    assert demo_catalog.get(OUT_OF_STOCK).stock == 0
    with pytest.raises(ToolError, match=f"{OUT_OF_STOCK} .* is out of stock"):
        run(add_to_cart, ctx, product_id=OUT_OF_STOCK, quantity=1)
    assert run(view_cart, ctx)["lines"] == []


def test_quantity_above_stock_is_refused_with_the_available_number(shop_context, demo_catalog):
    ctx = shop_context("S001")
    assert demo_catalog.get(TWO_LEFT).stock == 2
    with pytest.raises(ToolError, match=f"only 2 of {TWO_LEFT} .* in stock"):
        run(add_to_cart, ctx, product_id=TWO_LEFT, quantity=3)
    run(add_to_cart, ctx, product_id=TWO_LEFT, quantity=1)
    with pytest.raises(ToolError, match="1 already in the cart: at most 1 more"):
        run(add_to_cart, ctx, product_id=TWO_LEFT, quantity=2)
    assert run(add_to_cart, ctx, product_id=TWO_LEFT, quantity=1)["quantity_in_cart"] == 2


@pytest.mark.parametrize("quantity", [0, -1, MAX_QUANTITY + 1, "many"])
def test_invalid_quantities_fail_validation(quantity):
    with pytest.raises(ValidationError, match="quantity"):
        add_to_cart.validate({"product_id": "P0001", "quantity": quantity})


def test_guests_must_sign_in(shop_context):
    ctx = shop_context(None)
    for tool, arguments in ((add_to_cart, {"product_id": "P0001"}), (remove_from_cart, {"product_id": "P0001"}),
                            (view_cart, {})):
        with pytest.raises(ToolError, match="sign in"):
            run(tool, ctx, **arguments)


def test_a_line_whose_product_left_the_catalog_is_shown_untotalled_and_removable(shop_context, shopper_store):
    store = shopper_store()
    store.add_to_cart("S001", "P9999", 1)  # as if the catalog dropped it after it was carted
    ctx = shop_context("S001", shoppers=store)
    run(add_to_cart, ctx, product_id="P0003", quantity=1)
    cart = run(view_cart, ctx)
    assert cart["lines"][0] == {"product_id": "P9999", "quantity": 1, "note": "no longer sold; remove it from the cart"}
    assert cart["total"] == cart["lines"][1]["line_total"]
    assert run(remove_from_cart, ctx, product_id="P9999")["removed"] == "P9999"


# -- through the loop: the shopper confirms writes ----------------------------------------------
def add_call(product_id: str, quantity: int) -> dict:
    return {"tool_calls": [{"name": "add_to_cart", "arguments": {"product_id": product_id, "quantity": quantity}}]}


@pytest.mark.parametrize("approved", [False, True])
def test_agent_loop_asks_before_adding_to_the_cart(shop_context, approved):
    ctx = shop_context("S001")
    model = ScriptedModel([add_call("P0001", 2), {"text": "Done." if approved else "Okay, not added."}])
    asked = []
    agent = Agent(model, ToolRegistry([add_to_cart, remove_from_cart, view_cart]), ctx,
                  confirm=lambda call, args: asked.append((call.name, args.quantity)) or approved)
    events = list(agent.run("add two P0001 to my cart"))
    model.assert_consumed()
    assert asked == [("add_to_cart", 2)]
    confirm = next(e for e in events if e.type == "confirm")
    assert confirm.approved is approved and confirm.arguments == {"product_id": "P0001", "quantity": 2}
    result = next(e for e in events if e.type == "tool_result")
    assert result.writes and result.ok is approved
    cart = ctx.deps.shoppers.cart("S001")
    if approved:
        assert [(c.product_id, c.quantity) for c in cart] == [("P0001", 2)]
        assert result.result["quantity_in_cart"] == 2
    else:
        assert cart == [] and "declined" in result.result
    assert events[-1].type == "done" and events[-1].ok
