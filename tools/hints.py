"""The shop's step preparer for small models (agent/models/prepare.py): a shopper line read for ids, price and
rating bounds, counts, copy tone and length, and the likely tool.

The grammar protocol shows the reading as a note on a "Hints:" line before each tool decision (see
agent/models/grammar.py), so the model copies values found deterministically here instead of recalling them,
and sees which tool the nearest hand-labelled lines (prompts/intents.yaml, MiniLM cosine) needed. The same
reading, as data, is the step's plan: values pinned per argument by the kind each tool declares in its
ToolAid, ids limited to those the conversation has shown. Two facts outrank the neighbours: a line naming
ids wants a tool that takes one, and a bound with no id is a search (the one tool taking bounds).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Collection, Iterable

import numpy as np

from agent.models.prepare import NONE, StepPlan, ToolAid, aid_of
from agent.tools import Tool
from tools.resources import load_prompt_yaml
from tools.catalog.query import parse_query
from tools.constraints import Constraints, parse_constraints
from tools.intents import IntentIndex, kept_embeddings
from tools.addresses import ShippingWords, read_shipping
from tools.copy_style import find_length, find_tone
from tools.order_words import cancel_reason, order_ids
from tools.lexicon import language, to_english
from tools.references import Reference, lookup_phrase, resolve, shown_items
from tools.replies import compose_reply, names_no_kind
from tools.sequels import leads_on, needs_first, sequel_plan

__all__ = ["IntentIndex", "LineValues", "Reading", "ShoppingHints", "read_values", "search_phrase", "shown_ids",
           "summary_line", "value_hints"]

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
# A line asking to find something ("show me …", "do you have …"), and one pointing at a shown item ("the
# Kettlewright one"); a question asking which shown item is cheapest, best rated, … (no action asked with it).
_ASKS_TO_FIND = re.compile(r"(?i)^\W*(?:(?:hi|hey|ok|okay|so|and|also|please|now)\W+)*(?:show|find|search|"
                           r"look(?:ing)?\s+for|do\s+you\s+(?:have|sell|carry|stock)|got\s+any|any\b|i\s+(?:need|want)|"
                           r"i'?m\s+(?:looking|after)|get\s+me|recommend|suggest)")
_THE_ONE = re.compile(r"(?i)\bthe\s+[\w&'-]+(?:\s+[\w&'-]+){0,3}\s+one\b")
_ASKS_WHICH = re.compile(r"(?i)^\W*(?:(?:and|so|ok|okay|now)\W+)*(?:which|what(?:'s|\s+is)|who)\b(?!.*\b(?:add|put|"
                         r"cart|buy|order|compare|review|reviews|describe|details?|tell\s+me|more\s+about)\b)")
# A question asking for information ("what's the return policy on P88?", "how long is the warranty?"): it
# asks for no change, so a tool that writes is not its likely tool ("how do I return …" is not one of these).
_ASKS_ABOUT = re.compile(r"(?i)^\W*(?:(?:and|so|ok|okay|now|hi|hey)\W+)*(?:what(?:'s|\s+is|\s+are|\s+was|\s+were)|"
                         r"which|how\s+(?:long|much|many|big|heavy|good)|when|why|does|is\s+(?:it|there|this|that|"
                         r"the|item|product))\b")
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
    rest = _strip_ids(text)
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


@dataclass(frozen=True)
class Reading:
    """One shopper line, read: its values, the tool the labelled lines point to, and the search words."""

    values: LineValues
    likely: str | None
    phrase: str = ""
    vague: bool = False  # a need that names no kind of product ("I need a gift"): ask, don't search


class ShoppingHints:
    """The shop's StepPreparer (agent/models/prepare.py) for small models on the grammar protocol.

    Its note on a line is `ids "42"; max_price 80; likely get_product`: values plus the nearest labelled lines'
    tool. What each tool takes (ids, counts, bounds), its summary line and which arguments only stated values
    may set come from the ToolAid each tool declares; nothing here names a tool."""

    summarizes = True

    def __init__(self, tools: Iterable[Tool], index: IntentIndex | None = None,
                 cache_dir: Callable[[], Path] | None = None) -> None:
        """`cache_dir()`: where the labelled lines' embeddings are kept between processes (none: not kept); asked
        when the index is first built, so the application's home is read then."""
        self._tools = {t.name: t for t in tools}
        self._cache_dir = cache_dir
        self._aids = {name: aid for name, t in self._tools.items() if (aid := aid_of(t)) is not None}
        self._index = index
        self._cache: dict[str, Reading] = {}

    # --- the StepPreparer protocol ---------------------------------------------------------------

    def note(self, text: str) -> str:
        reading = self.read(text)
        parts = [] if reading.values.render() == "-" else [reading.values.render()]
        text_arg = self._aids[reading.likely].text_arg if reading.likely in self._aids else None
        if reading.phrase and text_arg:  # before "likely": the query words, as written, then the tool
            parts.append(f'{text_arg} "{reading.phrase}"')
        if reading.likely:
            parts.append("likely " + reading.likely)
        return "; ".join(parts) or "-"

    def summary(self, tool: str | None, result: str) -> str:
        aid = self._aids.get(tool or "")
        return summary_line(aid, result)

    def prepare(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> StepPlan:
        start = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=None)
        if start is not None and any(m.get("role") == "tool" for m in messages[start:]):
            return self._follow_up(messages, start, tools)
        user = [m for m in messages if m.get("role") == "user"]
        reading = self.read(_content(user[-1])) if user else Reading(LineValues(), None)
        found = reading.values.by_kind()
        shown = tuple(shown_ids(messages, self.read))
        likely = reading.likely
        reference = self.reference(messages) if user and "id" not in found else None
        if reference is not None and reference.how == "pronoun" and likely in self._aids and \
                "id" not in self._aids[likely].values.values():
            reference = None  # "ship it to 1 Elm St": an "it" that a tool taking no product means nothing to
        if reading.vague and reference is None:
            return StepPlan(tool=NONE)  # "I need a gift": what kind of thing? (compose asks)
        if reference is not None and reference.how == "superlative" and _ASKS_WHICH.search(_content(user[-1])):
            return StepPlan(tool=NONE)  # "which of those is the cheapest?": the shown data answers (compose)
        if reference is not None:  # "the cheaper one", "it": the ids it means are pinned like typed ones
            found["id"] = reference.ids
            likely = self._likely_for_ids(_content(user[-1]), likely)
        lookup = self._lookup(messages, start) if reference is None and "id" not in found else None
        if lookup is not None:  # "put the Ember & Bean coffee in my cart", nothing of that name shown: find it
            search, phrase = lookup
            likely, found = search, {**found, "text": (phrase,)}
        # "ship it to 1 Elm St, …" with no checkout yet: start one first (choose_shipping comes after it); a
        # line asking for such a chain settles its first call ("none" is not offered)
        first = needs_first(likely, messages, self._aids, {t["function"]["name"] for t in tools})
        chain = first is not None or leads_on(likely, found, self._aids)
        likely = first or likely
        # A line naming money but no bound the parser reads: the price arguments stay open (the model takes an
        # amount written in the line) instead of vanishing with the budget.
        open_args = self.open_arguments(_content(user[-1])) if user else frozenset()
        pins: dict[str, dict[str, tuple[Any, ...]]] = {}
        seen: dict[str, dict[str, tuple[Any, ...]]] = {}
        governed: dict[str, frozenset[str]] = {}
        for spec in tools:
            name = spec["function"]["name"]
            aid = self._aids.get(name)
            if aid is None:
                continue  # a tool that declares nothing is left to the model
            pins[name] = {arg: found[kind] for arg, kind in aid.values.items() if kind in found}
            if lookup is not None and name == lookup[0] and aid.text_arg:
                pins[name][aid.text_arg] = found["text"]
            seen[name] = {arg: shown for arg, kind in aid.values.items() if kind == "id" and arg not in pins[name]}
            governed[name] = aid.governed - open_args
        # The likely tool is taken as settled (the model may still answer without a tool): on the labelled dev
        # lines the 270M model's own choice, where it differed from this one, was never the better one.
        index = self._intents()
        settles = frozenset(index.labels) if index is not None else frozenset()
        return StepPlan(pins=pins, shown=seen, governed=governed, tool=likely, settles=settles, required=chain)

    def _lookup(self, messages: list[dict[str, Any]], start: int | None) -> tuple[str, str] | None:
        """(search tool, words) when the line acts on a product by a name nothing shown matches."""
        if start is None:
            return None
        text = _content(messages[start])
        likely = self.read(text).likely
        searches = [n for n, a in self._aids.items() if a.text_arg]
        aid = self._aids.get(likely or "")
        # only a tool that needs an id to act (an optional one, like a return's items or what recommendations
        # are based on, has a default: "recommend something based on what I usually buy" names no product)
        fields = self._tools[likely].args_model.model_fields if aid is not None else {}
        if aid is None or not any(k == "id" and a not in aid.governed and a in fields and fields[a].is_required()
                                  for a, k in aid.values.items()) or len(searches) != 1:
            return None
        phrase = lookup_phrase(text)
        return (searches[0], phrase) if phrase else None

    def _follow_up(self, messages: list[dict[str, Any]], start: int, tools: list[dict[str, Any]]) -> StepPlan:
        """After a lookup this turn, the action the line asked for, on the first item found; after another
        result, the call the line still asks for (tools/sequels.py); else no more calls."""
        sequel = sequel_plan(messages, start, self.read(_content(messages[start])).values.by_kind(), self._aids,
                             self._tools, {t["function"]["name"] for t in tools})
        if sequel is not None:
            return sequel
        lookup = self._lookup(messages, start)
        calls = [tc["function"]["name"] for m in messages[start:] if m.get("role") == "assistant"
                 for tc in m.get("tool_calls") or []]
        results = [m for m in messages[start:] if m.get("role") == "tool"]
        if lookup is None or calls != [lookup[0]] or len(results) != 1:
            return StepPlan()
        found = _in_context(shown_items(results).last, shown_items(messages[:start]).last)
        action = self.read(_content(messages[start])).likely or ""
        aid = self._aids.get(action)
        if not found or aid is None:
            return StepPlan()
        values = {**self.read(_content(messages[start])).values.by_kind(), "id": (found[0].get("id"),)}
        pins = {action: {arg: values[kind] for arg, kind in aid.values.items() if kind in values}}
        return StepPlan(pins=pins, governed={action: aid.governed}, tool=action)

    def reference(self, messages: list[dict[str, Any]]) -> Reference | None:
        """What the last user line refers to among the items the conversation showed before it (None: nothing,
        or names that are words to search for)."""
        last = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=None)
        if last is None:
            return None
        text = _content(messages[last])
        reference = resolve(text, shown_items(messages[:last]))
        likely = self.read(text).likely
        if reference is None:
            return None
        if reference.how == "name" and likely in self._aids and self._aids[likely].text_arg and \
                (_ASKS_TO_FIND.search(text) and not _THE_ONE.search(text)):
            return None  # "show me Kettlewright kettles": words to search for, though a shown title has them
        return reference

    def compose(self, messages: list[dict[str, Any]]) -> str | None:
        return compose_reply(messages, self._aids, self.read, self.reference)

    # --- reading a line ----------------------------------------------------------------------------

    def read(self, text: str) -> Reading:
        """The line's values, likely tool and search words (cached: the document re-reads every line)."""
        if text not in self._cache:
            values = read_values(text)
            likely = self._likely(text, values)
            aid = self._aids.get(likely or "")
            phrase = search_phrase(text) if aid is not None and aid.text_arg else ""
            vague = not values.ids and not values.has_bound and values.category is None and \
                likely in self._finders() and names_no_kind(search_phrase(text))
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[text] = Reading(values, likely, phrase, vague)
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
        """Whether the labelled lines name `tool` (a tool they don't know stays available)."""
        index = self._intents()
        return index is not None and tool in index.labels

    def _likely(self, text: str, values: LineValues) -> str | None:
        # Two facts outrank the neighbours: a line naming ids wants a tool that takes one, and a bound with no
        # id is a search (the one tool whose arguments take bounds).
        bounded = [n for n, a in self._aids.items() if {"max_price", "min_price", "min_rating"} & set(a.values.values())]
        if not values.ids and values.has_bound and len(bounded) == 1:
            return bounded[0]
        index = self._intents()
        if index is None:
            return None
        # The labelled lines are English: a line in another language is compared by its English words.
        return index.nearest(to_english(text), self._among(text, index, bool(values.ids)))

    def _among(self, text: str, index: IntentIndex, ids: bool) -> set[str] | None:
        """The tools a line's labelled neighbours may vote for (None: all): those taking ids when it names or
        means some, and none that writes when it only asks for information."""
        among = {n for n, a in self._aids.items() if "id" in a.values.values()} if ids else None
        if _ASKS_ABOUT.search(text):
            among = (set(index.labels) if among is None else among) - {n for n, t in self._tools.items() if t.writes}
        return among

    def _finders(self) -> set[str]:
        """The tools that find products from words or from nothing: a search, recommendations."""
        def optional_ids(name: str, aid: ToolAid) -> bool:  # takes ids but needs none (recommendations)
            fields = self._tools[name].args_model.model_fields
            ids = [arg for arg, kind in aid.values.items() if kind == "id"]
            return bool(ids) and not self._tools[name].writes and not any(
                arg in fields and fields[arg].is_required() for arg in ids)

        return {n for n, a in self._aids.items() if a.text_arg or optional_ids(n, a)}

    def _likely_for_ids(self, text: str, likely: str | None) -> str | None:
        """The likely tool for a line that refers to shown items: one that takes ids."""
        id_tools = {n for n, a in self._aids.items() if "id" in a.values.values()}
        if likely in id_tools:
            return likely
        index = self._intents()
        return index.nearest(to_english(text), self._among(text, index, True)) if index is not None else likely

    def _intents(self) -> IntentIndex | None:
        if self._index is None:
            from tools.catalog.embed import EmbedderUnavailable, MiniLMEmbedding

            try:
                embedder = MiniLMEmbedding()
                embed = embedder.embed if self._cache_dir is None else \
                    kept_embeddings(embedder.embed, self._cache_dir(), embedder.embedder_id)
                self._index = IntentIndex(load_prompt_yaml("intents.yaml"), embed)
            except EmbedderUnavailable:  # values alone still help; the tool is then the model's own choice
                self._index = False  # type: ignore[assignment]
        return self._index or None


