"""A shopper line's stated values, read deterministically: product ids, price and rating bounds, a count, a
category, copy tone and length, a shipping address, order ids and a cancel reason; and the search words (the
line without its opener, ids and bounds). tools/hints.py turns them into the small model's notes and pins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tools.addresses import ShippingWords, read_shipping
from tools.catalog.query import parse_query
from tools.constraints import parse_constraints
from tools.copy_style import find_length, find_tone
from tools.lexicon import language, to_english
from tools.order_words import cancel_reason, order_ids

__all__ = ["LineValues", "read_values", "search_phrase", "strip_ids", "value_hints"]

# "product 42", "item P42", "P0042", "#42", "items 51 and 61", "products 3, 4 or 9".
_ID_LIST = re.compile(r"(?i)\b(?:products?|items?|ids?)\s*#?\s*(p?\d+(?:\s*(?:,|and|or|&|vs\.?|versus)\s*"
                      r"(?:(?:product|item)\s*)?#?\s*p?\d+)*)\b")
# ASCII boundaries, not \b: in "把P0011加入购物车" the Chinese characters around the id are word characters too.
_PID = re.compile(r"(?i)(?<![A-Za-z0-9_$.])(?:#\s*)?p\d+(?![A-Za-z0-9_])|(?<![A-Za-z0-9_$.])#\d+(?![A-Za-z0-9_])")
_NUM_IN_LIST = re.compile(r"(?i)p?\d+")
# A count the shopper states: "3 of", "5 x", "1 unit", "top 4", "3 alternatives", "quantity 2", "two of".
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "a couple of": 2, "a pair of": 2, "a dozen": 12, "twelve": 12}
_N = r"(\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_COUNT = re.compile(rf"(?i)\b(?:top|best)\s+{_N}\b|\b(?:add|buy|put|get|order|take)\s+(?:me\s+)?(\d{{1,2}})\s*(?:$|[,.!]|"
                    r"\s+(?:to|in|into|please|pls|more)\b)|\b(?:quantity|qty)\s*(?:of\s*|[:=]\s*)?(\d{1,2})\b|"
                    rf"(?<![\d.,$])\b{_N}\s*(?:x(?![\w-])|×|of\b|units?\b|pcs\b|pieces?\b|"
                    r"more\b|alternatives?\b|options?\b|picks?\b|suggestions?\b|recommendations?\b|ideas?\b|"
                    r"things\b|similar\b|others?\b|items?\s+like\b|products?\s+like\b)")
# "in the groceries category", "browse the home decor section", "category: shoes": the shopper names a category.
_CATEGORY = re.compile(r"(?i)\b(?:the|browse|your|in|from)\s+(?!(?:the|a|an|your|our|this|that|same|other|which|what)\b)"
                       r"([a-z][a-z&'-]*(?:\s+[a-z&'-]+){0,2}?)\s+(?:category|section|department|aisle)\b|"
                       r"\b(?:in\s+(?:the\s+)?category|category\s*(?::|=|named|called))\s*"
                       r"\"?([a-z][a-z&'-]*(?:\s+(?!under|over|below|above|for|with|rated|only|please|pls)"
                       r"[a-z&'-]+){0,2})\"?")
_SHIPPING_KINDS = ("street_address", "city", "region", "postal_code", "country", "shipping")
_ORDER_KINDS = ("order_id", "cancel_reason")
_NOT_CATEGORY = frozenset("same other this that whole entire a an the which what in of for from to at on".split())


def _ids(text: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for m in _ID_LIST.finditer(text):
        found += [(m.start(1) + n.start(), n.group()) for n in _NUM_IN_LIST.finditer(m.group(1))]
    found += [(m.start(), m.group()) for m in _PID.finditer(text)]
    out: list[str] = []
    for _, raw in sorted(found):
        pid = raw.lstrip("#").strip().upper()
        if pid not in out:
            out.append(pid)
    return out


def _category(text: str) -> str | None:
    for m in _CATEGORY.finditer(text):
        words = (m.group(1) or m.group(2)).lower().split()
        if words[0] not in _NOT_CATEGORY and words[-1] not in _NOT_CATEGORY:
            return " ".join(words)
    return None


def strip_ids(text: str) -> str:
    return _PID.sub(" ", _ID_LIST.sub(" ", text))


def _number(value: float | Decimal) -> str:
    return str(int(value)) if float(value).is_integer() else str(float(value))


# How shoppers open a request, and what trails it: neither is what they are looking for.
_OPENER = re.compile(
    r"(?i)^(?:(?:hi|hey|hello|ok|okay|so|well|please|pls)\b[,!.]?\s*)*(?:"
    r"(?:i'?m\s+|i\s+am\s+|im\s+|am\s+)?(?:also\s+)?(?:looking|searching|shopping|hunting)\s+(?:for|to\s+buy)|"
    r"(?:i'?m|i\s+am|im)\s+(?:interested\s+in|after|in\s+the\s+market\s+for)|"
    r"i\s+(?:would|'d)\s+(?:like|love)(?:\s+to\s+(?:buy|get|find|see|order))?|"
    r"(?:i\s+)?(?:really\s+)?(?:need|want)(?:\s+to\s+(?:buy|get|find|order))?|can\s+i\s+(?:get|have|buy|find)|"
    r"(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:find|show|get|search\s+for|look\s+for|help\s+me\s+find)"
    r"(?:\s+me)?|(?:please\s+)?(?:find|show|get|search\s+for|look\s+for|buy|order|add\s+to\s+my\s+list)(?:\s+me)?|"
    r"(?:do|did)\s+you\s+(?:have|carry|sell|stock)|(?:is|are)\s+there|have\s+you\s+got|got|what|which)\b")
_LEAD = re.compile(r"(?i)^(?:a|an|the|some|any|me|new|a\s+new|some\s+new|for|of)\b\s*")
_TRAIL = re.compile(r"(?i)[\s,.;:!?]*(?:\b(?:and|with|at|for|please|pls|thanks|thank\s+you|for\s+me|nothing|no|"
                    r"that\s+is|which\s+is|price|priced|have\s+you\s+got|do\s+you\s+have|do\s+you\s+sell|"
                    r"you\s+have|you\s+sell)\b[\s,.;:!?]*)*$")


def search_phrase(text: str) -> str:
    """What the shopper is looking for, in their words: the line without its opener, ids, price and rating
    phrases ("I'm looking for a laptop under $1000" -> "laptop"). A small model drops nouns ("case for my
    iPhone 12" -> "iPhone 12"); this keeps them. A line in Spanish, French, German or Chinese gives its product
    words in English, the catalog's language ("auriculares inalámbricos" -> "wireless headphones")."""
    phrase = " ".join(parse_query(strip_ids(text), [], []).text.split())
    lang = language(text)
    if lang != "en":
        phrase = to_english(phrase, lang)
    for _ in range(3):
        shorter = _LEAD.sub("", _OPENER.sub("", phrase).strip(" ,.!?")).strip(" ,.!?")
        if shorter == phrase:
            break
        phrase = shorter
    return _TRAIL.sub("", phrase).strip(" ,.!?").replace('"', "").replace(";", ",")


@dataclass(frozen=True)
class LineValues:
    """What a shopper line states, read deterministically: ids, price and rating bounds, a count, a category,
    copy tone and length."""

    ids: tuple[str, ...] = ()
    max_price: float | None = None
    min_price: float | None = None
    min_rating: float | None = None
    count: int | None = None
    category: str | None = None
    tone: str | None = None
    length: str | None = None
    shipping: ShippingWords = ShippingWords()
    order_ids: tuple[str, ...] = ()
    cancel_reason: str | None = None

    def by_kind(self) -> dict[str, tuple[Any, ...]]:
        """The values found, by the kind names tools declare in their ToolAid.values."""
        out: dict[str, tuple[Any, ...]] = {"id": self.ids} if self.ids else {}
        for kind in ("max_price", "min_price", "min_rating", "count", "category", "tone", "length"):
            value = getattr(self, kind)
            if value is not None:
                out[kind] = (value,)
        if self.order_ids:
            out["order_id"] = self.order_ids
        if self.cancel_reason:
            out["cancel_reason"] = (self.cancel_reason,)
        for kind in _SHIPPING_KINDS:  # an address's parts by their argument names; the speed as "shipping"
            value = getattr(self.shipping, "speed" if kind == "shipping" else kind)
            if value is not None:
                out[kind] = (value,)
        return out

    @property
    def has_bound(self) -> bool:
        return any(v is not None for v in (self.max_price, self.min_price, self.min_rating))

    def render(self) -> str:
        """`ids "42", "P61"; max_price 80; min_rating 4.5; count 3`, or "-" when nothing was found."""
        parts = ["ids " + ", ".join(f'"{i}"' for i in self.ids)] if self.ids else []
        for key in ("max_price", "min_price", "min_rating"):  # the order search_catalog's grammar takes them in
            value = getattr(self, key)
            if value is not None:
                parts.append(f"{key} {_number(value)}")
        if self.count is not None:
            parts.append(f"count {self.count}")
        for key in ("category", "tone", "length"):
            value = getattr(self, key)
            if value:
                parts.append(f'{key} "{value}"')
        parts += [f'{kind} "{v[0]}"' for kind, v in self.by_kind().items() if kind in _SHIPPING_KINDS + _ORDER_KINDS]
        return "; ".join(parts) or "-"


def read_values(text: str) -> LineValues:
    """The values a shopper line states (see LineValues)."""
    rest = strip_ids(text)
    parsed = parse_constraints(rest)
    count = _COUNT.search(rest)
    said = next(g for g in count.groups() if g).lower() if count else None
    return LineValues(ids=tuple(_ids(text)), max_price=parsed.max_price, min_price=parsed.min_price,
                      min_rating=parsed.min_rating, count=int(_NUMBER_WORDS.get(said, said)) if said else None,
                      category=_category(rest), tone=find_tone(rest), length=find_length(rest),
                      shipping=read_shipping(text), order_ids=order_ids(text), cancel_reason=cancel_reason(text))


def value_hints(text: str) -> str:
    """The rendered values of a line (what the "Hints:" line starts with)."""
    return read_values(text).render()
