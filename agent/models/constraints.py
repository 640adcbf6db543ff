"""What values a tool call's arguments may take on this step.

The grammar protocol (agent/models/grammar.py) narrows each tool's argument schema before it becomes a
grammar: optional numbers to those written this turn, and the arguments a preparer's plan names (see
agent/models/prepare.py) to its pinned or shown values.
"""

from __future__ import annotations

import re
from typing import Any, Collection, Mapping

__all__ = ["constrain", "turn_numbers"]

_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")


def constrain(params: dict[str, Any], raw: dict[str, Any], numbers: list[float] | None,
              pins: Mapping[str, tuple[Any, ...]], shown: Mapping[str, tuple[Any, ...]],
              governed: Collection[str]) -> dict[str, Any] | None:
    """`params` (a tool's grammar schema; `raw` its full JSON schema, for defaults) narrowed for this step,
    or None when the tool needs a value nobody has named yet."""
    defaults = {k: v.get("default") for k, v in (raw.get("properties") or {}).items() if isinstance(v, dict)}
    pinning = _pin(params, pins, shown, defaults)
    if pinning is None:
        return None
    params, pinned = pinning
    if numbers is not None or governed:
        params = _limit_numbers(params, numbers, frozenset(governed) - pinned, pinned)
    return params


def turn_numbers(document: str) -> list[float]:
    """The numbers written since the last "User:" line (the user's words, notes, results): what a call may use."""
    turn = document[document.rfind("\nUser: ") + 1:]
    found = (float(m.replace(",", "")) for m in _NUMBER.findall(turn))
    return sorted(set(found))


def _pin(params: dict[str, Any], pins: Mapping[str, tuple[Any, ...]], shown: Mapping[str, tuple[Any, ...]],
         defaults: Mapping[str, Any]) -> tuple[dict[str, Any], frozenset[str]] | None:
    """Arguments narrowed to their pinned values (required) or shown ones (plus the default); None when a
    required one has nothing to take."""
    props, required, pinned = dict(params.get("properties") or {}), list(params.get("required", [])), set()
    for name, sub in list(props.items()):
        if name in pins:
            restricted = _restrict(sub, list(pins[name]))
            if restricted is not None:
                props[name], pinned = restricted, pinned | {name}
                required += [] if name in required else [name]
                continue
        if name not in shown:
            continue
        default = defaults.get(name)
        values = list(shown[name]) + ([default] if isinstance(default, str) and name not in required else [])
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
        if items is None:
            return None
        # no more items than values to choose from: a small model otherwise repeats one until max_tokens
        most = min(len(set(map(str, values))), array.get("maxItems", len(values)))
        return {**array, "items": items, "maxItems": most, "minItems": min(array.get("minItems", 0), most)}
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


def _limit_numbers(params: dict[str, Any], numbers: list[float] | None, governed: frozenset[str],
                   pinned: frozenset[str]) -> dict[str, Any]:
    """Optional numbers limited to those written this turn; governed arguments (not pinned) left out."""
    required = list(params.get("required", []))
    props = {}
    for name, sub in (params.get("properties") or {}).items():
        if name in required or name in pinned:
            props[name] = sub
            continue
        if name in governed:
            continue
        kind = _numeric_type(sub)
        if kind is None or numbers is None:
            props[name] = sub
            continue
        allowed = [int(n) if n.is_integer() else n for n in numbers if kind != "integer" or n.is_integer()]
        if allowed:
            props[name] = {"enum": allowed}
    return {**params, "properties": props, "required": required}


def _numeric_type(schema: dict[str, Any]) -> str | None:
    """"number"/"integer" for a numeric (or numeric-or-null) schema, else None."""
    options = schema.get("anyOf") or [schema]
    kinds = {o.get("type") for o in options if isinstance(o, dict)} - {"null"}
    return kinds.pop() if len(kinds) == 1 and kinds <= {"number", "integer"} else None
