"""The grounding check: every number, unit, price, brand and attribute value of a text must be in the record."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from tools.catalog.product import Product

__all__ = ["WORDS", "Vocabulary", "catalog_vocabulary", "check_grounding", "norm_number"]

# Attribute keys whose values are words a description could get wrong (a colour, a material). Keys like "use",
# "form" or "type" hold everyday words or other product kinds ("travel", "ground", "for French press") that
# honest prose names too (measured on the 556 demo descriptions).
CHECKED_KEYS = ("color", "material", "fill", "sleeve", "gender", "roast")
# Values that are also everyday words ("down from $128"); checking them would reject honest prose.
AMBIGUOUS_VALUES = frozenset({"down"})

# Capitalised words that are not brands, for the mid-sentence check (the catalog's own lowercase prose
# extends this list at run time).
COMMON_CAPITALISED = frozenset("""
i i'm i've i'd i'll you we it this that these those the a an and or but with for from in on at of to by
bluetooth wi-fi wifi usb usb-c hdmi led lcd oled hd uhd ai gps nfc ios android windows mac pc usd eur gbp
french italian english german japanese swiss british american european scandinavian nordic
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december christmas spring summer autumn fall winter
""".split())

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNITS = {
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "mah": "mah", "mp": "mp",
    "gb": "gb", "tb": "tb", "mb": "mb", "ghz": "ghz", "hz": "hz", "kg": "kg", "g": "g", "gram": "g",
    "grams": "g", "lb": "lb", "lbs": "lb", "oz": "oz", "ml": "ml", "l": "l", "litre": "l", "liter": "l",
    "litres": "l", "liters": "l", "cm": "cm", "mm": "mm", "m": "m", "in": "in", "inch": "in", "inches": "in",
    '"': "in", "ft": "ft", "w": "w", "watt": "w", "watts": "w", "lm": "lm", "lumen": "lm", "lumens": "lm",
    "k": "k", "kelvin": "k", "v": "v", "°c": "°c", "°f": "°f", "%": "%", "percent": "%",
}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\w.])(?P<cur>[$€£])?\s?(?P<a>{_NUM})(?:\s?(?:-|–|to)\s?(?P<b>{_NUM}))?"
    # a money amount takes no unit ("$99 in red"); "2-person", "30-hour": a hyphenated word is a unit too
    rf"(?(cur)|(?:\s?(?P<unit>°\s?[cf]|(?:{_UNIT_RE})(?![\w]))|-(?P<compound>[a-z]+))?)"
    rf"(?P<money>\s?(?:dollars|usd|eur|euros))?",
    re.IGNORECASE)
_SCALE = re.compile(r"\b(?:out of|/)\s?5(?:\.0)?\b", re.IGNORECASE)  # "4.5 out of 5": the 5 is the scale
WORDS = re.compile(r"[A-Za-z][A-Za-z'’&-]*")


@dataclass
class Vocabulary:
    """What the catalog knows beyond one record: attribute values per key, brands, everyday words."""

    values: dict[str, set[str]] = field(default_factory=dict)
    brands: set[str] = field(default_factory=set)
    common_words: set[str] = field(default_factory=set)  # seen in lowercase in descriptions and reviews

    @classmethod
    def build(cls, products: Iterable[Product]) -> "Vocabulary":
        vocab = cls()
        for p in products:
            for key, value in p.attributes.items():
                value = value.strip().lower()
                # Numbers are checked on their own.
                if key in CHECKED_KEYS and value not in AMBIGUOUS_VALUES and not re.search(r"\d", value):
                    vocab.values.setdefault(key, set()).add(value)
            if p.brand:
                vocab.brands.add(p.brand.strip())
            prose = " ".join([p.description] + [r.text for r in p.reviews])
            vocab.common_words.update(w for w in WORDS.findall(prose) if w.islower())
        return vocab


_VOCABULARIES: "weakref.WeakKeyDictionary[Any, tuple[str, Vocabulary]]" = weakref.WeakKeyDictionary()


def catalog_vocabulary(catalog: Any) -> Vocabulary:
    """The catalog's vocabulary, rebuilt only when the catalog's revision changes."""
    revision = catalog.revision
    cached = _VOCABULARIES.get(catalog)
    if cached is None or cached[0] != revision:
        cached = (revision, Vocabulary.build(catalog.get_many(catalog.ids())))
        _VOCABULARIES[catalog] = cached
    return cached[1]


# --- the grounding check ------------------------------------------------------------------------

def check_grounding(text: str, product: Product, vocabulary: Vocabulary | None = None) -> list[str]:
    """The spans of `text` the record does not support: numbers, units, prices, brands, attribute values."""
    facts = _record_text(product)
    return _dedupe(_unsupported_numbers(text, product, facts) + _unsupported_names(text, product, facts, vocabulary)
                   + _unsupported_values(text, product, facts, vocabulary))


def _record_text(product: Product) -> str:
    """Every field a description may draw on, as one text (stock included: "only 4 left" is a fact)."""
    parts = [product.title, product.brand or "", " ".join(product.category), product.currency,
             " ".join(f"{k.replace('_', ' ')} {v}" for k, v in product.attributes.items()), " ".join(product.tags)]
    for v in product.variants:
        parts += [f"{k} {o}" for k, o in v.options.items()]
    return "\n".join(p for p in parts if p)


def norm_number(number: str) -> str:
    """'1,299.00' → '1299'; '30.0' → '30'."""
    try:
        return format(Decimal(number.replace(",", "")).normalize(), "f")
    except InvalidOperation:
        return number


def _quantities(text: str) -> Iterable[tuple[re.Match[str], list[str], str | None, bool]]:
    """(match, normalised numbers, canonical unit, is money) for each quantity in `text`."""
    for m in _QUANTITY.finditer(text):
        numbers = [norm_number(m.group("a"))] + ([norm_number(m.group("b"))] if m.group("b") else [])
        unit = m.group("unit")
        unit = _UNITS.get(re.sub(r"\s", "", unit.lower())) if unit else None
        if m.group("compound"):
            word = m.group("compound").lower()
            unit = _UNITS.get(word, "-" + word.removesuffix("s"))
        yield m, numbers, unit, bool(m.group("cur") or m.group("money"))


def _record_numbers(product: Product, facts: str) -> tuple[set[str], set[tuple[str, str]], set[str]]:
    """(numbers, (number, unit) pairs, prices) the record supports."""
    numbers: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for _, found, unit, _money in _quantities(facts):
        numbers.update(found)
        if unit:
            pairs.update((n, unit) for n in found)
    for key, value in product.attributes.items():  # "pages": "352" supports "352-page"
        for _, found, unit, _money in _quantities(value):
            if unit is None:
                pairs.update((n, "-" + key.removesuffix("s")) for n in found)
    prices = {product.price, product.effective_price}
    if product.sale_price is not None:
        prices.add(product.sale_price)
        if product.sale_price < product.price:
            prices.add(round(product.price - product.sale_price, 2))  # "save $62"
            off = (product.price - product.sale_price) / product.price * 100
            pairs.update((norm_number(str(n)), "%") for n in {int(off), round(off)})  # "20% off"
    for v in product.variants:
        prices.update(x for x in (v.price, v.sale_price) if x is not None)
    money = {norm_number(f"{p:.2f}") for p in prices}
    counts = [product.rating, product.review_count, product.stock]
    numbers.update(money, (norm_number(str(c)) for c in counts if c is not None))
    return numbers, pairs, money


def _unsupported_numbers(text: str, product: Product, facts: str) -> list[str]:
    numbers, pairs, money = _record_numbers(product, facts)
    bad = []
    for m, found, unit, is_money in _quantities(_SCALE.sub(lambda s: " " * len(s.group()), text)):
        if is_money:
            ok = all(n in money for n in found)
        elif unit == "in":  # "sleeps 2 in comfort": the word is too common to insist on it as inches
            ok = all((n, unit) in pairs or n in numbers for n in found)
        elif unit:
            ok = all((n, unit) in pairs for n in found)
        else:
            ok = all(n in numbers for n in found)
        if not ok:
            bad.append(m.group().strip())
    return bad


def _unsupported_names(text: str, product: Product, facts: str, vocabulary: Vocabulary | None) -> list[str]:
    """Capitalised words mid-sentence that the record does not hold, and other catalog brands named."""
    known = {w.lower() for w in WORDS.findall(facts)}
    allowed = known | COMMON_CAPITALISED | (vocabulary.common_words if vocabulary else set())
    bad: list[str] = []
    run: list[re.Match[str]] = []  # consecutive suspicious words form one span ("Sony WH")

    def close_run() -> None:
        if run:
            bad.append(text[run[0].start():run[-1].end()])
            run.clear()

    for m in WORDS.finditer(text):
        word = m.group()
        bare = re.sub(r"['’]s$", "", word).strip("-'’&").lower()
        before = text[:m.start()].rstrip()
        initial = not before or before[-1] in ".!?:;\"“(\n-•*"
        suspicious = (word[0].isupper() and not initial and not {bare, word.lower()} & allowed)
        if suspicious:
            if run and text[run[-1].end():m.start()].strip():
                close_run()
            run.append(m)
        else:
            close_run()
    close_run()
    if vocabulary:
        own = (product.brand or "").lower()
        for brand in vocabulary.brands:
            if brand.lower() != own and brand.lower() not in facts.lower() and \
                    re.search(rf"(?<!\w){re.escape(brand)}(?!\w)", text):
                bad.append(brand)
    return bad


def _unsupported_values(text: str, product: Product, facts: str, vocabulary: Vocabulary | None) -> list[str]:
    """Attribute values of other products (a colour, a material) named for this one."""
    if vocabulary is None:
        return []
    lowered, record = text.lower(), facts.lower()
    bad = []
    for key in product.attributes:
        for value in sorted(vocabulary.values.get(key, ()), key=len, reverse=True):
            pattern = rf"(?<![\w-]){re.escape(value)}(?![\w-])"
            # "green" is fine when the record says "sage green": only values absent from the record count.
            if re.search(pattern, lowered) and not re.search(pattern, record):
                bad.append(value)
    return bad


def _dedupe(spans: list[str]) -> list[str]:
    return list(dict.fromkeys(s for s in spans if s))
