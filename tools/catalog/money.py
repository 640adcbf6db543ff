"""Prices as merchants write them ("$1,299.00", "12,99 €", "15.00 USD") turned into (amount, currency)."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

__all__ = ["AmbiguousPrice", "MoneyError", "decimal_hint", "parse_money", "price_currency"]


class MoneyError(ValueError):
    """A value that is not a usable price; the message says why in a few words."""


class AmbiguousPrice(MoneyError):
    """'4.500' or '1,027': a thousands separator or a decimal mark before three digits; cannot tell which."""


# Longest symbols first so "US$" is not read as "$" with a stray "US".
_SYMBOLS = {
    "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD",
    "R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB",
    "₺": "TRY", "₪": "ILS", "₫": "VND", "฿": "THB", "zł": "PLN", "Kč": "CZK", "Fr.": "CHF",
}
_MINUS = r"\-\u2212"  # ASCII hyphen-minus and the typographic minus sign
# Thousands may be grouped with spaces (incl. no-break/thin spaces) or apostrophes (Swiss style).
_GROUPING = " \u00a0\u202f'"
_SEPARATOR = re.compile(rf"[.,{_GROUPING}]")
_MONEY = re.compile(
    rf"(?P<sign1>[{_MINUS}])?\s*(?P<pre>[^\d\s.,{_MINUS}]*)\s*(?P<sign2>[{_MINUS}])?\s*"
    rf"(?P<num>[\d.,](?:[\d.,{_GROUPING}]*[\d.,])?)\s*(?P<post>[^\d\s.,{_MINUS}]*)"
)


# Where the currency alone settles '1.299' (a decimal point) or '1.299' (thousands). The euro does not:
# Ireland and Malta write 4.50 €, Germany 4,50 €.
_DOT_DECIMAL = {"USD", "GBP", "CAD", "AUD", "NZD", "JPY", "CNY", "INR", "HKD", "SGD", "KRW", "MXN", "ILS",
                "THB", "CHF", "PHP", "MYR", "TWD"}
_COMMA_DECIMAL = {"BRL", "PLN", "CZK", "RUB", "TRY", "SEK", "NOK", "DKK", "HUF", "RON", "ARS", "CLP", "COP",
                  "IDR", "VND", "UAH", "BGN"}


def parse_money(text: str | float | int, default_currency: str | None = None,
                decimal: str | None = None) -> tuple[float, str | None]:
    """Read a price written as a number or a money string; raise MoneyError when it is not one.

    The currency is the one written, else `default_currency`, else None (never guessed). `decimal` (',' or
    '.') settles '4.500'; without it the currency's convention does, and failing that AmbiguousPrice.
    """
    default = default_currency.upper() if default_currency else None
    if isinstance(text, bool):  # bool is an int subclass, but True is not a price
        raise MoneyError("expected a price, got true/false")
    if isinstance(text, (int, float)):
        return _checked(float(text)), default
    if not isinstance(text, str):
        raise MoneyError(f"expected a price, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise MoneyError("empty price")
    match = _MONEY.fullmatch(stripped)
    if match is None or not re.search(r"\d", match["num"]):
        raise MoneyError(f"cannot read a price from {text!r}")
    currency = _currency(match["pre"], match["post"], text) or default
    if decimal is None and _ambiguous(match["num"]):
        decimal = "." if currency in _DOT_DECIMAL else "," if currency in _COMMA_DECIMAL else None
        if decimal is None:
            raise AmbiguousPrice(f"ambiguous price {text.strip()!r}: a decimal mark or a thousands separator? "
                                 f"pass --decimal , or --decimal .")
    amount = _number(match["num"], text, decimal)
    if (match["sign1"] or match["sign2"]) and amount:
        amount = -amount
    return _checked(amount), currency


def _checked(amount: float) -> float:
    if not math.isfinite(amount):
        raise MoneyError("price is not a finite number")
    if amount < 0:
        raise MoneyError("negative price")
    return amount


def _currency(pre: str, post: str, text: str) -> str | None:
    codes = {_code(token, text) for token in (pre, post) if token}
    if len(codes) > 1:
        raise MoneyError(f"conflicting currencies in {text!r}")
    return codes.pop() if codes else None


def _code(token: str, text: str) -> str:
    if token in _SYMBOLS:
        return _SYMBOLS[token]
    if re.fullmatch(r"[A-Za-z]{3}", token):
        return token.upper()
    raise MoneyError(f"unknown currency {token!r} in {text!r}")


def price_currency(text: str) -> str | None:
    """The currency a price string names ("€75.00" -> EUR), or None; never raises."""
    match = _MONEY.fullmatch(text.strip()) if isinstance(text, str) else None
    try:
        return _currency(match["pre"], match["post"], text) if match else None
    except MoneyError:
        return None


def decimal_hint(text: str) -> str | None:
    """The decimal mark a price string settles by itself ("12,99" -> ',', "1,299.00" -> '.'), else None."""
    match = _MONEY.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    num = match["num"]
    commas, dots = num.count(","), num.count(".")
    if commas and dots:
        return "," if num.rfind(",") > num.rfind(".") else "."
    for mark, count in ((",", commas), (".", dots)):
        if count == 1 and len(num) - num.rfind(mark) - 1 != 3:
            return mark
        if count > 1:  # "1.299.000": dots group thousands, so the mark is the other one
            return "," if mark == "." else "."
    return None


def _ambiguous(num: str) -> bool:
    """One ',' or '.' followed by exactly three digits, and nothing else that would settle it."""
    marks = [c for c in num if c in ",."]
    return len(marks) == 1 and len(num) - num.rfind(marks[0]) - 1 == 3 and not re.search(rf"[{_GROUPING}]", num)


def _number(num: str, text: str, decimal: str | None = None) -> float:
    """Decide which of ',' and '.' is the decimal mark, then check the thousands grouping."""
    commas, dots = num.count(","), num.count(".")
    if decimal is not None and _ambiguous(num):
        mark: str | None = decimal if decimal in num else None
    elif commas and dots:
        mark = "," if num.rfind(",") > num.rfind(".") else "."
    elif commas == 1 and len(num) - num.rfind(",") - 1 != 3:
        mark = ","  # "12,99": a decimal comma; a lone comma before exactly three digits groups thousands
    elif dots == 1:
        mark = "."  # a lone dot is a decimal point, the common case in feeds ("1.299" is 1.299)
    else:
        mark = None  # "1,299" or "1.299.000": only thousands separators
    whole, fraction = (num.rsplit(mark, 1) if mark else (num, ""))
    if _SEPARATOR.search(fraction):
        raise MoneyError(f"cannot read a price from {text!r}")
    groups = _SEPARATOR.split(whole)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise MoneyError(f"malformed thousands grouping in {text!r}")
    try:
        return float(Decimal(f"{''.join(groups) or '0'}.{fraction or '0'}"))
    except InvalidOperation:
        raise MoneyError(f"cannot read a price from {text!r}") from None
