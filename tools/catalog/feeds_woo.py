"""WooCommerce's product CSV export: simple, variable (with its variation rows), grouped and external
products, with stock, publish and catalog-visibility columns."""

from __future__ import annotations

import re
from typing import Any

from .feeds_records import Note, ReadOptions, Rejection, RowError, build_product, money
from .feeds_synonyms import translate_header
from .product import Product, Variant

__all__ = ["is_woo_header", "read_woo"]

Records = list[tuple[int, dict[str, str]]]
# Read explicitly below, or WooCommerce bookkeeping that describes nothing a shopper searches for.
_CONSUMED = {"id", "type", "sku", "name", "published", "is featured?", "visibility in catalog", "short description",
             "description", "date sale price starts", "date sale price ends", "in stock?", "stock",
             "backorders allowed?", "sale price", "regular price", "categories", "tags", "images", "parent",
             "grouped products", "external url", "button text", "position", "upsells", "cross-sells",
             "download limit", "download expiry days", "low stock amount", "sold individually?",
             "allow customer reviews?", "purchase note", "tax status", "tax class", "shipping class", "brands",
             "gtin, upc, ean, or isbn", "gtin, upc, ean or isbn"}
_ATTRIBUTE = re.compile(r"attribute (\d+) (name|value\(s\)|visible|global|default)")


def is_woo_header(names: list[str]) -> bool:
    """A WooCommerce export names Type, SKU, Name and 'Regular price' (in English or a known translation)."""
    keys = {name.strip().lower() for name in translate_header(names)}
    return {"type", "sku", "name", "regular price"} <= keys or {"type", "name", "regular price", "parent"} <= keys


