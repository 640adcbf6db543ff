"""Checkout in the chat: start a checkout from the cart, choose shipping, apply a discount code, place the order,
and look at the signed-in shopper's own orders. Every change is a `writes` tool (the shopper confirms first) and
every result carries the full total, so the reply can state what will be, or was, charged.

Payment is the shopper's card on file through the shop's simulated handler: nothing reaches a payment network.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field

from agent.models.prepare import AID, ToolAid
from agent.tools import ToolError, tool
from tools.checkout.model import (
    Address, Checkout, CheckoutError, CheckoutRequest, CheckoutUpdate, FulfillmentInput, LineItemInput,
    NotFound, Order, OutOfStock, PaymentInput)
from tools.checkout.money import format_minor, to_minor
from tools.checkout.store import CheckoutStore
from tools.deps import ShopContext
from tools.digest import checkout_line, checkout_reply, order_line, orders_line
from tools.history_tools import session_shopper

__all__ = ["CHAT_CHECKOUT_TOOLS", "apply_discount_code", "choose_shipping", "place_order", "start_checkout",
           "view_order"]

Text = Annotated[str, Field(min_length=1, max_length=200)]


def _store(ctx: ShopContext) -> CheckoutStore:
    if ctx.deps.checkout is None:
        raise ToolError("this shop takes no orders here (no checkout is configured); the cart is all there is")
    return ctx.deps.checkout


def _open_checkout(ctx: ShopContext, shopper_id: str) -> Checkout:
    found = _store(ctx).open_checkouts(shopper_id)
    if not found:
        raise ToolError("there is no checkout in progress: call start_checkout first (it uses the cart)")
    return found[0]


def _fail(error: CheckoutError) -> ToolError:
    """The service's errors as messages the model can act on (never a traceback)."""
    if isinstance(error, OutOfStock):
        return ToolError(f"{error}. Nothing was charged. Offer a smaller quantity or to remove the item.")
    return ToolError(str(error))


def _same_amount(text: str, amount: int, currency: str) -> bool:
    """Whether "33.99 USD" / "$33.99" names this minor-unit amount (the confirmation is bound to the total)."""
    found = re.search(r"\d+(?:[.,]\d{1,3})?", text.replace(",", "") if "." in text else text)
    return bool(found) and to_minor(Decimal(found.group().replace(",", ".")), currency) == amount


def _money(amount: int | None, currency: str) -> str | None:
    return None if amount is None else format_minor(amount, currency)


def checkout_summary(c: Checkout) -> dict[str, Any]:
    """What the shopper needs to decide: lines, discounts, shipping, the full total, and what is missing."""
    cur = c.currency
    out: dict[str, Any] = {
        "checkout_id": c.id, "status": c.status,
        "lines": [{"product_id": li.product_id, "title": li.title, "quantity": li.quantity,
                   "unit_price": _money(li.unit_price, cur), "line_total": _money(li.subtotal, cur)}
                  for li in c.line_items],
        "subtotal": _money(c.totals.subtotal, cur)}
    if c.discounts:
        out["discounts"] = [{"code": d.code, "title": d.title, "amount": _money(d.amount, cur)} for d in c.discounts]
    if c.destination is not None:
        out["ship_to"] = c.destination.one_line()
    if c.options:
        out["shipping_options"] = [{"id": o.id, "title": o.title, "price": _money(o.amount, cur)} for o in c.options]
    if c.option is not None:
        out["shipping"] = {"id": c.option.id, "title": c.option.title, "price": _money(c.option.amount, cur)}
    out["total"] = _money(c.totals.total, cur)
    if c.status == "ready_for_complete":
        out["next"] = f"Ready: state the total {out['total']} and ask the shopper to confirm place_order."
    elif c.destination is None:
        out["next"] = "Ask for the shipping address, then call choose_shipping with it."
    elif c.option is None:
        out["next"] = "Ask which shipping option they want, then call choose_shipping with its id."
    return out


