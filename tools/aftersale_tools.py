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
from tools.retail.shop import ShopOrderDesk, service_status

__all__ = ["AFTER_SALE_TOOLS", "cancel_pending_order", "exchange_delivered_order_items",
           "modify_pending_order_address", "modify_pending_order_items", "return_delivered_order_items"]

OrderId = Annotated[str, Field(min_length=1, max_length=60, description="an order id from view_order, e.g. ord_…")]
ItemIds = Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(
    min_length=1, max_length=50, description="item ids from view_order (a product or variant id), once per unit")]
Line = Annotated[str, Field(max_length=200)]


def _desk(ctx: ShopContext) -> tuple[ShopOrderDesk, str]:
    shopper_id = session_shopper(ctx)
    if ctx.deps.checkout is None:
        raise ToolError("this shop takes no orders here (no checkout is configured)")
    return ShopOrderDesk(ctx.deps.checkout), shopper_id


def _result(order: Order) -> dict[str, Any]:
    out = dict(order_summary(order), policy_status=service_status(order))
    if order.adjustments:
        out["done"] = order.adjustments[-1]["description"]
    return out


def _line(r: dict[str, Any]) -> str:
    return f"Order {r['order_id']} is {r.get('status')}" + (f": {r['done']}." if r.get("done") else ".")


_AID = {AID: ToolAid(summarize=_line)}


@tool(writes=True, metadata=_AID)
def cancel_pending_order(ctx: ShopContext, order_id: OrderId, reason: CancelReason) -> dict[str, Any]:
    """Cancel one of the shopper's orders that has not shipped yet; the full amount is refunded to their card.
    The reason is 'no longer needed' or 'ordered by mistake'. Confirm the order and reason with them first."""
    desk, shopper_id = _desk(ctx)
    return _result(desk.cancel(shopper_id, order_id.strip(), reason))


@tool(writes=True, metadata=_AID)
def modify_pending_order_address(ctx: ShopContext, order_id: OrderId, address1: Line, address2: Line, city: Line,
                                 state: Line, country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")],
                                 zip: Annotated[str, Field(max_length=20)]) -> dict[str, Any]:
    """Ship an order that has not shipped yet to another address (address2 may be ''; country a 2-letter code)."""
    desk, shopper_id = _desk(ctx)
    address = Address(address1=address1, address2=address2, city=city, country=country, state=state, zip=zip)
    return _result(desk.modify_address(shopper_id, order_id.strip(), address))


@tool(writes=True, metadata=_AID)
def modify_pending_order_items(ctx: ShopContext, order_id: OrderId, item_ids: ItemIds,
                               new_item_ids: ItemIds) -> dict[str, Any]:
    """Swap items of an order that has not shipped for other available variants of the same products (position
    by position), charging or refunding the difference on their card. Allowed once per order: collect every
    item first."""
    desk, shopper_id = _desk(ctx)
    return _result(desk.modify_items(shopper_id, order_id.strip(), item_ids, new_item_ids))


@tool(writes=True, metadata=_AID)
def return_delivered_order_items(ctx: ShopContext, order_id: OrderId, item_ids: ItemIds) -> dict[str, Any]:
    """Request the return of items of a delivered order; the refund goes to the card it was paid with once the
    items arrive. Confirm the order and items with the shopper first."""
    desk, shopper_id = _desk(ctx)
    return _result(desk.return_items(shopper_id, order_id.strip(), item_ids))


@tool(writes=True, metadata=_AID)
def exchange_delivered_order_items(ctx: ShopContext, order_id: OrderId, item_ids: ItemIds,
                                   new_item_ids: ItemIds) -> dict[str, Any]:
    """Exchange items of a delivered order for available variants of the same products (position by position;
    the same item for a replacement); the price difference goes to or from their card. Allowed once per order."""
    desk, shopper_id = _desk(ctx)
    return _result(desk.exchange_items(shopper_id, order_id.strip(), item_ids, new_item_ids))


AFTER_SALE_TOOLS = [cancel_pending_order, modify_pending_order_address, modify_pending_order_items,
                    return_delivered_order_items, exchange_delivered_order_items]
