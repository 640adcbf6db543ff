"""Money in integer minor units (cents), as UCP carries it: conversion from catalog prices and display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["MINOR_DIGITS", "format_minor", "minor_digits", "percent_of", "to_minor"]

# ISO 4217 currencies whose minor unit is not the cent; everything else has two decimals.
MINOR_DIGITS = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "HUF": 2, "BHD": 3, "KWD": 3, "JOD": 3,
                "OMR": 3, "TND": 3}


def minor_digits(currency: str) -> int:
    return MINOR_DIGITS.get(currency.upper(), 2)


def to_minor(amount: float | int | str | Decimal, currency: str) -> int:
    """A major-unit amount (the catalog's 35.0 dollars) as minor units (3500 cents), rounded half up."""
    # str() first: Decimal(0.1) is 0.1000000000000000055…, Decimal("0.1") is 0.1.
    exact = Decimal(str(amount)) * (10 ** minor_digits(currency))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(amount: int, percent: int | Decimal) -> int:
    """`percent`% of a minor-unit amount, rounded half up to a whole minor unit."""
    return int((Decimal(amount) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_minor(amount: int, currency: str) -> str:
    """3500, "USD" → "35.00 USD"; no thousands separator (models copy "1234.56" more faithfully)."""
    digits = minor_digits(currency)
    sign = "-" if amount < 0 else ""
    value = Decimal(abs(amount)) / (10 ** digits) if digits else Decimal(abs(amount))
    return f"{sign}{value:.{digits}f} {currency.upper()}"