def order_summary(o: Order) -> dict[str, Any]:
    cur = o.currency
    out: dict[str, Any] = {
        "order_id": o.id, "status": o.status, "placed_at": o.created_at,
        "lines": [{"product_id": li.product_id, "item_id": li.variant_id or li.product_id, "title": li.title,
                   "quantity": li.quantity, "line_total": _money(li.unit_price * li.quantity, cur)}
                  for li in o.line_items],
        "total": _money(o.totals.total, cur)}
    if o.shipping is not None:
        out["shipping"] = f"{o.shipping.title}, {_money(o.shipping.amount, cur)}"
    if o.destination is not None:
        out["ship_to"] = o.destination.one_line()
    tracking = [e.get("tracking_number") for e in o.events if e.get("type") == "shipped" and e.get("tracking_number")]
    if tracking:
        out["tracking"] = tracking[-1]
    if o.adjustments:  # refunds and price differences after the sale (tools/aftersale_tools.py)
        out["adjustments"] = [{"type": a.get("type"), "status": a.get("status"), "amount": _money(a.get("amount"), cur),
                               "description": a.get("description")} for a in o.adjustments]
    return out


@tool(writes=True, metadata={AID: ToolAid(summarize=checkout_line, present=checkout_reply)})
def start_checkout(ctx: ShopContext) -> dict[str, Any]:
    """Start a checkout from the shopper's cart (they confirm first): lines, subtotal and total so far."""
    shopper_id = session_shopper(ctx)
    cart = ctx.deps.shoppers.cart(shopper_id)
    if not cart:
        raise ToolError("the cart is empty: add products to the cart before starting a checkout")
    lines = tuple(LineItemInput(line.product_id, line.quantity) for line in cart)
    store = _store(ctx)
    for existing in store.open_checkouts(shopper_id):  # the same cart again: carry on with that checkout
        if [(li.product_id, li.quantity) for li in existing.line_items] == [(i.product_id, i.quantity) for i in lines]:
            return checkout_summary(existing)
    # Keyed by the session and the cart: a repeated call for the same cart cannot open a second checkout.
    key = "chat-start:" + hashlib.sha256(f"{ctx.session_id}:{shopper_id}:{lines}".encode()).hexdigest()[:24]
    try:
        checkout = store.create(CheckoutRequest(lines, fulfillment=FulfillmentInput()), customer_id=shopper_id,
                                idempotency_key=key if ctx.session_id else None)
    except CheckoutError as error:
        raise _fail(error) from None
    if checkout.status in ("completed", "canceled"):  # that key's checkout is done: a new one for this cart
        checkout = store.create(CheckoutRequest(lines, fulfillment=FulfillmentInput()), customer_id=shopper_id)
    return checkout_summary(checkout)


# The address parts and the speed a shopper's line states are pinned (tools/addresses.py); none is invented.
_SHIPPING_VALUES = {"street_address": "street_address", "city": "city", "region": "region",
                    "postal_code": "postal_code", "country": "country", "option_id": "shipping"}


@tool(writes=True, metadata={AID: ToolAid(values=_SHIPPING_VALUES, governed=frozenset(_SHIPPING_VALUES),
                                          summarize=checkout_line, present=checkout_reply, after="start_checkout")})
def choose_shipping(
    ctx: ShopContext,
    option_id: Annotated[str | None, Field(description="a shipping option id from the checkout")] = None,
    street_address: Text | None = None,
    city: Text | None = None,
    region: Annotated[str | None, Field(max_length=100, description="state or province")] = None,
    postal_code: Annotated[str | None, Field(max_length=20)] = None,
    country: Annotated[str | None, Field(pattern=r"^[A-Za-z]{2}$", description="2-letter code, e.g. US")] = None,
) -> dict[str, Any]:
    """Set where the order ships (the address the shopper gave) and/or the shipping option; returns the options and total."""
    shopper_id = session_shopper(ctx)
    checkout = _open_checkout(ctx, shopper_id)
    destinations = None
    if street_address or city or postal_code or country:
        if not (street_address and city and country):
            raise ToolError("a shipping address needs at least street_address, city and country")
        destinations = (Address(street_address=street_address, address_locality=city, address_region=region,
                                postal_code=postal_code, address_country=country.upper()),)
    elif option_id is None:
        raise ToolError("give a shipping address (street_address, city, country) or an option_id")
    try:
        updated = _store(ctx).update(checkout.id, CheckoutUpdate(fulfillment=FulfillmentInput(
            destinations, selected_option_id=option_id)), customer_id=shopper_id)
    except CheckoutError as error:
        raise _fail(error) from None
    return checkout_summary(updated)


