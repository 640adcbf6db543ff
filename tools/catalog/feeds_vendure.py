"""Vendure's product import CSV: a product row (with a name) followed by its variant rows, and the brand and
category kept as facets ("brand:Acme|category:Audio")."""

from __future__ import annotations

from typing import Any

from .feeds_records import Note, ReadOptions, Rejection, RowError, build_product, money
from .product import Product, Variant

__all__ = ["is_vendure_header", "read_vendure"]

Records = list[tuple[int, dict[str, str]]]
_COLUMNS = {"name", "slug", "optiongroups", "optionvalues", "sku", "price"}


def is_vendure_header(names: list[str]) -> bool:
    return _COLUMNS <= {name.strip().lower() for name in names}


def facets(text: str) -> dict[str, list[str]]:
    """'brand:Acme|category:Audio|category:Headphones' -> {"brand": ["Acme"], "category": ["Audio", "Headphones"]}."""
    out: dict[str, list[str]] = {}
    for item in filter(None, (part.strip() for part in text.split("|"))):
        name, _, value = item.partition(":")
        if value.strip():
            out.setdefault(name.strip().lower(), []).append(value.strip())
    return out


def read_vendure(records: Records, source: str, options: ReadOptions,
                 notes: list[Note]) -> tuple[list[tuple[int, Product]], list[Rejection]]:
    rejections: list[Rejection] = []
    groups: list[tuple[int, dict[str, str], list[tuple[int, dict[str, str]]]]] = []
    for line, record in records:
        row = {key.strip().lower(): value.strip() for key, value in record.items()}
        if row.get("name"):
            groups.append((line, row, [(line, row)]))
        elif groups:
            groups[-1][2].append((line, row))
        else:
            rejections.append(Rejection(source, line, "variant row before any product row (one with a name)"))
    products = []
    for line, row, rows in groups:
        option_groups = [g.strip().lower() for g in row.get("optiongroups", "").split("|") if g.strip()]
        variants, currencies = [], set()
        for variant_line, variant_row in rows:
            try:
                price, currency = money("price", variant_row.get("price", ""), options.currency, options)
            except RowError as error:
                rejections.append(Rejection(source, variant_line, error.reason, variant_row.get("sku") or None))
                continue
            currencies.add(currency)
            values = [v.strip() for v in variant_row.get("optionvalues", "").split("|") if v.strip()]
            stock = variant_row.get("stockonhand", "")
            variants.append(Variant(id=variant_row.get("sku") or f"{row.get('slug')}-{len(variants) + 1}",
                                    options=dict(zip(option_groups, values)), price=price,
                                    stock=int(stock) if stock.isdigit() else None, sku=variant_row.get("sku") or None))
        try:
            if len(currencies) > 1:
                raise RowError(f"variants in several currencies: {', '.join(sorted(currencies))}")
            if not variants and any(r.line == line for r in rejections):
                continue  # its own row's price was the bad one, and says so
            if not variants:
                raise RowError("missing price (no variant with a valid price)")
            products.append((line, _product(row, rows, variants, currencies.pop(), options, line, source, notes)))
        except RowError as error:
            rejections.append(Rejection(source, line, error.reason, row.get("slug") or None))
    return products, rejections


def _product(row: dict[str, str], rows: list[tuple[int, dict[str, str]]], variants: list[Variant], currency: str,
             options: ReadOptions, line: int, source: str, notes: list[Note]) -> Product:
    found = facets(row.get("facets", ""))
    for _, variant_row in rows:
        for name, values in facets(variant_row.get("variantfacets", "")).items():
            found.setdefault(name, [])
            found[name] += [v for v in values if v not in found[name]]
    cheapest = min(variants, key=lambda v: v.price or 0)
    stocks = [v.stock for v in variants if v.stock is not None]
    record: dict[str, Any] = {
        "id": row.get("slug") or row.get("sku"), "title": row["name"], "description": row.get("description"),
        "brand": (found.pop("brand", None) or [None])[0],
        "category": found.pop("category", None), "price": cheapest.price, "currency": currency,
        "stock": sum(stocks) if stocks else None, "variants": variants,
        "images": [a.strip() for a in row.get("assets", "").split("|") if a.strip()],
        "attributes": {name: ", ".join(values) for name, values in found.items()},
    }
    said: list[str] = []
    product = build_product({k: v for k, v in record.items() if v not in (None, "", [])}, options, said)
    notes += [Note(source, line, message, product.id) for message in said]
    return product
