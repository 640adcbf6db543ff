"""Read brand and category out of a shopper's query text, with the price, rating and stock that
tools/constraints.py reads."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tools.constraints import parse_constraints

__all__ = ["ParsedQuery", "describe", "edit_distance", "match_label", "parse_query"]


@dataclass
class ParsedQuery:
    """A query split into free text to rank by and the constraints it states."""

    text: str
    max_price: float | None = None
    min_price: float | None = None
    min_rating: float | None = None
    brand: str | None = None
    category: str | None = None
    in_stock: bool | None = None
    understood: list[str] = field(default_factory=list)
    said: dict[str, str] = field(default_factory=dict)  # filter key -> the query words that stated it

    def filters(self) -> dict[str, object]:
        """The constraints that were found, as keyword arguments for search."""
        keys = ("max_price", "min_price", "min_rating", "brand", "category", "in_stock")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


_TRIM_RE = re.compile(r"^(?:\W|\b(?:and|with|for|at|of|that is|that's|priced|costing|rated|a|"
                      r"which is|in|to)\b)+|(?:\W|\b(?:and|with|for|at|of|that is|that's|priced|costing|"
                      r"rated|a|which is|in|to|or|price|budget|rating)\b)+$", re.IGNORECASE)


def describe(filters: dict[str, Any], said: dict[str, str] | None = None) -> list[str]:
    """Human-readable constraints, e.g. ["price ≤ 80", "brand Vaseline (from 'vasline')"]."""
    f, said, out = filters, said or {}, []
    if f.get("min_price") is not None and f.get("max_price") is not None:
        out.append(f"price {_fmt(f['min_price'])}–{_fmt(f['max_price'])}")
    elif f.get("max_price") is not None:
        out.append(f"price ≤ {_fmt(f['max_price'])}")
    elif f.get("min_price") is not None:
        out.append(f"price ≥ {_fmt(f['min_price'])}")
    if f.get("min_rating") is not None:
        out.append(f"rating ≥ {_fmt(f['min_rating'])}")
    if f.get("in_stock") is not None:
        out.append("in stock" if f["in_stock"] else "out of stock")
    if f.get("brand") is not None:
        words = said.get("brand")  # a corrected misspelling is worth showing
        out.append(f"brand {f['brand']}" + (f" (from '{words}')" if words and words != _norm(f["brand"]) else ""))
    if f.get("category") is not None:
        out.append(f"category {f['category']}")
    return out


# Words that may follow a category name without making it a modifier of another noun.
_FOLLOWERS = frozenset([
    "with", "without", "for", "in", "on", "that", "which", "who", "under", "over", "below", "above", "from",
    "by", "size", "sized", "rated", "and", "or", "to", "at", "of", "less", "more", "between", "up", "near",
    "like", "made", "i", "please", "only",
    "products", "items", "stuff", "things", "deals", "options",  # "beauty products" names the category
])


def _fmt(value: float) -> str:
    return f"{float(value):g}" if abs(value) < 1e6 else f"{float(value):.0f}"


def _norm(text: str) -> str:
    """Lowercase, drop apostrophes ("men's" → "mens"), turn hyphens and slashes into spaces."""
    text = text.lower().replace("'", "").replace("’", "")
    return re.sub(r"[\s\-_/&.,]+", " ", text).strip()


def _forms(phrase: str) -> set[str]:
    """A phrase and its singular/plural variants (the last word is inflected)."""
    words = phrase.split()
    if not words:
        return set()
    *head, last = words
    variants = {last}
    if last.endswith("ies") and len(last) > 4:
        variants.add(last[:-3] + "y")
    elif last.endswith("es") and len(last) > 4 and last[-3] in "sxzh":
        variants.add(last[:-2])
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        variants.add(last[:-1])
    if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        variants.add(last[:-1] + "ies")
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        variants.add(last + "es")
    else:
        variants.add(last + "s")
    return {" ".join([*head, v]) for v in variants}


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau (optimal string alignment) distance, stopping early once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _ngrams(words: list[str], n: int) -> list[tuple[int, str]]:
    return [(i, " ".join(words[i:i + n])) for i in range(len(words) - n + 1)]


@lru_cache(maxsize=8)
def _brand_table(brands: tuple[str, ...]) -> dict[str, str]:
    """Normalised name -> brand; cached because the list only changes with the catalog."""
    return {_norm(b): b for b in brands if b and _norm(b)}


@lru_cache(maxsize=8)
def _category_table(categories: tuple[str, ...]) -> list[tuple[str, str]]:
    """(form, category) for every category name (a path's last segment) and its plural/singular."""
    table = []
    for cat in categories:
        # Filters match one level, so a path is named by its last segment.
        value = cat.split(">")[-1].strip()
        name = _norm(value)
        table += [(form, value) for form in _forms(name) | {name} if form]
    return table


def _find_brand(text: str, brands: list[str], vocabulary: Container[str] | None) -> tuple[str, str] | None:
    """(brand, the words that named it): exact whole words first, then one typo for names ≥ 5 letters."""
    words = _norm(text).split()
    by_norm = _brand_table(tuple(brands))
    for n in (4, 3, 2, 1):  # longest names first: "calvin klein" before a one-word brand inside it
        for _, gram in _ngrams(words, n):
            if gram in by_norm:
                return by_norm[gram], gram
    for n in (3, 2, 1):
        for _, gram in _ngrams(words, n):
            if vocabulary is not None and gram in vocabulary:
                continue  # a word the catalog itself uses is not a misspelling
            for key, brand in by_norm.items():
                if (len(key) >= 5 and key.count(" ") == n - 1 and gram[0] == key[0]
                        and gram not in _forms(key) and edit_distance(gram, key, 1) <= 1):
                    return brand, gram
    return None


def _find_category(text: str, categories: list[str]) -> tuple[str, str] | None:
    """(category, the words that named it) when the text names a category exactly, modulo plural."""
    padded = f" {_norm(re.sub(r'[,;:!?()]', ' | ', text))} "  # "|" keeps clause breaks visible
    best: tuple[int, str, str] | None = None
    for form, cat in _category_table(tuple(categories)):
        for m in re.finditer(rf"(?<= ){re.escape(form)}(?= )", padded):
            after = padded[m.end():].split()
            # "laptop bag" is a bag: the category word must end the noun phrase to name the kind.
            if after and after[0].isalpha() and after[0] not in _FOLLOWERS:
                continue
            if best is None or len(form) > best[0]:
                best = (len(form), cat, form)
    return (best[1], best[2]) if best else None


def match_label(value: str, labels: list[str], kind: str) -> str | None:
    """The catalog's own spelling of a brand or category given as a filter ("groceries" -> "Grocery",
    "calvin  klein" -> "Calvin Klein"), or None when it names none of them."""
    norm = _norm(value)
    if not norm:
        return None
    if kind == "brand":
        table = _brand_table(tuple(labels))
        return table.get(norm) or next((b for key, b in table.items() if len(key) >= 5 and key[0] == norm[0]
                                        and edit_distance(norm, key, 1) <= 1), None)
    forms = _forms(norm) | {norm}
    return next((cat for form, cat in _category_table(tuple(labels)) if form in forms), None)


def parse_query(text: str, brands: list[str], categories: list[str], *,
                vocabulary: Container[str] | None = None) -> ParsedQuery:
    """Split `text` into ranking text plus the constraints it states, and say what was understood."""
    q = ParsedQuery(text=text)
    # Prices, ratings and stock come from the one constraint parser (tools/constraints.py).
    stated = parse_constraints(text)
    q.max_price = float(stated.max_price) if stated.max_price is not None else None
    q.min_price = float(stated.min_price) if stated.min_price is not None else None
    q.min_rating, q.in_stock = stated.min_rating, stated.in_stock
    rest = stated.rest

    rest = re.sub(r"\s+", " ", rest).strip()
    found = _find_brand(rest, brands, vocabulary)
    if found:
        q.brand, said = found
        q.said["brand"] = said
        if said != _norm(q.brand):
            # Search for the brand as it is spelt in the catalog, not the typo.
            rest = re.sub(r"\b" + r"[\s\-']*".join(map(re.escape, said.split())) + r"\b", q.brand, rest,
                          count=1, flags=re.IGNORECASE)
    found = _find_category(rest, categories)
    if found:
        q.category, q.said["category"] = found  # the word stays in the text: it still helps ranking

    q.text = _TRIM_RE.sub("", rest).strip()
    q.understood = describe(q.filters(), q.said)
    return q
