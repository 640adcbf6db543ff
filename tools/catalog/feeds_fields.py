"""Field readers every feed format shares: text cleaning, availability, publish/visibility flags,
images, identifiers, and Merchant's shipping/tax strings as structured data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["ReadOptions", "availability", "clean_text", "image_list", "published", "structured", "visibility"]


@dataclass(frozen=True)
class ReadOptions:
    """What the merchant told us about a file, or what we read from it; None: decide from the file."""

    currency: str | None = None  # prices that name no currency are in this one
    decimal: str | None = None  # "," or ".": settles "4.500"
    delimiter: str | None = None  # for CSV; sniffed when None
    encoding: str | None = None  # detected (byte-order mark, then charset-normalizer) when None
    shop_url: str | None = None  # the storefront, for exports that name products by handle only (Shopify)


# C0 and C1 control characters except tab and newline (and carriage return, normalised below): a stray
# \x1b from a copy-paste would reach the terminal as an escape sequence.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str, *, single_line: bool = False) -> str:
    """Control characters removed; in a one-line field (title, id) newlines and tabs become spaces."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if single_line:
        text = " ".join(text.split())
    return text.strip()


# Availability as merchants write it (Google's current and retired values, schema.org, WooCommerce, Magento).
_AVAILABILITY: dict[str, tuple[bool, str]] = {}
for _label in ("in stock", "instock", "available", "low stock", "limited availability", "true", "yes", "y", "1",
               "available for order", "available to order", "available now", "in store only", "online only"):
    _AVAILABILITY[_label] = (True, "in stock")
for _label in ("preorder", "pre order", "presale", "pre sale", "coming soon"):
    _AVAILABILITY[_label] = (True, "preorder")
for _label in ("backorder", "back order", "on backorder", "onbackorder", "backordered", "made to order"):
    _AVAILABILITY[_label] = (True, "backorder")
for _label in ("out of stock", "outofstock", "sold out", "soldout", "discontinued", "unavailable",
               "not available", "false", "no", "n", "0", "reserved"):
    _AVAILABILITY[_label] = (False, "out of stock")


def availability(value: Any) -> tuple[bool, str] | None:
    """(available, canonical label) for a known value; None for one we do not know (a warning, not a reason)."""
    if isinstance(value, bool):
        return value, "in stock" if value else "out of stock"
    if isinstance(value, (int, float)):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        return None
    label = value.strip().rsplit("/", 1)[-1]  # schema.org URLs: ".../InStock"
    label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label)  # "BackOrder", "PreOrder"
    label = " ".join(re.sub(r"[_\-]", " ", label).lower().split())
    return _AVAILABILITY.get(label)


_PUBLISHED = {"1", "true", "yes", "y", "active", "publish", "published", "enabled", "online", "live"}
_UNPUBLISHED = {"0", "-1", "false", "no", "n", "draft", "archived", "disabled", "private", "pending",
                "unpublished", "offline", "trash", "inactive", "2"}  # Magento product_online 2: disabled


def published(value: Any) -> bool | None:
    """True/False for a publish or status flag ("Published=-1" is a WooCommerce draft); None when unknown."""
    text = str(int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value)
    text = text.strip().lower()
    if text in _PUBLISHED:
        return True
    if text in _UNPUBLISHED:
        return False
    return None


_VISIBILITY = {"visible": "visible", "catalog, search": "visible", "catalog,search": "visible",
               "catalog & search": "visible", "shop and search results": "visible", "catalog": "catalog",
               "shop only": "catalog", "search": "search", "search results only": "search",
               "hidden": "hidden", "not visible individually": "hidden", "none": "hidden", "private": "hidden"}


def visibility(value: Any) -> str | None:
    """One of product.VISIBILITIES for WooCommerce/Magento spellings; None when unknown."""
    return _VISIBILITY.get(" ".join(str(value).strip().lower().split()))


def image_list(value: Any) -> tuple[list[str], list[str]]:
    """(good URLs, broken ones) from one URL, a list, or a comma-separated list (WooCommerce 'Images')."""
    items = [part for item in (value if isinstance(value, list) else [value])
             for part in (re.split(r",\s*(?=https?://|/)", item) if isinstance(item, str) else [item])]
    good, bad = [], []
    for item in items:
        url = item.get("url") or item.get("src") if isinstance(item, dict) else item
        if not isinstance(url, str) or not url.strip():
            continue
        url = clean_text(url, single_line=True)
        (bad if re.search(r"\s", url) or not re.match(r"(https?://|/)\S+$", url) else good).append(url)
    return list(dict.fromkeys(good)), bad


_STRUCTURE = {"shipping": ("country", "region", "service", "price"), "tax": ("country", "region", "rate", "tax_ship")}


def structured(value: Any, kind: str) -> list[dict[str, str]]:
    """Merchant shipping/tax: 'US:CA:Ground:4.99 USD' or XML sub-elements, as [{"country": "US", ...}]."""
    entries = value if isinstance(value, list) else [value]
    names = _STRUCTURE[kind]
    out: list[dict[str, str]] = []
    for entry in entries:
        if isinstance(entry, dict):
            out.append({str(k): clean_text(str(v), single_line=True) for k, v in entry.items() if v not in (None, "")})
            continue
        for part in str(entry).split(","):
            fields = [clean_text(f, single_line=True) for f in part.split(":")]
            if not any(fields):
                continue
            if len(fields) == len(names):
                out.append({name: field for name, field in zip(names, fields) if field})
            else:
                out.append({"value": clean_text(part, single_line=True)})
    return out
