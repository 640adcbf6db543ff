"""Shopify's product CSV export: one row per variant or image, grouped into products by Handle."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .feeds_fields import published
from .feeds_records import Note, ReadOptions, Rejection, RowError, build_product, money
from .product import Product, Variant

__all__ = ["is_shopify_header", "read_shopify"]

_OPTIONS = (("option1 name", "option1 value"), ("option2 name", "option2 value"), ("option3 name", "option3 value"))
_VARIANT_COLUMNS = ("option1 value", "option2 value", "option3 value", "variant sku", "variant price")
# Columns read explicitly, or per variant/image, or Shopify bookkeeping: not product attributes.
_CONSUMED = {"handle", "title", "body (html)", "body html", "vendor", "product category", "type", "tags",
             "published", "status", "image src", "image position", "image alt text", "gift card",
             "published on online store"}
_NOISE_PREFIXES = ("variant ", "option", "image ", "seo ", "cost per item")


def is_shopify_header(names: list[str]) -> bool:
    """A CSV is a Shopify export when it has Handle and Variant Price columns."""
    keys = {name.strip().lower() for name in names}
    return {"handle", "variant price"} <= keys


@dataclass
class _Group:
    line: int
    row: dict[str, str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # every row, the title row first


def read_shopify(records: list[tuple[int, dict[str, str]]], source: str, options: ReadOptions,
                 notes: list[Note]) -> tuple[list[tuple[int, Product]], list[Rejection]]:
    """Products from a Shopify export's rows; a bad variant row is rejected on its own line."""
    rejections: list[Rejection] = []
    groups: dict[str, _Group] = {}
    for line, record in records:
        row = {key.strip().lower(): value.strip() for key, value in record.items()}
        handle = row.get("handle", "")
        if not handle:
            rejections.append(Rejection(source, line, "missing Handle"))
        elif row.get("title") and handle in groups:
            first = groups[handle].line
            rejections.append(Rejection(source, line, f"duplicate id {handle!r} (first on line {first})", handle))
        elif row.get("title"):
            groups[handle] = _Group(line, row, [(line, row)])
        elif handle not in groups:
            rejections.append(Rejection(
                source, line, f"continuation row for Handle {handle!r} without a product row (one with a Title) before it",
                handle))
        else:
            groups[handle].rows.append((line, row))
    products = []
    for handle, group in groups.items():
        product = _product(handle, group, source, rejections, options, notes)
        if product is not None:
            products.append((group.line, product))
    return products, rejections


def _product(handle: str, group: _Group, source: str, rejections: list[Rejection], options: ReadOptions,
             notes: list[Note]) -> Product | None:
    row = group.row
    option_names = [row.get(name_column, "") for name_column, _ in _OPTIONS]
    variants: list[Variant] = []
    currencies: set[str] = set()
    errors: list[tuple[int, str]] = []
    for line, variant_row in group.rows:
        try:
            variant = _variant(handle, len(variants) + 1, variant_row, option_names, options, currencies)
        except RowError as error:
            errors.append((line, error.reason))
            continue
        if variant is not None:
            variants.append(variant)
    rejections += [Rejection(source, line, reason, handle) for line, reason in errors]
    priced = [v for v in variants if v.price is not None]
    if not priced:
        if all(line != group.line for line, _ in errors):  # say on the product's own line why it is missing
            rejections.append(Rejection(source, group.line, "missing price (no variant with a valid Variant Price)", handle))
        return None
    if len(currencies) > 1:
        rejections.append(Rejection(source, group.line, f"variants in several currencies: {', '.join(sorted(currencies))}",
                                    handle))
        return None
    cheapest = min(priced, key=lambda v: v.sale_price if v.sale_price is not None else v.price)
    stocks = [v.stock for v in variants if v.stock is not None]
    status = row.get("status", "").lower()
    # Draft and archived products, and those not published to the store, are in the export but not for sale.
    flag = published(row["published"]) if row.get("published") else None
    record: dict[str, Any] = {
        "id": handle, "title": row.get("title"), "body_html": row.get("body (html)") or row.get("body html"),
        "brand": row.get("vendor"), "category": row.get("product category") or row.get("type"),
        "tags": row.get("tags"), "price": cheapest.price, "sale_price": cheapest.sale_price,
        "currency": currencies.pop() if currencies else None,
        "stock": sum(stocks) if stocks else None, "variants": variants,
        "images": [r["image src"] for _, r in group.rows if r.get("image src")],
        "published": status in ("", "active") and flag is not False,
        # The export names no domain: the product page is known only when the merchant says where the shop is.
        "url": f"{options.shop_url.rstrip('/')}/products/{handle}" if options.shop_url else None,
        "backorder": any(v.backorder for v in variants),
    }
    attributes = {key: value for key, value in row.items()
                  if value and key not in _CONSUMED and not key.startswith(_NOISE_PREFIXES)}
    if row.get("product category") and row.get("type"):
        attributes["type"] = row["type"]
    if status not in ("", "active"):
        attributes["status"] = status
    if row.get("variant grams"):
        attributes["weight_grams"] = row["variant grams"]
    record["attributes"] = attributes
    said: list[str] = []
    try:
        product = build_product(record, options, said)
        notes.extend(Note(source, group.line, message, handle) for message in said)
        return product
    except RowError as error:
        rejections.append(Rejection(source, group.line, error.reason, handle))
        rejections += [Rejection(source, line, f"belongs to product {handle!r} rejected on line {group.line}", handle)
                       for line, _ in group.rows[1:] if not any(line == bad for bad, _ in errors)]
        return None


def _variant(handle: str, index: int, row: dict[str, str], option_names: list[str], options: ReadOptions,
             currencies: set[str]) -> Variant | None:
    """One row's variant, or None for an image-only row."""
    if not any(row.get(column) for column in _VARIANT_COLUMNS):
        return None
    price = _price("Variant Price", row.get("variant price", ""), options, currencies)
    compare_at = row.get("variant compare at price")
    sale_price = None
    if compare_at:
        compare = _price("Variant Compare At Price", compare_at, options, currencies)
        if compare > price:  # Shopify's "was" price: the list price is the compare-at, the price is a sale
            price, sale_price = compare, price
    stock = None
    if row.get("variant inventory qty"):
        quantity = row["variant inventory qty"]
        if not quantity.lstrip("-").isdigit():
            raise RowError(f"Variant Inventory Qty: not a whole number: {quantity!r}")
        stock = max(0, int(quantity))  # Shopify allows overselling: a negative count means none left
    values = {}
    for (_, value_column), name in zip(_OPTIONS, option_names):
        value = row.get(value_column, "")
        if value and value != "Default Title":  # Shopify's placeholder for a product without options
            values[(name or value_column.removesuffix(" value")).lower()] = value
    # Policy "continue": sold with none on hand, to be shipped later (backorder), not out of stock.
    backorder = row.get("variant inventory policy", "").lower() == "continue"
    return Variant(id=row.get("variant sku") or f"{handle}-{index}", options=values, price=price,
                   sale_price=sale_price, stock=stock, backorder=backorder, sku=row.get("variant sku") or None,
                   gtin=row.get("variant barcode") or None, image_url=row.get("variant image") or None)


def _price(column: str, text: str, options: ReadOptions, currencies: set[str]) -> float:
    if not text:
        raise RowError(f"{column}: missing")
    amount, currency = money(column, text, options.currency, options)
    currencies.add(currency)
    return amount
