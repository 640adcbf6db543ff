"""Prices as merchants write them ("$1,299.00", "12,99 €", "15.00 USD") turned into (amount, currency)."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

__all__ = ["MoneyError", "parse_money"]


class MoneyError(ValueError):
    """A value that is not a usable price; the message says why in a few words."""


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


def parse_money(text: str | float | int, default_currency: str = "USD") -> tuple[float, str]:
    """Read a price written as a number or a money string; raise MoneyError when it is not one."""
    if isinstance(text, bool):  # bool is an int subclass, but True is not a price
        raise MoneyError("expected a price, got true/false")
    if isinstance(text, (int, float)):
        return _checked(float(text)), default_currency.upper()
    if not isinstance(text, str):
        raise MoneyError(f"expected a price, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise MoneyError("empty price")
    match = _MONEY.fullmatch(stripped)
    if match is None or not re.search(r"\d", match["num"]):
        raise MoneyError(f"cannot read a price from {text!r}")
    currency = _currency(match["pre"], match["post"], text) or default_currency.upper()
    amount = _number(match["num"], text)
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


def _number(num: str, text: str) -> float:
    """Decide which of ',' and '.' is the decimal mark, then check the thousands grouping."""
    commas, dots = num.count(","), num.count(".")
    if commas and dots:
        mark: str | None = "," if num.rfind(",") > num.rfind(".") else "."
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
