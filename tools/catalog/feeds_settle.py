"""What a file says about all of its prices: its one currency and its decimal mark."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .feeds_fields import ReadOptions
from .feeds_records import field_of, norm_key
from .money import decimal_hint, price_currency

__all__ = ["settle"]


def settle(records: list[tuple[int, dict[str, Any]]], options: ReadOptions) -> ReadOptions:
    """Fill in what the merchant did not say from the file: the currency when every price or currency
    column that names one names the same, the decimal mark when every price that settles it agrees."""
    if options.currency is not None and options.decimal is not None:
        return options
    currencies: set[str] = set()
    marks: set[str] = set()
    for _, record in records:
        for key, value in _prices(record):
            if field_of(key) == "currency":
                if isinstance(value, str) and re.fullmatch(r"\s*[A-Za-z]{3}\s*", value):
                    currencies.add(value.strip().upper())
                continue
            if isinstance(value, str):
                found = price_currency(value)
                if found:
                    currencies.add(found)
                mark = decimal_hint(value)
                if mark:
                    marks.add(mark)
    currency = options.currency or (currencies.pop() if len(currencies) == 1 else None)
    decimal = options.decimal or (marks.pop() if len(marks) == 1 else None)
    return replace(options, currency=currency, decimal=decimal)


def _prices(record: dict[str, Any], depth: int = 0) -> list[tuple[str, Any]]:
    """(key, value) of every price-like or currency field, also inside nested objects (variants, offers)."""
    found = []
    for key, value in record.items():
        if isinstance(value, dict) and depth < 4:
            found += _prices(value, depth + 1)
        elif isinstance(value, list) and depth < 4:
            for item in value:
                if isinstance(item, dict):
                    found += _prices(item, depth + 1)
        else:
            name = norm_key(str(key))
            if "price" in name or field_of(str(key)) == "currency" or name.endswith("currency_code"):
                found.append((str(key), value))
    return found
