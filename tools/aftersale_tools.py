"""After the sale, in the chat: the τ² retail desk's write tools on the shop's own checkout orders.

Same names and policy as the τ² pack (`tools/retail/`): only a pending order (`placed`, not shipped) is cancelled
or modified, only a delivered one returned or exchanged, once; cancel reasons are τ²'s two. Whose orders: the
session's shopper only (`ctx.user_id`), never an argument. Every tool changes state, so the shopper confirms
first. There is no payment argument: the shop keeps one card per order, and every refund or price difference
goes to it (tools/retail/shop.py says how the two order models were reconciled).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from agent.models.prepare import AID, ToolAid
from agent.tools import ToolError, tool
from tools.checkout.model import Order
from tools.checkout_tools import order_summary
from tools.deps import ShopContext
from tools.history_tools import session_shopper
from tools.retail.model import Address
from tools.retail.rules import CancelReason
from tools.checkout.money import format_minor
from tools.retail.shop import ShopOrderDesk, service_status, unit_ids

__all__ = ["AFTER_SALE_TOOLS", "cancel_pending_order", "exchange_delivered_order_items",
           "modify_pending_order_address", "modify_pending_order_items", "return_delivered_order_items"]

OrderId = Annotated[str | None, Field(max_length=60, description="an order id from view_order, e.g. ord_…; "
                                     "leave it out for the shopper's one order it can apply to")]
ItemIds = Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(
    min_length=1, max_length=50, description="item ids from view_order (a product or variant id), once per unit")]
Line = Annotated[str, Field(max_length=200)]


def _desk(ctx: ShopContext) -> tuple[ShopOrderDesk, str]:
    shopper_id = session_shopper(ctx)
    if ctx.deps.checkout is None:
        raise ToolError("this shop takes no orders here (no checkout is configured)")
    return ShopOrderDesk(ctx.deps.checkout), shopper_id


def _order_id(desk: ShopOrderDesk, shopper_id: str, order_id: str | None, statuses: tuple[str, ...],
              what: str) -> str:
    """The order named, or the shopper's one order in one of `statuses` (τ²'s words) when none is named: "cancel
    my order" means the only one that can be cancelled; with several, the shopper is asked which."""
    if order_id and order_id.strip():
        return order_id.strip()
    fits = [o for o in desk.store.orders_for(shopper_id) if service_status(o) in statuses]
    if len(fits) == 1:
        return fits[0].id
    if not fits:
        mine = "; ".join(f"{o.id} is {o.status}" for o in desk.store.orders_for(shopper_id)[:5]) or "there are none"
        raise ToolError(f"no order that can be {what}: {mine}")
    listed = "; ".join(f"{o.id} ({format_minor(o.totals.total, o.currency)})" for o in fits[:5])
    raise ToolError(f"several orders can be {what}: {listed}; ask the shopper which one and pass its order_id")


def _result(order: Order) -> dict[str, Any]:
    out = dict(order_summary(order), policy_status=service_status(order))
    if order.adjustments:
        out["done"] = order.adjustments[-1]["description"]
    return out


def _line(r: dict[str, Any]) -> str:
    return f"Order {r['order_id']} is {r.get('status')}" + (f": {r['done']}." if r.get("done") else ".")


# An order id or item ids only from the shopper's words (else the one order that fits, all its items); the
# cancel reason pinned when the line states it.
_AID = {AID: ToolAid(values={"order_id": "order_id", "item_ids": "id", "new_item_ids": "id"},
                     governed=frozenset({"order_id"}), summarize=_line)}
_CANCEL = {AID: ToolAid(values={"order_id": "order_id", "reason": "cancel_reason"}, governed=frozenset({"order_id"}),
                        summarize=_line)}
_ADDRESS = {AID: ToolAid(values={"order_id": "order_id", "address1": "street_address", "city": "city", "state": "region",
                                 "zip": "postal_code", "country": "country"}, governed=frozenset({"order_id"}),
                         summarize=_line)}
_RETURN = {AID: ToolAid(values={"order_id": "order_id", "item_ids": "id"}, governed=frozenset({"order_id", "item_ids"}),
                        summarize=_line)}


@tool(writes=True, metadata=_CANCEL)
def cancel_pending_order(ctx: ShopContext, reason: CancelReason, order_id: OrderId = None) -> dict[str, Any]:
    """Cancel one of the shopper's orders that has not shipped yet; the full amount is refunded to their card.
    The reason is 'no longer needed' or 'ordered by mistake'. Confirm the order and reason with them first."""
    desk, shopper_id = _desk(ctx)
    return _result(desk.cancel(shopper_id, _order_id(desk, shopper_id, order_id, ("pending",), "cancelled"), reason))


@tool(writes=True, metadata=_ADDRESS)
def modify_pending_order_address(ctx: ShopContext, address1: Line, city: Line, state: Line,
                                 country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")],
                                 zip: Annotated[str, Field(max_length=20)], address2: Line = "",
                                 order_id: OrderId = None) -> dict[str, Any]:
    """Ship an order that has not shipped yet to another address (country a 2-letter code)."""
    desk, shopper_id = _desk(ctx)
    address = Address(address1=address1, address2=address2, city=city, country=country, state=state, zip=zip)
    return _result(desk.modify_address(shopper_id, _order_id(desk, shopper_id, order_id, ("pending",), "changed"),
                                       address))


@tool(writes=True, metadata=_AID)
def modify_pending_order_items(ctx: ShopContext, item_ids: ItemIds, new_item_ids: ItemIds,
                               order_id: OrderId = None) -> dict[str, Any]:
    """Swap items of an order that has not shipped for other available variants of the same products (position
    by position), charging or refunding the difference on their card. Allowed once per order: collect every
    item first."""
    desk, shopper_id = _desk(ctx)
    order = _order_id(desk, shopper_id, order_id, ("pending",), "changed")
    return _result(desk.modify_items(shopper_id, order, item_ids, new_item_ids))


@tool(writes=True, metadata=_RETURN)
def return_delivered_order_items(ctx: ShopContext, item_ids: ItemIds | None = None,
                                 order_id: OrderId = None) -> dict[str, Any]:
    """Request the return of items of a delivered order (all of it when no item ids are given); the refund goes
    to the card it was paid with once the items arrive. Confirm the order and items with the shopper first."""
    desk, shopper_id = _desk(ctx)
    order = _order_id(desk, shopper_id, order_id, ("delivered",), "returned")
    if not item_ids:
        item_ids = unit_ids(desk.store.order(order, customer_id=shopper_id))
    return _result(desk.return_items(shopper_id, order, item_ids))


@tool(writes=True, metadata=_AID)
def exchange_delivered_order_items(ctx: ShopContext, item_ids: ItemIds, new_item_ids: ItemIds,
                                   order_id: OrderId = None) -> dict[str, Any]:
    """Exchange items of a delivered order for available variants of the same products (position by position;
    the same item for a replacement); the price difference goes to or from their card. Allowed once per order."""
    desk, shopper_id = _desk(ctx)
    order = _order_id(desk, shopper_id, order_id, ("delivered",), "exchanged")
    return _result(desk.exchange_items(shopper_id, order, item_ids, new_item_ids))


AFTER_SALE_TOOLS = [cancel_pending_order, modify_pending_order_address, modify_pending_order_items,
                    return_delivered_order_items, exchange_delivered_order_items]
