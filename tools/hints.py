"""The shop's pre-parse of a shopper line for small models: ids, price and rating bounds, counts, likely tool.

The grammar protocol shows it on a "Hints:" line before each tool decision (see agent/models/grammar.py),
so the model copies values found deterministically here instead of recalling them from the sentence, and
sees which tool the nearest hand-labelled lines (prompts/intents.yaml, MiniLM cosine) needed.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable

import numpy as np

from agent.prompts import load_yaml
from tools.catalog.query import parse_query

__all__ = ["IntentIndex", "ShoppingHints", "shopping_hints", "value_hints"]

# "product 42", "item P42", "P0042", "#42", "items 51 and 61", "products 3, 4 or 9".
_ID_LIST = re.compile(r"(?i)\b(?:products?|items?|ids?)\s*#?\s*(p?\d+(?:\s*(?:,|and|or|&|vs\.?|versus)\s*"
                      r"(?:(?:product|item)\s*)?#?\s*p?\d+)*)\b")
_PID = re.compile(r"(?i)(?<![\w$.])(?:#\s*)?p\d+\b|(?<![\w$.])#\d+\b")
_NUM_IN_LIST = re.compile(r"(?i)p?\d+")
# A count the shopper states: "3 of", "5 x", "1 unit", "top 4", "3 alternatives", "a few"-less numbers only.
_COUNT = re.compile(r"(?i)\b(?:top|best)\s+(\d{1,2})\b|(?<![\d.,])\b(\d{1,2})\s*(?:x(?![\w-])|×|of\b|units?\b|pcs\b|pieces?\b|"
                    r"more\b|alternatives?\b|options?\b|picks?\b|suggestions?\b|recommendations?\b|ideas?\b|"
                    r"things\b|similar\b|others?\b)")
# parse_query reads "nothing over 80" as a lower bound (it sees "over 80"); shoppers mean a cap.
_NOT_OVER = re.compile(r"(?i)\b(?:nothing|not(?:hing)?|none|no(?:thing)?)\s+(?:over|above|more\s+than)\b")


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


def _strip_ids(text: str) -> str:
    return _PID.sub(" ", _ID_LIST.sub(" ", text))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def value_hints(text: str) -> str:
    """`ids "42", "P61"; max_price 80; min_rating 4.5; count 3`, or "-" when nothing was found."""
    parts = []
    ids = _ids(text)
    if ids:
        parts.append("ids " + ", ".join(f'"{i}"' for i in ids))
    rest = _strip_ids(text)
    parsed = parse_query(_NOT_OVER.sub("no more than", rest), [], [])
    for key in ("max_price", "min_price", "min_rating"):  # the order search_catalog's grammar takes them in
        value = getattr(parsed, key)
        if value is not None:
            parts.append(f"{key} {_number(value)}")
    count = _COUNT.search(rest)
    if count:
        parts.append(f"count {count.group(1) or count.group(2)}")
    return "; ".join(parts) or "-"


_MASK = re.compile(r"(?i)(?<![\w$])(?:#\s*)?p?\d+(?:[.,]\d+)?\b")


class IntentIndex:
    """k nearest labelled lines by cosine, votes weighted by similarity. Ids and numbers are masked on both
    sides: the embedding should see "compare N and N", not which ids happen to be alike."""

    def __init__(self, labelled: dict[str, list[str]], embed: Callable[[list[str]], np.ndarray], k: int = 5) -> None:
        self.labels = [tool for tool, lines in labelled.items() for _ in lines]
        self._embed, self.k = embed, k
        self._vectors = embed([_MASK.sub("N", line) for lines in labelled.values() for line in lines])

    def nearest(self, text: str) -> str:
        sims = self._vectors @ self._embed([_MASK.sub("N", text)])[0]
        votes: Counter[str] = Counter()
        for i in np.argsort(-sims)[: self.k]:
            votes[self.labels[i]] += float(sims[i])
        return votes.most_common(1)[0][0]


class ShoppingHints:
    """`ids "42"; max_price 80; likely get_product`: values plus the nearest labelled lines' tool (cached)."""

    # Optional arguments the grammar takes from these hints alone. Brand, category and stock are never hinted,
    # so the model leaves them in the query words, where search_catalog's own parser reads them; a small
    # model otherwise invents them ("brand": "Office Chair").
    arguments = frozenset({"max_price", "min_price", "min_rating", "brand", "category", "in_stock"})

    def __init__(self, index: IntentIndex | None = None) -> None:
        self._index = index
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if text not in self._cache:
            values = value_hints(text)
            parts = [] if values == "-" else [values]
            index = self._intents()
            if index is not None:
                parts.append("likely " + index.nearest(text))
            if len(self._cache) > 4096:  # the document re-hints every user line at each step: keep them, bounded
                self._cache.clear()
            self._cache[text] = "; ".join(parts) or "-"
        return self._cache[text]

    def _intents(self) -> IntentIndex | None:
        if self._index is None:
            from tools.catalog.embed import EmbedderUnavailable, MiniLMEmbedding

            try:
                self._index = IntentIndex(load_yaml("intents.yaml"), MiniLMEmbedding().embed)
            except EmbedderUnavailable:  # values alone still help; the tool is then the model's own choice
                self._index = False  # type: ignore[assignment]
        return self._index or None


_DEFAULT: Any = None


def _shared() -> ShoppingHints:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = ShoppingHints()
    return _DEFAULT


def shopping_hints(text: str) -> str:
    """The app's hints function for ModelSettings.hints (one shared, lazily built index)."""
    return _shared()(text)


shopping_hints.arguments = ShoppingHints.arguments  # type: ignore[attr-defined]
