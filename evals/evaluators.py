"""Evaluators: small objects that look at a turn (or a whole case run) and return pass/fail with a reason."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Callable, Iterator, Protocol

from agent.events import ToolCallEvent
from evals.matching import arg_problem, call_problem, describe_call, describe_matcher
from evals.suite import CallMatcher, Case, Suite, ToolsExpect, Turn

from evals.records import RunRecord, TurnRecord

__all__ = ["CASE_RULES", "TURN_RULES", "Evaluator", "Verdict", "arg_problem", "call_problem", "case_evaluators",
           "describe_call", "describe_matcher", "turn_evaluators"]


@dataclass
class Verdict:
    ok: bool
    reason: str
    evaluator: str


class Evaluator(Protocol):
    name: str

    def evaluate(self, record: Any) -> Verdict:
        ...


def _verdict(name: str, problem: str | None, ok_reason: str = "ok") -> Verdict:
    return Verdict(problem is None, problem or ok_reason, name)


# ---------------------------------------------------------------- tool calls (the matching itself: evals/matching.py)
def _closest(m: CallMatcher, calls: list[ToolCallEvent]) -> str:
    """Why the nearest calls did not match: the useful half of a 'call not made' reason."""
    notes = []
    if any(call_problem(m, c) is None for c in calls):
        notes.append("each call it matches is claimed by another expected call")
    miss = next(((c, p) for c in calls if fnmatchcase(c.name, m.name) and (p := call_problem(m, c))), None)
    if miss:
        notes.append(f"closest call {describe_call(miss[0])}: {miss[1]}")
    return "".join(f"; {n}" for n in notes)


def _all_calls(calls: list[ToolCallEvent]) -> str:
    return ", ".join(describe_call(c) for c in calls) or "none"


@dataclass
class ToolCalls:
    """The expected calls were made, in the order mode asked for."""

    expect: ToolsExpect
    name: str = "tool_calls"

    def evaluate(self, record: TurnRecord) -> Verdict:
        return _verdict(self.name, getattr(self, "_" + self.expect.order)(record.calls))

    def _exact(self, calls: list[ToolCallEvent]) -> str | None:
        want = self.expect.calls
        if len(calls) != len(want):
            return f"expected exactly {len(want)} call(s) {[describe_matcher(m) for m in want]}, got {len(calls)}: " \
                   f"{_all_calls(calls)}"
        for i, (m, c) in enumerate(zip(want, calls, strict=True)):
            if problem := call_problem(m, c):
                return f"call #{i + 1} {describe_call(c)} does not match {describe_matcher(m)}: {problem}"
        return None

    def _in_order(self, calls: list[ToolCallEvent]) -> str | None:
        pos = 0
        for i, m in enumerate(self.expect.calls):
            hit = next((j for j in range(pos, len(calls)) if call_problem(m, calls[j]) is None), None)
            if hit is None:
                early = " after the previous expected call" if any(
                    call_problem(m, c) is None for c in calls[:pos]) else ""  # made, but out of order
                return f"expected call #{i + 1} {describe_matcher(m)} (in order) was not made{early}" \
                       f"{_closest(m, calls[pos:])}; calls: {_all_calls(calls)}"
            pos = hit + 1
        return None

    def _unordered(self, calls: list[ToolCallEvent]) -> str | None:
        # a matching (not greedy): a loose matcher must not steal the only call a strict one accepts
        owner: dict[int, int] = {}

        def place(i: int, seen: set[int]) -> bool:
            for j, c in enumerate(calls):
                if j not in seen and call_problem(self.expect.calls[i], c) is None:
                    seen.add(j)
                    if j not in owner or place(owner[j], seen):
                        owner[j] = i
                        return True
            return False

        for i, m in enumerate(self.expect.calls):
            if not place(i, set()):
                return (f"expected call {describe_matcher(m)} was not made{_closest(m, calls)}; "
                        f"calls: {_all_calls(calls)}")
        return None


@dataclass
class ForbiddenCalls:
    """None of the forbidden calls was made."""

    forbid: list[CallMatcher]
    name: str = "forbidden_calls"

    def evaluate(self, record: TurnRecord) -> Verdict:
        bad = [f"{describe_call(c)} matches forbidden {describe_matcher(m)}"
               for c in record.calls for m in self.forbid if call_problem(m, c) is None]
        return _verdict(self.name, "; ".join(bad) or None)


# ---------------------------------------------------------------- reply text
def _fold(text: str, case_sensitive: bool) -> str:
    return text if case_sensitive else text.casefold()


@dataclass
class ReplyCheck:
    """A text check on the reply; `mode` picks which (contains, contains_any, not_contains, regex)."""

    mode: str
    needles: list[str]
    case_sensitive: bool = False

    @property
    def name(self) -> str:
        return "reply_" + self.mode

    def evaluate(self, record: TurnRecord) -> Verdict:
        reply = record.reply
        text = _fold(reply, self.case_sensitive)
        found = {n: _fold(n, self.case_sensitive) in text for n in self.needles}
        if self.mode == "regex":
            flags = 0 if self.case_sensitive else re.I
            missing = [f"/{p}/" for p in self.needles if not re.search(p, reply, flags)]
            problem = f"reply does not match {', '.join(missing)}" if missing else None
        elif self.mode == "contains":
            missing = [n for n, ok in found.items() if not ok]
            problem = f"reply lacks {missing!r}" if missing else None
        elif self.mode == "contains_any":
            problem = None if any(found.values()) else f"reply contains none of {self.needles!r}"
        else:
            present = [n for n, ok in found.items() if ok]
            problem = f"reply contains {present!r}" if present else None
        return _verdict(self.name, problem and f"{problem}; reply: {_clip(reply)}")


@dataclass
class MaxLength:
    limit: int
    name: str = "reply_max_length"

    def evaluate(self, record: TurnRecord) -> Verdict:
        n = len(record.reply)
        return _verdict(self.name, f"reply is {n} characters, limit {self.limit}" if n > self.limit else None)


def _clip(text: str, n: int = 160) -> str:
    return repr(text if len(text) <= n else text[:n] + "…")


def _walk(data: Any, key: str | None = None) -> Iterator[tuple[str | None, Any]]:
    """Every leaf of a JSON-like value with the key it sits under."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, str(k))
    elif isinstance(data, list):
        for v in data:
            yield from _walk(v, key)
    else:
        yield key, data


