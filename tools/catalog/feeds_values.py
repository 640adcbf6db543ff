"""Single values of a feed record read as text, numbers, money, categories, tags and attributes, or a
RowError with a short reason."""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from .feeds_fields import ReadOptions, clean_text
from .money import MoneyError, parse_money
from .product import MAX_TEXT

__all__ = ["RowError", "norm_key", "as_list", "category", "flatten", "is_blank", "kind", "money", "number", "scalar", "tags",
           "text", "whole"]


@functools.lru_cache(maxsize=4096)  # every row repeats the same few keys
def norm_key(key: str) -> str:
    """'availabilityStatus', 'Review Count', 'g:image_link' -> 'availability_status', 'review_count', 'image_link'."""
    key = key.strip().rsplit(":", 1)[-1]  # XML-style namespace prefixes such as Merchant's "g:"
    key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key)
    return re.sub(r"[\s\-.]+", "_", key).lower()


class RowError(ValueError):
    """One record cannot become a product; the message is the human reason."""

    def __init__(self, reason: str, product_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.product_id = product_id


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)


def _text(name: str, value: Any, single_line: bool = False) -> str:
    if isinstance(value, str):
        return clean_text(value, single_line=single_line)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise RowError(f"{name}: expected text, got {_kind(value)}")


def money(name: str, value: Any, currency: str | None, options: ReadOptions) -> tuple[float, str]:
    """A price and its currency (written, else `currency`); a price in no known currency is a RowError."""
    try:
        amount, found = parse_money(value, currency, options.decimal)
    except MoneyError as error:
        raise RowError(f"{name}: {error}") from None
    if found is None:
        raise RowError(f"{name}: no currency (the price names none, nor does the file): pass --currency, "
                       f"e.g. --currency EUR")
    return amount, found


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise RowError(f"{name}: not a number: {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{name}: not a number: {value!r}") from None
    if not math.isfinite(number):
        raise RowError(f"{name}: not a number: {value!r}")
    return number


def _whole(name: str, value: Any) -> int:
    try:
        number = _number(name, value.strip() if isinstance(value, str) else value)
    except RowError:
        number = math.nan  # reported below like any other non-integer
    if not number.is_integer():
        raise RowError(f"{name}: not a whole number: {value!r}")
    return int(number)


def _category(value: Any) -> list[str]:
    if isinstance(value, list):
        parts = [_text("category", part) for part in value]
    else:
        text = _text("category", value)
        separator = ">" if ">" in text else "/"  # "Home > Kitchen" or "home/kitchen"
        parts = text.split(separator)
    return [part.strip() for part in parts if part.strip()]


def _tags(value: Any) -> list[str]:
    if isinstance(value, list):
        tags = [_text("tags", tag) for tag in value]
    else:
        text = _text("tags", value)
        tags = text.split("|" if "|" in text else ",")
    return list(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))


def _flatten(key: str, value: Any, out: dict[str, str]) -> None:
    """Unknown fields become text attributes: nested objects as 'dimensions.width', lists joined."""
    if _is_blank(value):
        return
    if isinstance(value, dict):
        for sub_key, sub_value in value.items():
            _flatten(f"{key}.{sub_key}" if key else str(sub_key), sub_value, out)
        return
    if isinstance(value, list):
        items = [item for item in value if isinstance(item, (str, int, float)) and not _is_blank(item)]
        if not items or len(items) != len(value):
            return  # lists of objects have no sensible one-line text form
        text = ", ".join(_scalar(item) for item in items)
    else:
        text = clean_text(_scalar(value))
    if text.startswith(("http://", "https://")):
        return  # URLs (QR codes, extra images) describe nothing a shopper searches for
    if len(text) > MAX_TEXT:
        raise RowError(f"{key}: too long ({len(text)} characters, max {MAX_TEXT})")
    out[key] = text


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# The names other feed modules import (the underscored ones stay free for local variables).
as_list = _as_list
is_blank = _is_blank
kind = _kind
text = _text
number = _number
whole = _whole
category = _category
tags = _tags
flatten = _flatten
scalar = _scalar
