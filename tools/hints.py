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
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, get_origin

import numpy as np

from agent.models.prepare import NONE, StepPlan, ToolAid, aid_of
from agent.tools import Tool
from tools.resources import load_prompt_yaml
from tools.constraints import Constraints, parse_constraints
from tools.intents import IntentIndex, kept_embeddings
from tools.lexicon import language, to_english
from tools.line_values import LineValues, read_values, search_phrase, strip_ids, value_hints
from tools.references import Reference, lookup_phrase, names_in, resolve, shown_items
from tools.replies import compose_reply, names_no_kind
from tools.sequels import leads_on, needs_first, sequel_plan

__all__ = ["IntentIndex", "LineValues", "Reading", "ShoppingHints", "read_values", "search_phrase", "shown_ids",
           "summary_line", "value_hints"]

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
                 cache_dir: Callable[[], Path] | None = None, known_lines: Iterable[str] = ()) -> None:
        """`cache_dir()`: where the labelled lines' embeddings are kept between processes (none: not kept); asked
        when the index is first built, so the application's home is read then. `known_lines`: lines every
        prompt shows (the few-shot bank's users), embedded with the labelled ones when the index is built."""
        self._known_lines = [to_english(line) for line in known_lines]
        self._tools = {t.name: t for t in tools}
        self._cache_dir = cache_dir
        self._aids = {name: aid for name, t in self._tools.items() if (aid := aid_of(t)) is not None}
        self._index = index
        self._cache: dict[str, Reading] = {}
        self._named: dict[str, str | None] = {}  # _named_action's answers (it embeds the masked line)

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
        if user and lookup is None and likely in pins and self._aids[likely].text_arg:
            self._pin_words(pins[likely], self._aids[likely].text_arg, reading, _content(user[-1]), messages)
        # The likely tool is taken as settled (the model may still answer without a tool): on the labelled dev
        # lines the 270M model's own choice, where it differed from this one, was never the better one.
        index = self._intents()
        settles = frozenset(index.labels) if index is not None else frozenset()
        return StepPlan(pins=pins, shown=seen, governed=governed, tool=likely, settles=settles, required=chain)

    @staticmethod
    def _pin_words(pins: dict[str, tuple[Any, ...]], arg: str, reading: Reading, text: str,
                   messages: list[dict[str, Any]]) -> None:
        """The search words, where the model cannot be trusted to write them: a line in another language gets
        its product words in English (the 270M model copies the line, which an English catalog does not match);
        a bound on what was just searched ("only the ones under $40") keeps the earlier search's words."""
        if reading.phrase and language(text) != "en":
            pins[arg] = (reading.phrase,)
        elif reading.values.has_bound and not set(re.findall(r"[a-z]+", reading.phrase.lower())) - _REFINING:
            earlier = [_arguments(tc).get(arg) for m in messages[:-1] if m.get("role") == "assistant"
                       for tc in m.get("tool_calls") or []]
            earlier = [q for q in earlier if isinstance(q, str) and q.strip()]
            if earlier:
                pins[arg] = (earlier[-1],)

    def _lookup(self, messages: list[dict[str, Any]], start: int | None) -> tuple[str, str] | None:
        """(search tool, words) when the line acts on a product by a name nothing shown matches."""
        if start is None:
            return None
        text = _content(messages[start])
        likely = self._named_action(text)
        searches = [n for n, a in self._aids.items() if a.text_arg]
        # only a tool that needs an id to act (an optional one, like a return's items or what recommendations
        # are based on, has a default: "recommend something based on what I usually buy" names no product)
        if not self._needs_id(likely) or len(searches) != 1:
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
        action = self._named_action(_content(messages[start])) or ""
        aid = self._aids.get(action)
        if not found or aid is None:
            return StepPlan()
        values = {**self.read(_content(messages[start])).values.by_kind(), "id": (found[0].get("id"),)}
        pins = {action: {arg: values[kind] for arg, kind in aid.values.items() if kind in values}}
        # The item found carries every name the line wrote ("Kettlewright Barista French Press"): the call the
        # line asked for is made, not left to a small model that tends to stop at the list. A looser match may
        # still be taken by the model, or it says what it found.
        title = f"{found[0].get('brand') or ''} {found[0].get('title') or ''}".lower()
        names = names_in(_content(messages[start]))
        named = bool(names) and all(w in title for name in names for w in name.lower().split() if w != "&")
        return StepPlan(pins=pins, governed={action: aid.governed}, tool=action, required=named)

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
                self._named.clear()
            self._cache[text] = Reading(values, likely, phrase, vague)
        return self._cache[text]

    # The price arguments a line may leave open (the soft guard; see `open_arguments`).
    price_arguments = frozenset({"max_price", "min_price"})

    def constraints(self, text: str) -> Constraints:
        """The line's price, rating and stock constraints, typed (ids left out): what the hints line shows."""
        return parse_constraints(strip_ids(text))

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

    def _named_action(self, text: str) -> str | None:
        """The likely tool of a line that names a product nothing shown matches, read with the name masked.
        "put the Kettlewright Barista French Press in my cart": the name's words outweigh the action's in the
        embedding; the labelled lines write a product as "N" (masked ids), so the line is read so too. Only a
        search or a look at state gives way, and only to an action on a product ("show me Kettlewright kettles"
        stays a search, "ship my order to 9 Oak Ave, Portland" an address change, "a flight to London" none).
        Cached: every step of a turn asks again, and the answer costs an embedding."""
        if text not in self._named:
            self._named[text] = self._read_named(text)
        return self._named[text]

    def _read_named(self, text: str) -> str | None:
        reading, index = self.read(text), self._intents()
        likely = reading.likely
        tool = self._tools.get(likely or "")
        aid = self._aids.get(likely or "")
        gives_way = tool is not None and (bool(aid and aid.text_arg) or not tool.writes and not any(
            f.is_required() for f in tool.args_model.model_fields.values()))
        if index is None or not gives_way or reading.values.ids or _ASKS_TO_FIND.search(text) or \
                language(text) != "en":
            return likely
        masked = text
        for name in names_in(text):
            masked = masked.replace(name, "N")
        asks = [w for w in re.findall(r"[A-Za-z]+", masked) if w != "N"]  # "Merry Christmas!" asks nothing
        if masked == text or len(asks) < 2:
            return likely
        acting = index.nearest(masked, self._among(masked, index, False))
        return acting if self._needs_id(acting) and not self._takes_many(acting) else likely

    def _takes_many(self, name: str | None) -> bool:
        """Whether the tool's product argument is a list (a comparison): one looked-up name cannot fill it."""
        aid, tool = self._aids.get(name or ""), self._tools.get(name or "")
        fields = tool.args_model.model_fields if tool is not None else {}
        return aid is not None and any(k == "id" and a in fields and get_origin(fields[a].annotation) in (list, tuple)
                                       for a, k in aid.values.items())

    def _needs_id(self, name: str | None) -> bool:
        """Whether the tool cannot act without a product id (a lookup comes first when none is shown)."""
        aid = self._aids.get(name or "")
        fields = self._tools[name].args_model.model_fields if aid is not None and name in self._tools else {}
        return any(k == "id" and a not in aid.governed and a in fields and fields[a].is_required()
                   for a, k in (aid.values.items() if aid is not None else ()))

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
                self._index = IntentIndex(load_prompt_yaml("intents.yaml"), embed, known=self._known_lines)
            except EmbedderUnavailable:  # values alone still help; the tool is then the model's own choice
                self._index = False  # type: ignore[assignment]
        return self._index or None


# The words of a line that narrows what was just shown ("only the ones under $40", "just those, max $20").
_REFINING = frozenset("only just the ones one those these them of show me any please ok okay then and now what "
                      "about how cheaper lower less".split())


def _arguments(call: dict[str, Any]) -> dict[str, Any]:
    try:
        args = json.loads(call.get("function", {}).get("arguments") or "{}")
    except (TypeError, ValueError):
        return {}
    return args if isinstance(args, dict) else {}


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
    seen = {item.get("id") for item in before}
    # a stable sort: an item the list just showed first (two Brewhaus Crema kettles, one of them shown), then
    # those closest to that kind; among items as close, the search's own order stays
    return sorted(found, key=lambda i: (i.get("id") not in seen, -len(words(i) & kind)))


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
