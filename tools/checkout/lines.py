"""A checkout's line items against the catalog: lines from a request, prices' currency, and stock.

Stock is what the checkout store counts (`inventory`), else the catalog's `stock` (None: not tracked); the
store's count starts from the catalog's at the first sale and goes down with every order.
"""

from __future__ import annotations

import uuid
from typing import Any, Sequence

from tools.catalog.product import Product
from tools.checkout.model import InvalidRequest, LineItem, LineItemInput, OutOfStock
from tools.checkout.shopdb import ShopData

__all__ = ["available", "build_lines", "check_stock", "currency_of", "fetch_products", "take_stock"]


def build_lines(wanted: Sequence[LineItemInput], existing: list[LineItem]) -> list[LineItem]:
    """New lines for `wanted`, keeping the ids of lines that stay (by id, else by product)."""
    by_id = {li.id: li for li in existing}
    by_product = {li.product_id: li for li in existing}
    lines: list[LineItem] = []
    for n, item in enumerate(wanted, start=1):
        if item.quantity < 1:
            raise InvalidRequest(f"quantity must be at least 1 (line {n})")
        kept = by_id.get(item.id or "") or by_product.get(item.product_id)
        line_id = kept.id if kept and kept.id not in {li.id for li in lines} else f"li_{uuid.uuid4().hex[:8]}"
        lines.append(LineItem(line_id, item.product_id, "", 0, item.quantity))
    return lines


def fetch_products(catalog: Any, lines: list[LineItem]) -> dict[str, Product]:
    """The catalog's record of every product on the lines; InvalidRequest names one it does not have."""
    ids = list(dict.fromkeys(li.product_id for li in lines))
    found = {p.id: p for p in catalog.get_many(ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidRequest(f"Product {missing[0]!r} not found in this shop's catalog")
    return found


def currency_of(products: dict[str, Product], asked: str | None) -> str:
    currencies = {p.currency.upper() for p in products.values()}
    if len(currencies) > 1:
        raise InvalidRequest(f"these products are sold in different currencies ({', '.join(sorted(currencies))})")
    currency = currencies.pop() if currencies else (asked or "USD").upper()
    if asked and asked.upper() != currency:
        raise InvalidRequest(f"unsupported currency {asked!r}: this shop sells these items in {currency}")
    return currency


def available(shop: ShopData, product: Product) -> int | None:
    """Units that can be sold now; None when nobody counts (the catalog tracks no stock)."""
    if not product.available:
        return 0
    counted = shop.on_hand(product.id)
    return counted if counted is not None else product.stock


def check_stock(shop: ShopData, lines: list[LineItem], products: dict[str, Product]) -> None:
    """OutOfStock when the lines (summed per product) want more than is left."""
    wanted: dict[str, int] = {}
    for line in lines:
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    for product_id, quantity in wanted.items():
        product = products[product_id]
        left = available(shop, product)
        if left is not None and quantity > left:
            raise OutOfStock(f"Insufficient stock for {product.title} ({product_id}): "
                             f"{max(left, 0)} available, {quantity} requested")


def take_stock(shop: ShopData, lines: list[LineItem], products: dict[str, Product]) -> None:
    """Sell the lines: check, then count the units down (inside the caller's transaction)."""
    check_stock(shop, lines, products)
    for line in lines:
        left = available(shop, products[line.product_id])
        if left is not None:
            shop.set_on_hand(line.product_id, left - line.quantity)
