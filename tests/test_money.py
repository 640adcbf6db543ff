"""parse_money: the price spellings merchants use, and the ones that are not prices."""

from __future__ import annotations

import pytest

from tools.catalog.money import MoneyError, parse_money


@pytest.mark.parametrize(("text", "expected"), [
    ("12.99 USD", (12.99, "USD")),
    ("$1,299.00", (1299.0, "USD")),
    ("12,99 €", (12.99, "EUR")),
    ("€12,99", (12.99, "EUR")),
    ("1.299,00 EUR", (1299.0, "EUR")),
    ("USD 5", (5.0, "USD")),
    ("£3", (3.0, "GBP")),
    ("¥1200", (1200.0, "JPY")),
    ("US$ 10", (10.0, "USD")),
    ("C$5", (5.0, "CAD")),
    ("12.99usd", (12.99, "USD")),
    ("1,299", (1299.0, "USD")),        # a lone comma before three digits groups thousands
    ("1 299,00 €", (1299.0, "EUR")),   # space-grouped thousands, decimal comma
    ("1'299.50 CHF", (1299.5, "CHF")),  # Swiss apostrophe grouping
    ("$ 5 USD", (5.0, "USD")),         # symbol and code that agree
    (".99", (0.99, "USD")),
    ("0", (0.0, "USD")),
    ("-0", (0.0, "USD")),
    (12.5, (12.5, "USD")),
    (7, (7.0, "USD")),
])
def test_parses_money(text: str | float, expected: tuple[float, str]) -> None:
    amount, currency = parse_money(text)
    assert (amount, currency) == (pytest.approx(expected[0]), expected[1])


def test_default_currency_applies_only_when_none_is_written() -> None:
    assert parse_money("12.50", default_currency="eur") == (12.5, "EUR")
    assert parse_money(3, default_currency="GBP") == (3.0, "GBP")
    assert parse_money("$4", default_currency="EUR") == (4.0, "USD")


@pytest.mark.parametrize(("text", "reason"), [
    ("free", "cannot read a price"),
    ("twelve", "cannot read a price"),
    ("", "empty price"),
    ("   ", "empty price"),
    ("-5", "negative price"),
    ("$-5", "negative price"),
    ("\u22123 €", "negative price"),
    (-0.01, "negative price"),
    ("1,2,3", "malformed thousands grouping"),
    ("12 99", "malformed thousands grouping"),
    ("$5 EUR", "conflicting currencies"),
    ("5 ABCD", "unknown currency"),
    ("5-3", "cannot read a price"),
    (float("nan"), "not a finite number"),
    (float("inf"), "not a finite number"),
    (True, "true/false"),
    (None, "expected a price"),
])
def test_rejects_what_is_not_a_price(text: object, reason: str) -> None:
    with pytest.raises(MoneyError, match=reason):
        parse_money(text)  # type: ignore[arg-type]


def test_a_bad_price_is_caught_where_values_are_checked() -> None:
    """Callers that validate input catch ValueError (pydantic validators among them): a bad price must reach them."""
    from pydantic import BaseModel, ValidationError, field_validator

    class Row(BaseModel):
        price: float

        @field_validator("price", mode="before")
        @classmethod
        def _money(cls, value: object) -> float:
            return parse_money(value)[0]  # type: ignore[arg-type]

    with pytest.raises(ValidationError, match="cannot read a price from 'free'"):
        Row(price="free")
    assert Row(price="$4.50").price == 4.5
