"""The nested parts of a record: reviews, and inline variants (Medusa's `prices` lists, schema.org offers)."""

from __future__ import annotations

from typing import Any

from .feeds_fields import ReadOptions, availability
from .feeds_values import RowError, money, norm_key
from .feeds_values import is_blank as _is_blank
from .feeds_values import kind as _kind
from .feeds_values import number as _number
from .feeds_values import scalar as _scalar
from .feeds_values import text as _text
from .feeds_values import whole as _whole
from .product import Variant

__all__ = ["reviews", "variants"]


def _reviews(value: Any) -> list[dict[str, Any]]:
    """Map review field names to ours; Product validation then checks the ratings."""
    if not isinstance(value, list):
        raise RowError(f"reviews: expected a list, got {_kind(value)}")
    reviews = []
    for index, review in enumerate(value):
        if not isinstance(review, dict):
            raise RowError(f"reviews[{index}]: expected an object, got {_kind(review)}")
        review = {norm_key(str(k)): v for k, v in review.items() if not _is_blank(v)}
        mapped = {"rating": _pick(review, "rating", "stars", "score"),
                  "text": _pick(review, "comment", "text", "body", "review", "content") or "",
                  "date": _pick(review, "date", "created_at", "submitted_at"),
                  "author": _pick(review, "reviewer_name", "author", "reviewer", "name", "user")}
        if mapped["rating"] is not None:
            mapped["rating"] = _number(f"reviews[{index}].rating", mapped["rating"])
        # Absent fields are left out so that a review without a rating reads "rating: missing".
        reviews.append({k: v if k == "rating" else str(v) for k, v in mapped.items() if v is not None})
    return reviews


def _pick(record: dict[str, Any], *names: str) -> Any:
    return next((record[name] for name in names if name in record), None)


_VARIANT_STOCK = ("stock", "inventory_quantity", "quantity", "qty", "stock_on_hand")


def _variants(value: Any, currency: str | None, options: ReadOptions) -> tuple[list[Variant | dict[str, Any]], str | None]:
    """Variants given inline in JSON (Medusa's `prices` lists, schema.org's per-variant offers); a feed reader
    may also pass ready Variant objects. Returns them and the currency their prices are in."""
    if not isinstance(value, list):
        raise RowError(f"variants: expected a list, got {_kind(value)}")
    variants: list[Variant | dict[str, Any]] = []
    for index, variant in enumerate(value):
        if isinstance(variant, Variant):
            variants.append(variant)
            continue
        if not isinstance(variant, dict):
            raise RowError(f"variants[{index}]: expected an object, got {_kind(variant)}")
        variant = {norm_key(str(k)): v for k, v in variant.items()}
        where = f"variants[{index}]"
        if _is_blank(variant.get("price")) and isinstance(variant.get("prices"), list):
            variant["price"], variant["currency"] = _price_in(variant.pop("prices"), currency or options.currency, where)
        stated = variant.pop("currency", None) or variant.pop("currency_code", None)
        for name in ("price", "sale_price"):
            if not _is_blank(variant.get(name)):
                amount, found = money(f"{where}.{name}", variant[name], stated or currency, options)
                if currency is not None and found != currency:
                    raise RowError(f"{where}.{name}: in {found}, the product in {currency}")
                variant[name], currency = amount, found
        for name in ("barcode", "ean", "upc", "gtin13", "gtin12"):
            variant.setdefault("gtin", variant.get(name))
        for name in _VARIANT_STOCK:
            if not _is_blank(variant.get(name)) and not isinstance(variant.get("stock"), int):
                variant["stock"] = max(0, _whole(f"{where}.{name}", variant[name]))
        if "availability" in variant:
            known = availability(variant.pop("availability"))
            if known is not None:
                variant["available"], variant["backorder"] = known[0], known[1] == "backorder"
        if variant.get("allow_backorder") is True:
            variant["backorder"] = True
        if isinstance(variant.get("options"), list):  # Medusa: [{"option": "Size", "value": "M"}]
            variant["options"] = {str(o.get("option") or o.get("name") or o.get("title") or i).lower():
                                  str(o.get("value")) for i, o in enumerate(variant["options"])
                                  if isinstance(o, dict) and o.get("value") is not None}
        elif isinstance(variant.get("options"), dict):
            variant["options"] = {str(k).lower(): _scalar(v) for k, v in variant["options"].items() if not _is_blank(v)}
        if variant.get("id") is None:
            variant["id"] = variant.get("sku") or variant.get("title")
        if variant.get("id") is None:
            raise RowError(f"{where}: missing id (and sku)")
        variant["id"] = _text(f"{where}.id", variant["id"], single_line=True)
        variants.append(variant)
    return variants, currency


def _price_in(prices: list[Any], currency: str | None, where: str) -> tuple[Any, str | None]:
    """Medusa's [{"amount": 10, "currency_code": "eur"}, ...]: the one in `currency`, or the only one."""
    found = {str(p.get("currency_code") or p.get("currency") or "").upper(): p.get("amount")
             for p in prices if isinstance(p, dict) and p.get("amount") is not None}
    if currency is not None and currency in found:
        return found[currency], currency
    if len(found) == 1:
        code, amount = found.popitem()
        return amount, code or None
    if not found:
        return None, None
    raise RowError(f"{where}: prices in several currencies ({', '.join(sorted(found))}): pass --currency")


# The names other feed modules import (the underscored ones stay free for local variables).
reviews = _reviews
variants = _variants
