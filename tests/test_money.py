"""parse_money: the price spellings merchants use, and the ones that are not prices."""

from __future__ import annotations

import pytest

from tools.catalog.money import AmbiguousPrice, MoneyError, decimal_hint, parse_money, price_currency


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
    ("1,299", (1299.0, "USD")),        # ambiguous, but a USD price writes a decimal point: thousands
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
    amount, currency = parse_money(text, default_currency="USD")
    assert (amount, currency) == (pytest.approx(expected[0]), expected[1])


def test_default_currency_applies_only_when_none_is_written() -> None:
    assert parse_money("12.50", default_currency="eur") == (12.5, "EUR")
    assert parse_money(3, default_currency="GBP") == (3.0, "GBP")
    assert parse_money("$4", default_currency="EUR") == (4.0, "USD")


def test_no_currency_is_assumed() -> None:
    assert parse_money("12.50") == (12.5, None)
    assert parse_money(7) == (7.0, None)
    assert parse_money("€75.00") == (75.0, "EUR")


@pytest.mark.parametrize(("text", "decimal", "currency", "expected"), [
    ("4.500 €", ",", None, 4500.0),     # a WooCommerce export from Portugal
    ("4.500 €", ".", None, 4.5),
    ("1.027 EUR", ",", None, 1027.0),
    ("6.000", ",", "EUR", 6000.0),
    ("1,027", ",", "EUR", 1.027),
    ("1,027", ".", "EUR", 1027.0),
    ("12,99", ".", "EUR", 12.99),       # unambiguous prices read as written whatever the option says
    ("1.299,00 €", ".", None, 1299.0),
    ("6.000 zł", None, None, 6000.0),   # the zloty writes a decimal comma: the dot groups thousands
    ("¥1,000", None, None, 1000.0),
    ("R$ 1.500", None, None, 1500.0),
])
def test_three_digits_after_one_separator_are_settled_by_the_option_or_the_currency(
        text: str, decimal: str | None, currency: str | None, expected: float) -> None:
    assert parse_money(text, currency, decimal)[0] == pytest.approx(expected)


@pytest.mark.parametrize("text", ["4.500 €", "1.027 EUR", "6.000", "1,299"])
def test_an_ambiguous_price_is_refused_not_guessed(text: str) -> None:
    with pytest.raises(AmbiguousPrice, match="pass --decimal"):
        parse_money(text)


def test_decimal_hints_and_written_currency() -> None:
    assert [decimal_hint(t) for t in ("12,99", "1.299,00", "12.99", "1,299.00", "1.299.000", "4.500", "7")] == \
        [",", ",", ".", ".", ",", None, None]
    assert (price_currency("€75.00"), price_currency("75.00"), price_currency("5 ABCD")) == ("EUR", None, None)


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
