"""Fulfilment simulation for a demo shop with no warehouse: ship an order (the store's `ship`), then deliver it.

The UCP server offers the same behind its simulation secret (`/testing/simulate-shipping|delivery/{order}`);
`python cli.py orders ship|deliver ORDER` does it from a terminal.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from tools.checkout.model import NotModifiable, Order
from tools.checkout.shopdb import ShopData
from tools.checkout.store import CheckoutStore

__all__ = ["deliver"]


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
