"""Matching model-written tool calls and their argument values against a suite's call matchers."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import Any

from agent.events import ToolCallEvent
from evals.suite import ArgMatcher, CallMatcher

__all__ = ["arg_problem", "call_problem", "describe_call", "describe_matcher"]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def _same(a: Any, b: Any) -> bool:
    """Equality for model-written values: numbers numerically (10 == 10.0 == "10"), strings ignoring case."""
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    if any(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)):
        na, nb = _number(a), _number(b)
        return na is not None and nb is not None and abs(na - nb) < 1e-9
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def arg_problem(m: ArgMatcher, present: bool, value: Any) -> str | None:
    """Why an argument fails its matcher, or None when it passes."""
    keys = m.model_fields_set
    if "any" in keys:
        if m.any and not present:
            return "missing (expected any value)"
        if not m.any and present:
            return f"{value!r} given, expected the argument to be absent"
    if not present:
        if keys <= {"any"} or (keys == {"equals"} and m.equals is None):
            return None
        return "missing"
    if "equals" in keys and not _same(value, m.equals):
        return f"{value!r} is not {m.equals!r}"
    if "contains" in keys:
        if isinstance(value, str):
            if str(m.contains).casefold() not in value.casefold():
                return f"{value!r} does not contain {m.contains!r}"
        elif not (isinstance(value, list) and any(_same(v, m.contains) for v in value)):
            return f"{value!r} does not contain {m.contains!r}"
    if "one_of" in keys and not any(_same(value, o) for o in m.one_of or []):
        return f"{value!r} is not one of {m.one_of!r}"
    if "regex" in keys and not (isinstance(value, str) and re.search(m.regex or "", value, re.I)):
        return f"{value!r} does not match /{m.regex}/"
    number = _number(value)
    for key, bound, ok in (("lte", m.lte, lambda n, b: n <= b), ("gte", m.gte, lambda n, b: n >= b)):
        if key in keys and (number is None or not ok(number, bound)):
            return f"{value!r} is not {'≤' if key == 'lte' else '≥'} {bound:g}"
    return None


def call_problem(m: CallMatcher, call: ToolCallEvent) -> str | None:
    """Why a call does not match, or None when it does."""
    if not fnmatchcase(call.name, m.name):
        return f"name is {call.name}, not {m.name}"
    args = call.arguments if isinstance(call.arguments, dict) else {}
    problems = [f"{k}: {p}" for k, am in m.args.items() if (p := arg_problem(am, k in args, args.get(k)))]
    return "; ".join(problems) or None


def describe_call(call: ToolCallEvent) -> str:
    if not isinstance(call.arguments, dict):
        return f"{call.name}({call.arguments!r})"
    return f"{call.name}({', '.join(f'{k}={v!r}' for k, v in call.arguments.items())})"


def describe_matcher(m: CallMatcher) -> str:
    parts = [f"{k} {' '.join(f'{op}={getattr(am, op)!r}' for op in sorted(am.model_fields_set))}"
             for k, am in m.args.items()]
    return f"{m.name}({', '.join(parts)})"