def products_in(results: list[Any]) -> tuple[set[str], set[str]]:
    """Product ids and titles found in tool results (keys id/product_id and title/product_title)."""
    ids, titles = set(), set()
    for key, value in _walk(results):
        if isinstance(value, (str, int)) and not isinstance(value, bool) and key in ("id", "product_id"):
            ids.add(str(value))
        elif isinstance(value, str) and key in ("title", "product_title") and value.strip():
            titles.add(value.strip())
    return ids, titles


@dataclass
class Mentions:
    """The reply names at least one product (id or title) the tools returned in the turn or conversation."""

    scope: str = "turn"
    name: str = "mentions"

    def evaluate(self, record: TurnRecord) -> Verdict:
        results = record.results + (record.earlier_results if self.scope == "conversation" else [])
        ids, titles = products_in(results)
        if not ids and not titles:
            return _verdict(self.name, f"the tools returned no products in this {self.scope} to mention")
        text = record.reply.casefold()
        # ids whole-word (a numeric id "1" must not match "$12"); titles as plain substrings
        hit = next((x for x in sorted(ids) if re.search(rf"(?<!\w){re.escape(x)}(?!\w)", record.reply, re.I)),
                   None) or next((t for t in sorted(titles) if t.casefold() in text), None)
        return _verdict(self.name, None if hit else
                        f"reply names none of the {len(ids)} product id(s)/{len(titles)} title(s) returned; "
                        f"reply: {_clip(record.reply)}", f"mentions {hit!r}")


# ---------------------------------------------------------------- grounding
_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
PRICE_PATTERNS = [rf"[$€£]\s?{_NUM}", rf"\b(?:USD|EUR|GBP)\s?{_NUM}",
                  rf"{_NUM}\s?(?:USD|EUR|GBP|dollars?|euros?|bucks)\b"]
RATING_PATTERNS = [rf"{_NUM}\s?(?:/\s?5\s?|out of 5\s?)?-?stars?\b", rf"{_NUM}\s?(?:/|out of)\s?5\b",
                   rf"\brated\s+(?:at\s+)?{_NUM}", rf"\brating(?:\s+of)?[:\s]+{_NUM}"]
_RESULT_NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")


def claimed_numbers(reply: str) -> list[tuple[str, str, float]]:
    """(kind, span, value) for every price and rating the reply states."""
    found: dict[tuple[int, int], tuple[str, str, float]] = {}
    for kind, patterns in (("price", PRICE_PATTERNS), ("rating", RATING_PATTERNS)):
        for pattern in patterns:
            for m in re.finditer(pattern, reply, re.I):
                if not any(s <= m.start(1) < e for s, e in found):  # one claim per number
                    found[m.span(1)] = (kind, m.group(0).strip(), float(m.group(1).replace(",", "")))
    return [found[k] for k in sorted(found)]


def known_numbers(sources: list[Any]) -> list[float]:
    """Numbers in tool results: numeric leaves and numbers written inside strings ("$12.99", "4.5/5")."""
    out: list[float] = []
    for _, value in _walk(sources):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(float(value))
        elif isinstance(value, str):
            out += [float(n.replace(",", "")) for n in _RESULT_NUMBER.findall(value)]
    return out