@tool(writes=True, metadata={AID: ToolAid(summarize=checkout_line, present=checkout_reply)})
def apply_discount_code(ctx: ShopContext, code: Annotated[str, Field(min_length=1, max_length=40)]) -> dict[str, Any]:
    """Apply a discount code the shopper gave to their checkout; an invalid code changes nothing."""
    shopper_id = session_shopper(ctx)
    checkout = _open_checkout(ctx, shopper_id)
    store = _store(ctx)
    if code.strip().upper() not in store.rules.codes:
        raise ToolError(f"the code {code!r} is not valid in this shop; nothing changed, the total is still "
                        f"{format_minor(checkout.totals.total, checkout.currency)}")
    codes = [c for c in checkout.discount_codes if c.strip().upper() != code.strip().upper()] + [code.strip()]
    try:
        updated = store.update(checkout.id, CheckoutUpdate(discount_codes=tuple(codes)), customer_id=shopper_id)
    except CheckoutError as error:
        raise _fail(error) from None
    return checkout_summary(updated)


@tool(writes=True, metadata={AID: ToolAid(summarize=order_line)})
def place_order(
    ctx: ShopContext,
    expected_total: Annotated[str | None, Field(max_length=40, description="the total the shopper agreed to, "
                                                "e.g. 33.99 USD; the order is refused if it differs")] = None,
) -> dict[str, Any]:
    """Place the order for the checkout in progress, paying with the shopper's card on file (they confirm first)."""
    shopper_id = session_shopper(ctx)
    checkout = _open_checkout(ctx, shopper_id)
    if expected_total is not None and not _same_amount(expected_total, checkout.totals.total, checkout.currency):
        raise ToolError(f"the total is now {format_minor(checkout.totals.total, checkout.currency)}, not "
                        f"{expected_total}; tell the shopper the new total and ask again")
    card = PaymentInput("simulated_card", {"type": "token", "token": f"card-on-file:{shopper_id}"},
                        brand="Visa", last_digits="4242")
    store = _store(ctx)
    try:
        # One completion per checkout: a repeated call replays the first outcome instead of charging again.
        done = store.complete(checkout.id, card, customer_id=shopper_id, idempotency_key=f"chat-complete:{checkout.id}")
    except CheckoutError as error:
        raise _fail(error) from None
    if done.status != "completed" or done.order_id is None:
        raise ToolError("the payment needs the shopper's own confirmation with their bank; the order is not placed")
    shoppers = ctx.deps.shoppers
    for line in done.line_items:  # what was bought leaves the cart
        shoppers.remove_from_cart(shopper_id, line.product_id)
    return dict(order_summary(store.order(done.order_id, customer_id=shopper_id)), charged=_money(
        done.totals.total, done.currency), payment="Visa ending 4242 (card on file)")


@tool(metadata={AID: ToolAid(summarize=orders_line)})
def view_order(ctx: ShopContext, order_id: Annotated[str | None, Field(max_length=60)] = None) -> dict[str, Any]:
    """The signed-in shopper's orders (newest first), or one of them by id: status, lines, total, tracking."""
    shopper_id = session_shopper(ctx)
    store = _store(ctx)
    if order_id:
        try:
            return order_summary(store.order(order_id.strip(), customer_id=shopper_id))
        except NotFound:
            raise ToolError(f"no order {order_id!r} for this shopper; call view_order without an id to list "
                            "their orders") from None
    orders = store.orders_for(shopper_id)
    if not orders:
        return {"orders": [], "note": "This shopper has no orders yet."}
    return {"orders": [{"order_id": o.id, "status": o.status, "placed_at": o.created_at,
                        "items": sum(li.quantity for li in o.line_items), "total": _money(o.totals.total, o.currency)}
                       for o in orders]}


CHAT_CHECKOUT_TOOLS = [start_checkout, choose_shipping, apply_discount_code, place_order, view_order]
