"""Conversation references, resolved by code for small models: "the first two", "the cheaper one", "the best
rated", "the Kettlewright one", "the coffee maker", "it", "those" — over what the conversation has shown
(search results, recommendations, comparisons, the cart, products looked at).

The preparer (tools/hints.py) turns a resolved reference into id pins for the tools that take ids; nothing
here is text for another part to parse.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Reference", "Shown", "lookup_phrase", "names_in", "resolve", "shown_items"]

_LISTS = ("results", "recommendations", "products", "lines", "purchases", "views", "cart", "alternatives")
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
             "fifth": 4, "5th": 4, "last": -1}
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_ORDINAL = re.compile(r"(?i)\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\b"
                      r"(?:\s+(two|three|four|five|[2-5])\b)?")
_TOP_N = re.compile(r"(?i)\b(?:the\s+)?(?:top|first)\s+(two|three|four|five|[2-5])\b")
_BOTH = re.compile(r"(?i)\bboth\b")
_ALL = re.compile(r"(?i)\ball\s+(?:of\s+)?(?:them|those|these)\b")
_CHEAP = re.compile(r"(?i)\b(?:cheap(?:er|est)|least\s+expensive|less\s+expensive|lowest[- ]priced?|"
                    r"most\s+affordable|lower[- ]priced?|budget\s+one)\b")
_DEAR = re.compile(r"(?i)\b(?:(?:more|most)\s+expensive|pricie(?:r|st)|dearest|highest[- ]priced?|priciest)\b")
_RATED = re.compile(r"(?i)\b(?:(?:best|better|highest|higher|top)[- ]rated|best\s+reviewed|highest\s+rating|"
                    r"(?:the\s+)?best\s+(?:one|of\s+(?:them|those|these)))\b")
_LIGHT = re.compile(r"(?i)\blight(?:er|est)\b")
_ONE = re.compile(r"(?i)\b(?:it|its|that\s+one|this\s+one|that|this)\b")
_MANY = re.compile(r"(?i)\b(?:them|those|these|they)\b")
_WORD = re.compile(r"[a-z0-9][a-z0-9&'-]*")
# Words that name no particular product: they cannot tell shown items apart.
_COMMON = frozenset("""
the a an one ones and or of for to in on with my me it its this that those these them they is are was be can
you your i i'm im please add put buy get take remove show tell about more details detail info compare cart
what which how much does do has have any some other same like than then there here now also just review
reviews rating rated price cost costs cheap cheaper cheapest best better new set pack black white
""".split())


@dataclass
class Shown:
    """What the conversation has shown: lists in order (the last is the freshest) and the last single item."""

    lists: list[list[dict[str, Any]]] = field(default_factory=list)
    focus: dict[str, Any] | None = None
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> the latest view of it

    @property
    def last(self) -> list[dict[str, Any]]:
        return self.lists[-1] if self.lists else []


@dataclass(frozen=True)
class Reference:
    ids: tuple[str, ...]
    how: str  # ordinal | superlative | name | pronoun


def _id(item: dict[str, Any]) -> str | None:
    value = item.get("id") or item.get("product_id")
    return value if isinstance(value, str) else None


def shown_items(messages: list[dict[str, Any]]) -> Shown:
    """The items tool results of `messages` showed (from their data)."""
    shown = Shown()
    for m in messages:
        if m.get("role") != "tool":
            continue
        try:
            data = json.loads(m.get("content") or "")
        except (TypeError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        for key in _LISTS:
            items = [i for i in data.get(key) or [] if isinstance(i, dict) and _id(i)]
            if items and key != "alternatives":
                shown.lists.append(items)
            for i in items:
                shown.items[_id(i)] = {**shown.items.get(_id(i), {}), **i}  # type: ignore[index]
        single = data.get("product") if isinstance(data.get("product"), dict) else data
        if _id(single) and "title" in single:
            shown.focus = single
            shown.items[_id(single)] = {**shown.items.get(_id(single), {}), **single}  # type: ignore[index]
        elif len(shown.last) == 1:
            shown.focus = shown.last[0]
    return shown


def resolve(text: str, shown: Shown) -> Reference | None:
    """The shown items `text` refers to, or None."""
    if not shown.items:
        return None
    last = shown.last or list(shown.items.values())
    ids = [_id(i) for i in last]
    m = _TOP_N.search(text)
    if m:
        return Reference(tuple(ids[: _COUNTS[m.group(1).lower()]]), "ordinal")  # type: ignore[arg-type]
    m = _ORDINAL.search(text)
    if m and not re.search(r"(?i)\blast\s+(?:time|week|month|year|order)\b", text):
        start = _ORDINALS[m.group(1).lower()]
        count = _COUNTS.get((m.group(2) or "").lower(), 1)
        picked = ids[start:start + count] if start >= 0 else ids[-count:]
        if picked:
            return Reference(tuple(picked), "ordinal")  # type: ignore[arg-type]
    for pattern, key, reverse in ((_CHEAP, "price", False), (_DEAR, "price", True), (_RATED, "rating", True),
                                  (_LIGHT, "weight", False)):
        if pattern.search(text):
            ranked = [i for i in last if _number(i, key) is not None]
            if ranked:
                best = sorted(ranked, key=lambda i: _number(i, key), reverse=reverse)[0]  # type: ignore[arg-type,return-value]
                return Reference((_id(best),), "superlative")  # type: ignore[arg-type]
    named = _by_name(text, list(shown.items.values()), ids)
    if named:
        return Reference(named, "name")
    if _BOTH.search(text) and len(ids) >= 2:
        return Reference(tuple(ids[:2]), "ordinal")  # type: ignore[arg-type]
    if _ALL.search(text) or _MANY.search(text):
        return Reference(tuple(ids[:5]), "pronoun")  # type: ignore[arg-type]
    if _ONE.search(text):
        focus = shown.focus or (last[0] if len(last) == 1 else None)
        if focus is not None:
            return Reference((_id(focus),), "pronoun")  # type: ignore[arg-type]
    return None


def _number(item: dict[str, Any], key: str) -> float | None:
    if key == "price":
        value = item.get("price", item.get("unit_price", item.get("effective_price")))
    elif key == "weight":
        raw = str((item.get("attributes") or {}).get("weight", ""))
        m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(kg|g)\b", raw)
        value = (float(m.group(1)) * (1000 if m.group(2) == "kg" else 1)) if m else None
    else:
        value = item.get(key)
    return float(value) if isinstance(value, (int, float)) else None


def _by_name(text: str, items: list[dict[str, Any]], ranked: list[str | None]) -> tuple[str, ...]:
    """Items whose title (or brand, or category) shares the most distinctive words with `text`; only a unique
    best counts ("the Kettlewright one", "the coffee maker" in a cart of three kinds), or among equals that have
    every word said, all in the freshest list (`ranked`, in its order), the first of them: "the Kettlewright one" of a result list
    with two is the one listed first, as a shopper reading the list from the top means."""
    said = {w for w in _WORD.findall(text.lower()) if w not in _COMMON and len(w) > 2}
    if not said:
        return ()
    scored = []
    for item in items:
        words = set(_WORD.findall(" ".join(str(item.get(k, "")) for k in ("title", "brand", "category")).lower()))
        words |= {w[:-1] for w in words if w.endswith("s")}
        hits = said & (words | {w + "s" for w in words})
        if hits:
            scored.append((len(hits), _id(item)))
    if not scored:
        return ()
    scored.sort(key=lambda s: -s[0])
    tied = [pid for n, pid in scored if n == scored[0][0]]
    if len(tied) > 1:
        if scored[0][0] < len(said) or not all(pid in ranked for pid in tied):  # each has only part of the name
            return ()
        tied.sort(key=ranked.index)
    return (tied[0],)  # type: ignore[return-value]


_ACTION = frozenset("put add remove delete drop cart basket into onto buy order purchase want need get please two three "
                    "four five six ten couple few several reviewers reviewer think thinks say says said people "
                    "customers buyers opinion opinions write description describe".split())
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'-]*|&")
# A number that is part of a name or spec ("750 ml", "32 GB"), not a quantity ("2 of them", "2 in my cart").
_UNIT = re.compile(r"(?i)(?:ml|l|cl|oz|fl|g|kg|lb|lbs|mm|cm|m|inch|inches|gb|tb|mb|mah|w|v|hz|mp|pack|pcs|"
                   r"count|ct|cup|cups|piece|pieces|litre|liter|litres|liters)\Z")


def lookup_phrase(text: str) -> str:
    """The words of an action line that name a product ("put the Ember & Bean coffee in my cart" -> "Ember &
    Bean coffee"; "the Hydrova 750 ml bottle" keeps its size), or "" when it names none ("add it to my cart")."""
    tokens = _TOKEN.findall(text)
    words = [w for i, w in enumerate(tokens) if w.lower() not in _COMMON and w.lower() not in _ACTION
             and (not w.isdigit() or (i + 1 < len(tokens) and _UNIT.match(tokens[i + 1])))]
    while words and words[0] == "&":
        words.pop(0)
    return " ".join(words) if any(w != "&" and not w.isdigit() for w in words) else ""


_CAPITAL = re.compile(r"[A-Z][a-z][\w'-]*\Z")  # "Kettlewright", "Aria": a proper name; "GB", "USB-C" are not
_NO_NAME = frozenset("I I'm I'd I'll I've Hi Hey Hello Ok Okay Please Thanks Thank The A An Can Could Would Will "
                     "What Which How Is Are Do Does Show Tell Put Add Write Find Get Buy".split())


def names_in(text: str) -> list[str]:
    """The proper names a line writes (runs of capitalised words, joined by "&": "Kettlewright Barista French
    Press", "Ember & Bean"); a capitalised first word counts only when a second one follows it."""
    tokens = list(_TOKEN.finditer(text))
    names, i = [], 0
    while i < len(tokens):
        word = tokens[i].group()
        if _CAPITAL.match(word) and word not in _NO_NAME:
            j = i
            while j + 1 < len(tokens) and (_CAPITAL.match(tokens[j + 1].group()) or (
                    tokens[j + 1].group() == "&" and j + 2 < len(tokens) and _CAPITAL.match(tokens[j + 2].group()))):
                j += 1
            if i > 0 or j > i:
                names.append(text[tokens[i].start():tokens[j].end()])
            i = j + 1
        else:
            i += 1
    return names
