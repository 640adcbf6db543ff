"""Fulfilment simulation for a demo shop with no warehouse: ship an order (the store's `ship`), then deliver it.

The UCP server offers the same behind its simulation secret (`/testing/simulate-shipping|delivery/{order}`);
`python cli.py orders ship|deliver ORDER` does it from a terminal.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from tools.checkout.model import (Address, CheckoutRequest, FulfillmentInput, LineItemInput, NotModifiable, Order,
                                  PaymentInput)
from tools.checkout.shopdb import ShopData
from tools.checkout.store import CheckoutStore

__all__ = ["deliver", "past_order"]


def deliver(store: CheckoutStore, order_id: str) -> Order:
    """Mark an order delivered (shipping it first if it was only placed): a `delivered` fulfillment event."""
    if store.order(order_id).status == "placed":
        store.ship(order_id)

    def change(order: Order, shop: ShopData) -> None:
        if order.status == "delivered":
            return
        if order.status != "shipped":
            raise NotModifiable(f"order {order_id} is {order.status}, not shipped")
        shipped = next((e for e in reversed(order.events) if e.get("type") == "shipped"), {})
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        order.events.append({"id": "evt_" + uuid.uuid4().hex[:12], "occurred_at": now, "type": "delivered",
                             "line_items": [{"id": li.id, "quantity": li.quantity} for li in order.line_items],
                             "tracking_number": shipped.get("tracking_number"), "carrier": shipped.get("carrier"),
                             "description": "Delivered"})
        order.status = "delivered"

    return store.change_order(order_id, change)[0]


def past_order(store: CheckoutStore, customer_id: str, items: dict[str, int], status: str = "placed",
               destination: Address | None = None, option_id: str = "standard") -> Order:
    """An order the customer placed earlier (an eval case's or a demo's starting point), through the same
    checkout, payment and fulfilment steps as a real one, then moved on to `status` (placed, shipped, delivered)."""
    if status not in ("placed", "shipped", "delivered"):
        raise ValueError(f"a past order is placed, shipped or delivered, not {status!r}")
    destination = destination or Address(street_address="1 Elm St", address_locality="Springfield",
                                         address_region="IL", postal_code="62704", address_country="US")
    lines = tuple(LineItemInput(pid, int(n)) for pid, n in items.items())
    checkout = store.create(CheckoutRequest(lines, fulfillment=FulfillmentInput((destination,), None, option_id)),
                            customer_id=customer_id)
    card = PaymentInput("simulated_card", {"type": "token", "token": f"card-on-file:{customer_id}"},
                        brand="Visa", last_digits="4242")
    done = store.complete(checkout.id, card, customer_id=customer_id)
    if done.order_id is None:
        raise ValueError(f"the past order could not be placed: checkout {done.id} is {done.status}")
    if status == "shipped":
        return store.ship(done.order_id)
    if status == "delivered":
        return deliver(store, done.order_id)
    return store.order(done.order_id)