def _in_context(found: list[dict[str, Any]], before: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The looked-up items, those of a category the conversation was just browsing first ("the Brewhaus Crema"
    after gooseneck kettles is the kettle, not the espresso machine of the same name)."""
    def words(item: dict[str, Any]) -> set[str]:
        return set(re.findall(r"[a-z]{3,}", f"{item.get('title', '')} {item.get('category', '')}".lower()))

    counts: dict[str, int] = {}
    for item in before:
        for w in words(item):
            counts[w] = counts.get(w, 0) + 1
    kind = {w for w, n in counts.items() if 2 * n >= len(before)} if len(before) >= 2 else set()
    # a stable sort: among items as close to that kind, the search's own order stays
    return sorted(found, key=lambda i: -len(words(i) & kind)) if kind else found


def summary_line(aid: ToolAid | None, result: str) -> str:
    """A tool's summary of its result text ("" when it declares none, or the result is no JSON object, like
    an error message, which the model reads as it is)."""
    if aid is None or aid.summarize is None:
        return ""
    try:
        data = json.loads(result)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    try:
        return " ".join(aid.summarize(data).split())
    except (KeyError, TypeError, ValueError, AttributeError):  # a result of another shape: no summary
        return ""


_ID_KEYS = ("id", "product_id")


def shown_ids(messages: list[dict[str, Any]], read: Callable[[str], Reading]) -> list[str]:
    """The ids this conversation has shown, in order: named in user lines, or in tool results (their data)."""
    out: list[str] = []
    for m in messages:
        if m.get("role") == "user":
            out += read(_content(m)).values.ids
        elif m.get("role") == "tool":
            try:
                out += _ids_in(json.loads(_content(m)))
            except ValueError:
                continue
    return list(dict.fromkeys(out))


def _ids_in(data: Any) -> list[str]:
    if isinstance(data, dict):
        found = [str(data[k]) for k in _ID_KEYS if isinstance(data.get(k), str)]
        return found + [i for v in data.values() if isinstance(v, (dict, list)) for i in _ids_in(v)]
    if isinstance(data, list):
        return [i for v in data for i in _ids_in(v)]
    return []


def _content(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content or "")
