"""Read quantities out of attribute strings ("1.2 kg", "40 hours", "1 TB SSD") and show a set of them in one unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quantity", "align", "format_number", "parse_quantity"]

# unit spelling -> (dimension, factor to the dimension's base unit, canonical symbol).
# Storage uses the decimal units drives are sold in (1 TB = 1000 GB), as the listings do.
_UNITS: dict[str, tuple[str, float, str]] = {}
for _dim, _entries in {
    "mass": [(("mg",), 0.001, "mg"), (("g", "gram", "grams", "gr"), 1.0, "g"),
             (("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"), 1000.0, "kg"),
             (("oz", "ounce", "ounces"), 28.349523, "oz"), (("lb", "lbs", "pound", "pounds"), 453.59237, "lb")],
    "time": [(("min", "mins", "minute", "minutes"), 1 / 60, "min"),
             (("h", "hr", "hrs", "hour", "hours"), 1.0, "h"), (("day", "days", "d"), 24.0, "days"),
             (("week", "weeks", "wk"), 168.0, "weeks")],
    "data": [(("mb",), 0.001, "MB"), (("gb",), 1.0, "GB"), (("tb",), 1000.0, "TB")],
    "volume": [(("ml", "millilitre", "milliliter", "millilitres", "milliliters"), 1.0, "ml"),
               (("cl",), 10.0, "cl"), (("l", "litre", "liter", "litres", "liters"), 1000.0, "L"),
               (("fl oz", "floz"), 29.5735, "fl oz")],
    "length": [(("mm",), 1.0, "mm"), (("cm",), 10.0, "cm"), (("m", "metre", "meter", "metres", "meters"), 1000.0, "m"),
               (("in", "inch", "inches", '"'), 25.4, "in"), (("ft", "feet", "foot"), 304.8, "ft")],
    "power": [(("w", "watt", "watts"), 1.0, "W"), (("kw",), 1000.0, "kW")],
    "charge": [(("mah",), 1.0, "mAh")],
    "frequency": [(("hz",), 1.0, "Hz"), (("khz",), 1000.0, "kHz")],
    "temperature": [(("°c", "c", "ºc"), 1.0, "°C")],
}.items():
    for _names, _factor, _symbol in _entries:
        for _name in _names:
            _UNITS[_name] = (_dim, _factor, _symbol)

# A leading number, then an optional unit word, then anything else ("SSD"). Ranges ("1-4 cups") and
# products of numbers ("3840x2160") do not match: those keep their original text.
_QUANTITY = re.compile(r"^\s*(?P<num>[-+]?\d+(?:[.,]\d+)?)\s*"
                       r"(?P<unit>fl oz|°\s?[cC]|º\s?[cC]|[a-zA-Z\"]+)?\s*(?P<rest>.*?)\s*$")


@dataclass(frozen=True)
class Quantity:
    """A number with a unit; `base` is the value in the dimension's base unit, comparable within a dimension."""

    value: float
    unit: str  # canonical symbol ("kg"), or the word as written for units we do not know ("person")
    dimension: str  # "mass", "time"…; an unknown unit is its own dimension ("unit:person")
    base: float
    scale: float = 1.0  # base units per one `unit`
    rest: str = ""  # trailing words kept for display ("SSD" in "1 TB SSD")


def parse_quantity(text: str) -> Quantity | None:
    """The quantity in `text`, or None when it is not "<number> [unit] [words]"."""
    m = _QUANTITY.match(text)
    if m is None:
        return None
    number_text, unit_text, rest = m.group("num"), (m.group("unit") or ""), m.group("rest")
    if rest and (rest[0].isdigit() or rest[0] in "-x×/"):
        return None  # "2700-6500 K", "23 x 15 x 10 cm": not one quantity
    if "," in number_text:
        # "1,5 L" is a decimal comma; thousands separators never have exactly one or two digits after them.
        head, _, tail = number_text.partition(",")
        number_text = f"{head}.{tail}" if len(tail) < 3 else head + tail
    value = float(number_text)
    key = re.sub(r"\s+", "", unit_text.lower()) if unit_text.startswith(("°", "º")) else unit_text.lower()
    if key in _UNITS:
        dim, factor, symbol = _UNITS[key]
        return Quantity(value, symbol, dim, value * factor, factor, rest)
    if not unit_text:
        return Quantity(value, "", "count", value, rest=rest)
    # An unknown word ("person", "cups", "ATM") still compares with the same word.
    word = f"{unit_text} {rest}".strip()
    return Quantity(value, word, f"unit:{word.lower()}", value)


def format_number(value: float) -> str:
    """A number without float noise: 1200.0 -> "1200", 0.9000001 -> "0.9"."""
    rounded = round(value, 3)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def align(texts: dict[str, str]) -> tuple[dict[str, str], dict[str, float]]:
    """Show comparable quantities in one unit; returns (display text, base value) per key.

    The display unit is the smallest unit among the values, so no value turns into a long decimal
    ("1.2 kg" and "900 g" become "1200 g" and "900 g"). Values that do not parse, or whose dimension
    differs from the rest, keep their original text and get no base value.
    """
    parsed = {k: parse_quantity(v) for k, v in texts.items()}
    dims = {q.dimension for q in parsed.values() if q is not None}
    display = dict(texts)
    if len(dims) != 1:
        # Mixed dimensions ("1 L" and "12 cups"): nothing is comparable, show what the listings say.
        return display, {}
    quantities = {k: q for k, q in parsed.items() if q is not None}
    smallest = min(quantities.values(), key=lambda q: q.scale)
    bases: dict[str, float] = {}
    for key, q in quantities.items():
        bases[key] = q.base
        if q.dimension.startswith("unit:") or q.dimension == "count":
            continue  # a word we do not know is shown as written
        suffix = f" {q.rest}" if q.rest else ""
        # Known units are re-spelt too, so "40 hours" and "30 h" read alike.
        display[key] = f"{format_number(q.base / smallest.scale)} {smallest.unit}{suffix}"
    return display, bases
