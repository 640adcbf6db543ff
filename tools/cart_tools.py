"""`add_to_cart`, `remove_from_cart` and `view_cart`: the signed-in shopper's live cart, checked against stock."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from pydantic import Field

from agent.models.prepare import AID, ToolAid
from agent.tools import ToolError, tool
from tools.digest import added_line, cart_line, removed_line
from tools.deps import ShopContext
from tools.catalog.product import Product
from tools.catalog_tools import ProductId, resolve_product
from tools.history_tools import session_shopper
from tools.shoppers import ShopperStore

__all__ = ["MAX_QUANTITY", "add_to_cart", "remove_from_cart", "view_cart"]

MAX_QUANTITY = 20  # per call and per cart line: more is a wholesale order, not a shopping cart


@tool(writes=True, metadata={AID: ToolAid(values={"product_id": "id", "quantity": "count"},
                                         governed=frozenset({"quantity"}), summarize=added_line)})
def add_to_cart(ctx: ShopContext, product_id: ProductId,
                quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY, strict=True)] = 1) -> dict[str, Any]:
    """Put a product in the shopper's cart (they confirm first); adding one already there raises its quantity."""
    shopper_id = session_shopper(ctx)
    shoppers: ShopperStore = ctx.deps.shoppers
    product = resolve_product(ctx, product_id)
    if not product.in_stock:
        raise ToolError(f"{product.id} ({product.title}) is out of stock and cannot be added. "
                        "Offer a similar product that is in stock.")
    existing = shoppers.cart_line(shopper_id, product.id)
    have = existing.quantity if existing else 0
    _check_quantity(product, have, quantity)
    line = shoppers.add_to_cart(shopper_id, product.id, quantity)
    out: dict[str, Any] = {"added": quantity, "product_id": product.id, "title": product.title,
                           "quantity_in_cart": line.quantity, "unit_price": product.effective_price,
                           "currency": product.currency}
    if existing:
        out["note"] = f"Already in the cart: quantity increased from {have} to {line.quantity}."
    out["cart_total"] = _cart(ctx, shopper_id).get("total")
    return out


@tool(writes=True, metadata={AID: ToolAid(values={"product_id": "id"}, summarize=removed_line)})
def remove_from_cart(ctx: ShopContext, product_id: ProductId) -> dict[str, Any]:
    """Remove a product (its whole line) from the shopper's cart (they confirm first)."""
    shopper_id = session_shopper(ctx)
    shoppers: ShopperStore = ctx.deps.shoppers
    try:
        wanted = resolve_product(ctx, product_id).id
    except ToolError:
        wanted = product_id.strip()  # a line whose product left the catalog must still be removable
    if not shoppers.remove_from_cart(shopper_id, wanted):
        in_cart = [line.product_id for line in shoppers.cart(shopper_id)]
        listing = ", ".join(in_cart) if in_cart else "the cart is empty"
        raise ToolError(f"{wanted} is not in the cart (in the cart: {listing})")
    cart = _cart(ctx, shopper_id)
    return {"removed": wanted, "items_left": len(cart["lines"]), "cart_total": cart.get("total")}


@tool(metadata={AID: ToolAid(summarize=cart_line)})
def view_cart(ctx: ShopContext) -> dict[str, Any]:
    """The shopper's current cart: each line with title, unit price, quantity, line total and stock, and the total."""
    return _cart(ctx, session_shopper(ctx))


def _check_quantity(product: Product, have: int, adding: int) -> None:
    """Refuse more than the stock (saying how many are left) or more than a cart line may hold."""
    if have + adding > MAX_QUANTITY:
        raise ToolError(f"a cart line holds at most {MAX_QUANTITY}; the cart already has {have} of {product.id}, "
                        f"so at most {MAX_QUANTITY - have} more can be added")
    if product.stock is None or have + adding <= product.stock:
        return  # stock None: the merchant does not track it; availability alone decides
    if have:
        raise ToolError(f"only {product.stock} of {product.id} in stock and {have} already in the cart: "
                        f"at most {max(product.stock - have, 0)} more can be added")
    raise ToolError(f"only {product.stock} of {product.id} ({product.title}) in stock: "
                    f"ask whether {product.stock} will do")


def _cart(ctx: ShopContext, shopper_id: str) -> dict[str, Any]:
    """Cart lines joined with the catalog; a product the catalog dropped is listed but not totalled."""
    lines = ctx.deps.shoppers.cart(shopper_id)
    if not lines:
        return {"lines": [], "item_count": 0, "total": 0.0, "note": "The cart is empty."}
    products = {p.id: p for p in ctx.deps.catalog.get_many([line.product_id for line in lines])}
    rows: list[dict[str, Any]] = []
    totals: dict[str, float] = defaultdict(float)
    for line in lines:
        product = products.get(line.product_id)
        if product is None:
            rows.append({"product_id": line.product_id, "quantity": line.quantity,
                         "note": "no longer sold; remove it from the cart"})
            continue
        line_total = round(product.effective_price * line.quantity, 2)
        totals[product.currency] += line_total
        row = {"product_id": product.id, "title": product.title, "quantity": line.quantity,
               "unit_price": product.effective_price, "line_total": line_total, "currency": product.currency,
               "in_stock": product.in_stock}
        if product.in_stock and product.stock is not None and product.stock < line.quantity:
            row["note"] = f"only {product.stock} left in stock"
        rows.append(row)
    out: dict[str, Any] = {"lines": rows, "item_count": sum(line.quantity for line in lines)}
    if len(totals) <= 1:
        currency, total = next(iter(totals.items()), (None, 0.0))
        out.update(total=round(total, 2), currency=currency)
    else:
        out["totals"] = {c: round(t, 2) for c, t in totals.items()}  # no exchange rates: never add across currencies
    return out