@dataclass
class Grounded:
    """Every price, rating and product id in the reply appears in a tool result of the conversation."""

    id_pattern: str
    tolerance: float = 0.005
    name: str = "grounded"

    def evaluate(self, record: TurnRecord) -> Verdict:
        # the shopper's own words count as a source too: echoing "under $50" back is not an invention
        sources = [*record.earlier_results, *record.results, *record.earlier_user, record.user]
        numbers = known_numbers(sources)
        blob = json.dumps(sources, ensure_ascii=False, default=str)
        bad = [f"{kind} {span!r}" for kind, span, value in claimed_numbers(record.reply)
               if not any(abs(value - n) <= self.tolerance for n in numbers)]
        bad += [f"product id {m.group(0)!r}" for m in re.finditer(self.id_pattern, record.reply)
                if not re.search(rf"(?<![\w]){re.escape(m.group(0))}(?![\w])", blob)]
        problem = f"not in any tool result: {', '.join(bad)}; reply: {_clip(record.reply)}" if bad else None
        return _verdict(self.name, problem)


# ---------------------------------------------------------------- case level: state and budget
@dataclass
class StateMatches:
    """One named part of the environment's state after the case (the shop's `cart`) equals the expected value."""

    key: str
    expected: Any
    name: str = "state"

    def evaluate(self, record: RunRecord) -> Verdict:
        if record.state is None:
            return _verdict(self.name, f"the {self.key} could not be read after the case: "
                                       f"{record.state_error or 'no state'}")
        if self.key not in record.state:
            return _verdict(self.name, f"the environment reports no state named {self.key!r} "
                                       f"(it has: {', '.join(sorted(record.state)) or 'none'})")
        actual = record.state[self.key]
        if actual == self.expected:
            return _verdict(self.name, None)
        if isinstance(actual, dict) and isinstance(self.expected, dict):  # a mapping: say which keys differ
            diff = [f"{k}: {actual.get(k, 0)} (expected {self.expected.get(k, 0)})"
                    for k in sorted(set(actual) | set(self.expected), key=str)
                    if actual.get(k, 0) != self.expected.get(k, 0)]
            return _verdict(self.name, f"{self.key} differs: {', '.join(diff)}")
        return _verdict(self.name, f"{self.key} is {actual!r}, expected {self.expected!r}")


@dataclass
class BudgetCheck:
    """One limit over the whole case run: steps, seconds or tokens."""

    what: str
    limit: float
    measure: Callable[[RunRecord], float]

    @property
    def name(self) -> str:
        return "budget_" + self.what

    def evaluate(self, record: RunRecord) -> Verdict:
        used = self.measure(record)
        return _verdict(self.name, f"used {used:.4g} {self.what}, budget {self.limit:g}" if used > self.limit else None,
                        f"used {used:.4g} {self.what}")


# ---------------------------------------------------------------- from the suite's expectations to evaluators
# Each rule reads one part of the spec and returns the evaluators it implies: a new assertion is a new rule.
TurnRule = Callable[[Turn, Case, Suite], list[Evaluator]]
CaseRule = Callable[[Case, Suite], list[Evaluator]]


def _tools_rule(turn: Turn, case: Case, suite: Suite) -> list[Evaluator]:
    t = turn.tools
    if t is None:
        return []
    checks: list[Evaluator] = []
    if t.calls or t.order == "exact":
        checks.append(ToolCalls(t))
    if t.forbid:
        checks.append(ForbiddenCalls(t.forbid))
    return checks


def _reply_rule(turn: Turn, case: Case, suite: Suite) -> list[Evaluator]:
    r = turn.reply
    if r is None:
        return []
    checks: list[Evaluator] = [ReplyCheck(mode, getattr(r, mode), r.case_sensitive)
                               for mode in ("contains", "contains_any", "not_contains", "regex") if getattr(r, mode)]
    if r.max_length:
        checks.append(MaxLength(r.max_length))
    if r.mentions:
        checks.append(Mentions("conversation" if r.mentions == "conversation" else "turn"))
    return checks


def _grounded_rule(turn: Turn, case: Case, suite: Suite) -> list[Evaluator]:
    on = case.grounded if turn.grounded is None else turn.grounded
    return [Grounded(suite.id_pattern)] if on else []


def _state_rule(case: Case, suite: Suite) -> list[Evaluator]:
    return [StateMatches(key, value) for key, value in case.state.root.items()] if case.state else []


def _budget_rule(case: Case, suite: Suite) -> list[Evaluator]:
    b = case.budget
    if b is None:
        return []
    limits = [("steps", b.max_steps, lambda r: r.steps), ("seconds", b.max_seconds, lambda r: r.latency_s),
              ("tokens", b.max_tokens, lambda r: r.tokens)]
    return [BudgetCheck(what, limit, measure) for what, limit, measure in limits if limit is not None]


TURN_RULES: list[TurnRule] = [_tools_rule, _reply_rule, _grounded_rule]
CASE_RULES: list[CaseRule] = [_state_rule, _budget_rule]


def turn_evaluators(turn: Turn, case: Case, suite: Suite) -> list[Evaluator]:
    return [e for rule in TURN_RULES for e in rule(turn, case, suite)]


def case_evaluators(case: Case, suite: Suite) -> list[Evaluator]:
    return [e for rule in CASE_RULES for e in rule(case, suite)]
