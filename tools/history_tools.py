"""`get_user_history`: the signed-in shopper's purchases, views and carted items, and a profile derived from them."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import Field

from agent.models.prepare import AID, ToolAid
from agent.tools import ToolError, tool
from tools.digest import history_line
from tools.deps import ShopContext
from tools.catalog.product import Product
from tools.shoppers import ShopperEvent, ShopperStore

__all__ = ["get_user_history", "session_shopper", "shopper_profile"]

# Buying says more about taste than carting, and carting more than looking.
WEIGHTS = {"purchase": 3, "cart": 2, "view": 1}
_KINDS = {"purchases": "purchase", "views": "view", "cart": "cart"}
TOP = 3


def session_shopper(ctx: ShopContext) -> str:
    """The shopper this session belongs to; guests get a ToolError the model can relay."""
    if not ctx.user_id:
        raise ToolError("the shopper is not signed in: ask them to sign in to see their history or use a cart")
    return ctx.user_id


@tool(metadata={AID: ToolAid(values={"limit": "count"}, governed=frozenset({"limit"}), summarize=history_line)})
def get_user_history(
    ctx: ShopContext,
    kind: Literal["purchases", "views", "cart", "all"] = "all",
    limit: Annotated[int, Field(ge=1, le=50, strict=True, description="most recent items per list")] = 10,
) -> dict[str, Any]:
    """The signed-in shopper's past purchases, viewed and carted products (newest first) and their taste profile."""
    shopper_id = session_shopper(ctx)
    shoppers: ShopperStore = ctx.deps.shoppers
    events = shoppers.events(shopper_id)  # all of them: the profile looks at everything, lists are cut below
    products = _products(ctx, events)
    out: dict[str, Any] = {"shopper_id": shopper_id}
    name = shoppers.profile_name(shopper_id)
    if name:
        out["name"] = name
    for key, action in _KINDS.items():
        if kind in (key, "all"):
            out[key] = _items(events, action, products, limit)
    out["profile"] = shopper_profile(events, products)
    if kind == "cart":
        out["note"] = "These are products carted in the past; view_cart shows the current cart."
    return out


def shopper_profile(events: list[ShopperEvent], products: dict[str, Product]) -> dict[str, Any]:
    """Favourite categories and brands (weighted purchase 3, cart 2, view 1), typical price band and counts."""
    known = [e for e in events if e.product_id in products]
    if not known:
        return {"note": "No shopping history yet: a new shopper. Ask what they are looking for.",
                "counts": {"purchases": 0, "views": 0, "cart": 0}}
    categories: Counter[str] = Counter()
    brands: Counter[str] = Counter()
    for e in known:
        product = products[e.product_id]
        if product.category:
            categories[product.category_path] += WEIGHTS[e.action]
        if product.brand:
            brands[product.brand] += WEIGHTS[e.action]
    counts = Counter(e.action for e in known)
    profile: dict[str, Any] = {
        "favourite_categories": [c for c, _ in categories.most_common(TOP)],
        "favourite_brands": [b for b, _ in brands.most_common(TOP)],
        "counts": {"purchases": counts["purchase"], "views": counts["view"], "cart": counts["cart"]},
        "last_active": known[0].timestamp[:10],
    }
    band = _price_band([_price(e, products[e.product_id]) for e in known if e.action in ("purchase", "view")])
    if band:
        profile["typical_price"] = {"low": band[0], "high": band[1], "currency": products[known[0].product_id].currency}
    return profile


def _products(ctx: ShopContext, events: list[ShopperEvent]) -> dict[str, Product]:
    """Catalog records for the events' products; ids the catalog no longer has are left out."""
    if not events:
        return {}
    return {p.id: p for p in ctx.deps.catalog.get_many([e.product_id for e in events])}


def _items(events: list[ShopperEvent], action: str, products: dict[str, Product], limit: int) -> list[dict[str, Any]]:
    """Newest first; views and carts once per product (the latest), purchases each time (repeat buys matter)."""
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for e in events:
        product = products.get(e.product_id)
        if e.action != action or product is None or (action != "purchase" and e.product_id in seen):
            continue
        seen.add(e.product_id)
        item = {"id": product.id, "title": product.title, "brand": product.brand, "category": product.category_path,
                "price": _price(e, product), "currency": product.currency, "date": e.timestamp[:10]}
        if action != "view":
            item["quantity"] = e.quantity
        items.append(item)
        if len(items) >= limit:
            break
    return items


def _price(event: ShopperEvent, product: Product) -> float:
    """What the shopper saw or paid; the catalog's current price when the event did not record one."""
    return event.price if event.price is not None else product.effective_price


def _price_band(prices: list[float]) -> tuple[float, float] | None:
    """The 25th to 75th percentile: robust to one splurge or one bargain."""
    if not prices:
        return None
    if len(prices) == 1:
        return round(prices[0], 2), round(prices[0], 2)
    q1, _, q3 = statistics.quantiles(prices, n=4, method="inclusive")
    return round(q1, 2), round(q3, 2)
