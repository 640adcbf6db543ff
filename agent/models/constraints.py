"""What values a tool call's arguments may take on this turn, read from the grammar document.

The grammar protocol (agent/models/grammar.py) narrows each tool's argument schema before it becomes a
grammar: optional numbers to those written this turn, arguments the app's hints govern to the hinted values,
and bound arguments (ids, counts) to what the user named or the conversation has shown.
"""

from __future__ import annotations

import re
from typing import Any, Collection, Mapping

__all__ = ["Hinted", "constrain", "hints_line", "hinted_values", "seen_values", "turn_numbers"]

# One `name value` pair of a hints line: a number, or one or more quoted strings (`ids "42", "P61"`).
_NAMED = re.compile(r'(?:^|;\s*)([a-z_]+) (\d+(?:\.\d+)?|"[^"]*"(?:\s*,\s*"[^"]*")*)(?=\s*(?:;|$))')
_QUOTED = re.compile(r'"([^"]*)"')
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")

Hinted = dict[str, float | list[str]]


def constrain(params: dict[str, Any], raw: dict[str, Any], numbers: list[float] | None, named: Hinted,
              governed: frozenset[str], bound: Mapping[str, str], seen: Mapping[str, list[str]]
              ) -> dict[str, Any] | None:
    """`params` (a tool's grammar schema; `raw` its full JSON schema, for defaults) narrowed for this turn,
    or None when the tool needs a value nobody has named yet."""
    defaults = {k: v.get("default") for k, v in (raw.get("properties") or {}).items() if isinstance(v, dict)}
    pinning = _pin(params, named, bound, seen, defaults)
    if pinning is None:
        return None
    params, pinned = pinning
    if numbers is not None:
        params = _limit_numbers(params, numbers, named, governed - pinned, pinned)
    return params


def turn_numbers(document: str) -> list[float]:
    """The numbers written since the last "User:" line (the user's words, hints, results): what a call may use."""
    turn = document[document.rfind("\nUser: ") + 1:]
    found = (float(m.replace(",", "")) for m in _NUMBER.findall(turn))
    return sorted(set(found))


def hints_line(document: str) -> str:
    """The current turn's "Hints:" line, without its label ("" when it has none)."""
    turn = document[document.rfind("\nUser: ") + 1:]
    line = next((ln for ln in turn.splitlines() if ln.startswith("Hints: ")), "")
    return line[len("Hints: "):]


def hinted_values(document: str) -> Hinted:
    """`name value` pairs on the current turn's "Hints:" line (`max_price 80; ids "42", "P7"; tone "casual"`):
    numbers as floats, quoted values as lists of strings."""
    out: Hinted = {}
    for m in _NAMED.finditer(hints_line(document)):
        value = m.group(2)
        out[m.group(1)] = _QUOTED.findall(value) if value.startswith('"') else float(value)
    return out


def seen_values(conversation: str, result_keys: Mapping[str, Collection[str]]) -> dict[str, list[str]]:
    """For each hint name in `result_keys`: the values earlier "Hints:" lines of `conversation` named for it and
    the string values of those JSON keys in its "Result:" lines, in order of appearance (the current turn's
    line is read too; what it names is pinned anyway)."""
    out: dict[str, list[str]] = {hint: [] for hint in result_keys}
    patterns = {hint: re.compile(r'"(?:' + "|".join(map(re.escape, keys)) + r')"\s*:\s*"([^"]+)"')
                for hint, keys in result_keys.items()}
    for line in conversation.splitlines():
        if line.startswith("Hints: "):
            for m in _NAMED.finditer(line[len("Hints: "):]):
                if m.group(1) in out and m.group(2).startswith('"'):
                    out[m.group(1)] += _QUOTED.findall(m.group(2))
        elif line.startswith("Result: "):
            for hint, pattern in patterns.items():
                out[hint] += pattern.findall(line)
    return {hint: list(dict.fromkeys(values)) for hint, values in out.items()}


def _pin(params: dict[str, Any], named: Hinted, bound: Mapping[str, str], seen: Mapping[str, list[str]],
         defaults: Mapping[str, Any]) -> tuple[dict[str, Any], frozenset[str]] | None:
    """Bound arguments narrowed to the values hinted this turn (required) or seen earlier (plus the default);
    None when a required one has no value to take."""
    props, required, pinned = dict(params.get("properties") or {}), list(params.get("required", [])), set()
    for name, sub in list(props.items()):
        hint = bound.get(name)
        if hint is None:
            continue
        if hint in named:
            restricted = _restrict(sub, named[hint] if isinstance(named[hint], list) else [named[hint]])
            if restricted is not None:
                props[name], pinned = restricted, pinned | {name}
                required += [] if name in required else [name]
            continue
        if hint not in seen:
            continue
        default = defaults.get(name)
        values = seen[hint] + ([default] if isinstance(default, str) and name not in required else [])
        restricted = _restrict(sub, values) if values else None
        if restricted is None and name in required:
            return None
        if restricted is None:
            del props[name]
        else:
            props[name] = restricted
            required += [] if name in required or not isinstance(default, str) else [name]
        pinned.add(name)
    if not pinned:
        return params, frozenset()
    return {**params, "properties": props, "required": required}, frozenset(pinned)


def _restrict(schema: dict[str, Any], values: list[Any]) -> dict[str, Any] | None:
    """`schema` narrowed to `values` (numbers, strings, or arrays of strings), or None where none fits."""
    kind = _numeric_type(schema)
    if kind is not None:
        nums = [float(v) for v in values if isinstance(v, (int, float)) or _is_number(v)]
        allowed: list[Any] = [int(n) if n.is_integer() else n for n in nums if kind != "integer" or n.is_integer()]
        return {"enum": allowed} if allowed else None
    options = schema.get("anyOf") or [schema]
    array = next((o for o in options if isinstance(o, dict) and o.get("type") == "array"), None)
    if array is not None:
        items = _restrict(array.get("items") or {"type": "string"}, values)
        return {**array, "items": items} if items is not None else None
    if not any(isinstance(o, dict) and (o.get("type") == "string" or "enum" in o) for o in options):
        return None
    strings = [str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for v in values]
    enum = next((o["enum"] for o in options if isinstance(o, dict) and "enum" in o), None)
    allowed = [v for v in strings if enum is None or v in enum]
    return {"enum": allowed} if allowed else None


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _limit_numbers(params: dict[str, Any], numbers: list[float], named: Hinted,
                   governed: frozenset[str], pinned: frozenset[str] = frozenset()) -> dict[str, Any]:
    required = list(params.get("required", []))
    props = {}
    for name, sub in (params.get("properties") or {}).items():
        kind = _numeric_type(sub)
        if name in required or name in pinned or (kind is None and name not in governed):
            props[name] = sub
            continue
        hinted = named.get(name)
        pool = ([hinted] if isinstance(hinted, float) else []) if name in governed else numbers
        allowed = [int(n) if n.is_integer() else n for n in pool if kind != "integer" or n.is_integer()]
        if allowed:
            props[name] = {"enum": allowed}
            if name in governed:  # the hints found it in the user's words: the call must carry it
                required.append(name)
    return {**params, "properties": props, "required": required}


def _numeric_type(schema: dict[str, Any]) -> str | None:
    """"number"/"integer" for a numeric (or numeric-or-null) schema, else None."""
    options = schema.get("anyOf") or [schema]
    kinds = {o.get("type") for o in options if isinstance(o, dict)} - {"null"}
    return kinds.pop() if len(kinds) == 1 and kinds <= {"number", "integer"} else None