def read_woo(records: Records, source: str, options: ReadOptions,
             notes: list[Note]) -> tuple[list[tuple[int, Product]], list[Rejection]]:
    """Products from WooCommerce rows; variations become variants of their parent (named 'id:N' or by SKU)."""
    rows = [(line, {translated.strip().lower(): value.strip() for translated, value
                    in zip(translate_header(list(record)), record.values())}) for line, record in records]
    rejections: list[Rejection] = []
    by_key: dict[str, int] = {}  # "id:12" and SKU -> index into rows
    for index, (_, row) in enumerate(rows):
        if row.get("id"):
            by_key[f"id:{row['id']}"] = index
        if row.get("sku"):
            by_key[row["sku"]] = index
    variations: dict[int, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        if _kind(row) == "variation":
            parent = by_key.get(row.get("parent", ""))
            if parent is None or _kind(rows[parent][1]) != "variable":
                rejections.append(Rejection(source, line, f"variation of unknown variable product {row.get('parent')!r}",
                                            _id(row) or None))
            else:
                variations.setdefault(parent, []).append((line, row))
    simple: dict[str, Product] = {}
    grouped: list[int] = []
    products: list[tuple[int, Product]] = []
    for index, (line, row) in enumerate(rows):
        kind = _kind(row)
        if kind == "variation":
            continue
        if kind == "grouped":
            grouped.append(index)
            continue
        try:
            currencies: set[str] = set()
            variants = _variants(variations.get(index, []), row, options, source, rejections, currencies)
            if len(currencies) > 1:
                raise RowError(f"variations in several currencies: {', '.join(sorted(currencies))}")
            product = _product(row, variants, options, line, source, notes, next(iter(currencies), None))
        except RowError as error:
            rejections.append(Rejection(source, line, error.reason, _id(row) or None))
            continue
        products.append((line, product))
        for key in (f"id:{row.get('id')}", row.get("sku")):
            if key:
                simple[key] = product
    for index in grouped:  # after the others: a grouped product is sold as its children
        line, row = rows[index]
        children = [simple[key.strip()] for key in row.get("grouped products", "").split(",") if key.strip() in simple]
        try:
            if not children:
                raise RowError("grouped product without a known child product in 'Grouped products'")
            variants = [Variant(id=c.id, title=c.title, options={"item": c.title}, price=c.price,
                                sale_price=c.sale_price, stock=c.stock, available=c.available,
                                backorder=c.backorder, sku=c.attributes.get("sku"), gtin=c.gtin) for c in children]
            products.append((line, _product(row, variants, options, line, source, notes,
                                            currency=children[0].currency)))
        except RowError as error:
            rejections.append(Rejection(source, line, error.reason, _id(row) or None))
    products.sort(key=lambda pair: pair[0])
    return products, rejections


def _kind(row: dict[str, str]) -> str:
    """'simple', 'variable', 'variation', 'grouped', 'external' ('simple, virtual' is simple)."""
    return row.get("type", "").split(",")[0].strip().lower() or "simple"


def _id(row: dict[str, str]) -> str:
    return row.get("sku") or (f"woo-{row['id']}" if row.get("id") else "")


def _options(row: dict[str, str]) -> dict[str, str]:
    names: dict[str, str] = {}
    values: dict[str, str] = {}
    for key, value in row.items():
        match = _ATTRIBUTE.fullmatch(key)
        if match and value and match[2] == "name":
            names[match[1]] = value
        elif match and value and match[2] == "value(s)":
            values[match[1]] = value
    return {names[n].lower(): values[n] for n in names if n in values}


def _variants(rows: list[tuple[int, dict[str, str]]], parent: dict[str, str], options: ReadOptions, source: str,
              rejections: list[Rejection], currencies: set[str]) -> list[Variant]:
    variants = []
    for line, row in rows:
        try:
            price = sale = None
            if row.get("regular price"):
                price, currency = money("Regular price", row["regular price"], options.currency, options)
                currencies.add(currency)
            if row.get("sale price"):
                sale, currency = money("Sale price", row["sale price"], options.currency, options)
                currencies.add(currency)
            if price is None and sale is None:
                raise RowError("missing price (Regular price)")
            stock = _stock(row)
            variants.append(Variant(
                id=_id(row) or f"{_id(parent)}-{len(variants) + 1}", title=row.get("name") or None,
                options=_options(row), price=price if price is not None else sale,
                sale_price=sale if price is not None and sale is not None and sale < price else None,
                stock=stock, available=_in_stock(row), backorder=_backorder(row), sku=row.get("sku") or None,
                gtin=row.get("gtin, upc, ean, or isbn") or row.get("gtin, upc, ean or isbn") or None,
                image_url=(row.get("images") or "").split(",")[0].strip() or None))
        except (RowError, ValueError) as error:
            rejections.append(Rejection(source, line, getattr(error, "reason", str(error)), _id(row) or None))
    return variants


def _stock(row: dict[str, str]) -> int | None:
    text = row.get("stock", "")
    if not text:
        return None
    if not re.fullmatch(r"-?\d+", text):
        raise RowError(f"Stock: not a whole number: {text!r}")
    return max(0, int(text))


def _in_stock(row: dict[str, str]) -> bool | None:
    flag = row.get("in stock?", "").lower()
    if flag in ("1", "yes", "instock", "true"):
        return True
    if flag in ("0", "no", "outofstock", "false"):
        return False
    return True if flag in ("backorder", "onbackorder") else None


def _backorder(row: dict[str, str]) -> bool:
    return row.get("in stock?", "").lower() in ("backorder", "onbackorder") or \
        row.get("backorders allowed?", "").lower() in ("1", "yes", "notify")


def _product(row: dict[str, str], variants: list[Variant], options: ReadOptions, line: int, source: str,
             notes: list[Note], currency: str | None = None) -> Product:
    if _kind(row) == "variable" and not variants:
        raise RowError("variable product without a valid variation row")
    paths = [path.strip() for path in row.get("categories", "").split(",") if path.strip()]
    record: dict[str, Any] = {
        "id": _id(row), "title": row.get("name"), "brand": row.get("brands"),
        "description": row.get("description") or row.get("short description"),
        "category": paths[0] if paths else None, "tags": row.get("tags"), "images": row.get("images"),
        "published": row.get("published"), "visibility": row.get("visibility in catalog"),
        "sale_dates": "/".join(filter(None, (row.get("date sale price starts"), row.get("date sale price ends")))),
        "url": row.get("external url"), "gtin": row.get("gtin, upc, ean, or isbn") or row.get("gtin, upc, ean or isbn"),
        "currency": currency,
    }
    if variants:
        cheapest = min(variants, key=lambda v: v.sale_price if v.sale_price is not None else v.price or 0)
        stocks = [v.stock for v in variants if v.stock is not None]
        record.update(price=cheapest.price, sale_price=cheapest.sale_price, variants=variants,
                      stock=sum(stocks) if stocks else None,
                      availability=any(v.available is not False for v in variants),
                      backorders=any(v.backorder for v in variants))
        record["currency"] = record["currency"] or options.currency
    else:
        record.update(price=row.get("regular price") or row.get("sale price"), sale_price=row.get("sale price"),
                      stock=_stock(row), backorders="1" if _backorder(row) else "0")
        if _in_stock(row) is not None:
            record["availability"] = _in_stock(row)
    record["attributes"] = {**_options(row), **{
        key: value for key, value in row.items() if value and key not in _CONSUMED and not _ATTRIBUTE.fullmatch(key)
        and not key.startswith("meta:")}}
    if len(paths) > 1:
        record["attributes"]["categories"] = ", ".join(paths)
    if row.get("sku"):
        record["attributes"]["sku"] = row["sku"]
    said: list[str] = []
    product = build_product({k: v for k, v in record.items() if v not in (None, "")}, options, said)
    notes += [Note(source, line, message, product.id) for message in said]
    return product
