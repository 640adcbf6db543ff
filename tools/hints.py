"""The shop's pre-parse of a shopper line for small models: ids, price and rating bounds, counts, copy tone and
length, likely tool.

The grammar protocol shows it on a "Hints:" line before each tool decision (see agent/models/grammar.py),
so the model copies values found deterministically here instead of recalling them from the sentence, and
sees which tool the nearest hand-labelled lines (prompts/intents.yaml, MiniLM cosine) needed. Two facts
outrank the neighbours: a line naming product ids wants a tool that takes one, and a line with a price or
rating bound and no id is a search (no other tool takes a bound).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Callable, Collection

import numpy as np

from tools.resources import load_prompt_yaml
from tools.catalog.query import parse_query
from tools.constraints import Constraints, parse_constraints
from tools.copy_style import find_length, find_tone
from tools.digest import digest
from tools.lexicon import language, to_english

__all__ = ["IntentIndex", "ShoppingHints", "search_phrase", "shopping_hints", "value_hints"]

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


def _strip_ids(text: str) -> str:
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
    phrase = " ".join(parse_query(_strip_ids(text), [], []).text.split())
    lang = language(text)
    if lang != "en":
        phrase = to_english(phrase, lang)
    for _ in range(3):
        shorter = _LEAD.sub("", _OPENER.sub("", phrase).strip(" ,.!?")).strip(" ,.!?")
        if shorter == phrase:
            break
        phrase = shorter
    return _TRAIL.sub("", phrase).strip(" ,.!?").replace('"', "").replace(";", ",")


def value_hints(text: str) -> str:
    """`ids "42", "P61"; max_price 80; min_rating 4.5; count 3`, or "-" when nothing was found."""
    parts = []
    ids = _ids(text)
    if ids:
        parts.append("ids " + ", ".join(f'"{i}"' for i in ids))
    rest = _strip_ids(text)
    parsed = parse_constraints(rest)
    for key in ("max_price", "min_price", "min_rating"):  # the order search_catalog's grammar takes them in
        value = getattr(parsed, key)
        if value is not None:
            parts.append(f"{key} {_number(value)}")
    count = _COUNT.search(rest)
    if count:
        said = next(g for g in count.groups() if g).lower()
        parts.append(f"count {_NUMBER_WORDS.get(said, said)}")
    category = _category(rest)
    if category:
        parts.append(f'category "{category}"')
    tone, length = find_tone(rest), find_length(rest)
    if tone:
        parts.append(f'tone "{tone}"')
    if length:
        parts.append(f'length "{length}"')
    return "; ".join(parts) or "-"


_MASK = re.compile(r"(?i)(?<![\w$])(?:#\s*)?p?\d+(?:[.,]\d+)?\b")


class IntentIndex:
    """k nearest labelled lines by cosine, votes weighted by similarity. Ids and numbers are masked on both
    sides: the embedding should see "compare N and N", not which ids happen to be alike."""

    def __init__(self, labelled: dict[str, list[str]], embed: Callable[[list[str]], np.ndarray], k: int = 7,
                 same: float = 0.95) -> None:
        self.labels = [tool for tool, lines in labelled.items() for _ in lines]
        self._embed, self.k, self.same = embed, k, same
        self._vectors = embed([_MASK.sub("N", line) for lines in labelled.values() for line in lines])

    def nearest(self, text: str, among: Collection[str] | None = None) -> str:
        """The tool the k nearest lines vote for (weights: similarity to the 4th power, so close lines count far
        more than loose ones); a line that all but repeats a labelled one takes its label. With `among`, only
        lines labelled with one of those tools vote."""
        sims = self._vectors @ self._embed([_MASK.sub("N", text)])[0]
        if among is not None:
            sims = np.where([label in among for label in self.labels], sims, -np.inf)
        order = np.argsort(-sims)[: self.k]
        if not np.isfinite(sims[order[0]]):
            return "none"
        if sims[order[0]] >= self.same:
            return self.labels[order[0]]
        votes: Counter[str] = Counter()
        for i in order:
            if np.isfinite(sims[i]):
                votes[self.labels[i]] += max(float(sims[i]), 0.0) ** 4
        return votes.most_common(1)[0][0]


class ShoppingHints:
    """`ids "42"; max_price 80; likely get_product`: values plus the nearest labelled lines' tool (cached)."""

    # Optional arguments the grammar takes from these hints alone. Brand and stock are never hinted, and a
    # category only when the shopper says "the X category", so the model leaves them in the query words, where
    # search_catalog's own parser reads them; a small model otherwise invents them ("brand": "Office Chair").
    arguments = frozenset({"max_price", "min_price", "min_rating", "brand", "category", "in_stock", "tone",
                           "length", "limit", "quantity"})
    # Arguments pinned to the hinted value when there is one, free otherwise (an id may come from a result).
    bindings = {"product_id": "ids", "product_ids": "ids", "based_on": "ids", "quantity": "count", "limit": "count",
                "tone": "tone", "length": "length", "category": "category"}
    # Ids also come from results (and earlier lines): a call's id must be one the conversation has shown.
    result_keys = {"ids": ("id", "product_id")}
    # The grammar protocol writes this one-line summary under each result, for the reply to copy from.
    digest = staticmethod(digest)
    # The grammar protocol takes the likely tool as settled (the model may still answer without a tool): on the
    # labelled dev lines the 270M model's own choice, where it differed from this one, was never the better one.
    decides = "likely"
    # The tools that take a product id; a line that names one wants one of these.
    id_tools = frozenset({"get_product", "compare_products", "summarize_reviews", "write_description",
                          "recommend_products", "add_to_cart", "remove_from_cart"})

    def __init__(self, index: IntentIndex | None = None) -> None:
        self._index = index
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if text not in self._cache:
            values = value_hints(text)
            parts = [] if values == "-" else [values]
            likely = self._likely(text, values)
            phrase = search_phrase(text) if likely == "search_catalog" else ""
            if phrase:  # before "likely": the query words, as written, then the tool
                parts.append(f'query "{phrase}"')
            if likely:
                parts.append("likely " + likely)
            if len(self._cache) > 4096:  # the document re-hints every user line at each step: keep them, bounded
                self._cache.clear()
            self._cache[text] = "; ".join(parts) or "-"
        return self._cache[text]

    # The price arguments a line may leave open (the soft guard; see `open_arguments`).
    price_arguments = frozenset({"max_price", "min_price"})

    def constraints(self, text: str) -> Constraints:
        """The line's price, rating and stock constraints, typed (ids left out): what the hints line shows."""
        return parse_constraints(_strip_ids(text))

    def open_arguments(self, text: str) -> frozenset[str]:
        """Governed arguments to leave open for this line rather than drop: when it names an amount of money
        but states no bound the parser can read ("something nice, about $50"), max_price and min_price may take
        one of the amounts written in the line (`constraints(text).amounts`), optional, instead of vanishing
        from the grammar (which loses the budget without a trace)."""
        return self.price_arguments if self.constraints(text).found_money_but_no_bound else frozenset()

    def knows(self, tool: str) -> bool:
        """Whether the labelled lines name `tool` (the grammar keeps a tool they don't know available)."""
        index = self._intents()
        return index is not None and tool in index.labels

    def _likely(self, text: str, values: str) -> str | None:
        has_ids = values.startswith("ids ")
        if not has_ids and re.search(r"\b(?:max_price|min_price|min_rating) ", values):
            return "search_catalog"
        index = self._intents()
        if index is None:
            return None
        # The labelled lines are English: a line in another language is compared by its English words.
        return index.nearest(to_english(text), self.id_tools if has_ids else None)

    def _intents(self) -> IntentIndex | None:
        if self._index is None:
            from tools.catalog.embed import EmbedderUnavailable, MiniLMEmbedding

            try:
                self._index = IntentIndex(load_prompt_yaml("intents.yaml"), MiniLMEmbedding().embed)
            except EmbedderUnavailable:  # values alone still help; the tool is then the model's own choice
                self._index = False  # type: ignore[assignment]
        return self._index or None


# The app's hints for ModelSettings.hints: one shared instance; its index is built on first use.
shopping_hints = ShoppingHints()
