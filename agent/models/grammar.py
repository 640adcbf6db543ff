"""The grammar tool protocol: a conversation as one append-only text document, tool choice by a JSON grammar.

For small models without a tool-capable chat template. The document is

    <header: system prompt + one-line tool signatures>      (prompts/grammar_header.j2)
    <few-shot examples in the same line format>
    User: …
    Hints: …                                               (optional: the app's pre-parse of the user line)
    Call: {"tool": "search_catalog", "args": {…}}
    Result: {…compact JSON…}
    Assistant: …

and only ever grows between steps, so llama.cpp's KV cache of its prefix is reused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Collection, Literal, Mapping

import jinja2

__all__ = ["GrammarDocument", "decision_gbnf", "decision_schema", "hinted_values", "seen_values", "signature",
           "turn_numbers"]

HEADER_TEMPLATE = Path(__file__).resolve().parents[2] / "prompts" / "grammar_header.j2"
STOP = ["\nUser:", "\nHints:", "\nCall:", "\nResult:"]
NONE = "none"

# JSON-schema keywords llama_cpp's converter understands; anything else is dropped from the grammar (the
# pydantic validator in the loop still enforces the full schema).
_KEEP = {"type", "properties", "required", "additionalProperties", "items", "prefixItems", "minItems", "maxItems",
         "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "$defs", "definitions", "minLength", "maxLength",
         "pattern", "format"}
_FORMATS = {"date", "time", "date-time", "uuid"}
# One `name value` pair of a hints line: a number, or one or more quoted strings (`ids "42", "P61"`).
_NAMED = re.compile(r'(?:^|;\s*)([a-z_]+) (\d+(?:\.\d+)?|"[^"]*"(?:\s*,\s*"[^"]*")*)(?=\s*(?:;|$))')
_QUOTED = re.compile(r'"([^"]*)"')
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")


Hinted = dict[str, float | list[str]]


def decision_schema(tools: list[dict[str, Any]], numbers: list[float] | None = None,
                    named: Hinted | None = None, governed: Collection[str] = (),
                    bound: Mapping[str, str] | None = None,
                    seen: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    """anyOf `{"tool": NAME, "args": <its parameters>}` for every tool, plus `{"tool": "none"}`.

    With `numbers`, an optional numeric argument may only take one of them (and is left out when none fits):
    a small model otherwise invents prices and limits nobody stated ("max_price": 50 on every search).
    Optional arguments in `governed` (the ones the app's hints read) are required with the value `named` gives
    them (the hints line's `name value`) and left out otherwise: "min_rating 4.5" cannot arrive as max_price,
    and "between 50 and 100" cannot lose its lower bound. Arguments in `bound` (argument -> hint name) are
    pinned when the hints name a value, and free otherwise: `ids "88"` makes based_on "88" (not "history"),
    `count 3` makes quantity 3. A bound argument whose hint is also in `seen` (values the conversation has
    shown so far: ids in earlier hints and results) takes, when this turn's hints name none, one of those or
    its default (written out); with none seen a tool that requires it cannot be chosen: a model cannot
    invent a product id. The tool's choice among the rest stays the model's."""
    defs: dict[str, Any] = {}
    choices = []
    for spec in tools:
        fn = spec["function"]
        raw = fn.get("parameters") or {"type": "object", "properties": {}}
        defaults = {k: v.get("default") for k, v in (raw.get("properties") or {}).items() if isinstance(v, dict)}
        pinning = _pin(_grammar_schema(raw), named or {}, bound or {}, seen or {}, defaults)
        if pinning is None:
            continue  # it needs a value nobody has named yet
        params, pinned = pinning
        if numbers is not None:
            params = _limit_numbers(params, numbers, named or {}, frozenset(governed) - pinned, pinned)
        # Each tool's $defs move to the top (refs are resolved from the root); prefix them to avoid clashes.
        prefix = f"{fn['name']}__"
        params = _rename_refs(params, prefix)
        for name, sub in params.pop("$defs", {}).items():
            defs[prefix + name] = sub
        choices.append(_object({"tool": {"const": fn["name"]}, "args": params}))
    choices.append(_object({"tool": {"const": NONE}}))
    schema: dict[str, Any] = {"anyOf": choices}
    if defs:
        schema["$defs"] = defs
    return schema


def decision_gbnf(tools: list[dict[str, Any]], numbers: list[float] | None = None,
                  named: Hinted | None = None, governed: Collection[str] = (),
                  bound: Mapping[str, str] | None = None, seen: Mapping[str, list[str]] | None = None) -> str:
    """GBNF for one `Call:` line: a space, then a decision object (the prompt ends with "Call:")."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    lines = json_schema_to_gbnf(json.dumps(decision_schema(tools, numbers, named, governed, bound, seen))).splitlines()
    # A small model can loop on a digit ("max_price": 3000000000000000 until max_tokens): no argument needs
    # more than 9 integer or 6 decimal digits, so the grammar stops such loops (the converter allows 16).
    rules = {line.split(" ::= ", 1)[0]: line for line in lines}
    if "integral-part" in rules:
        rules["integral-part"] = "integral-part ::= [0-9] | [1-9] [0-9]{1,8}"
    if "decimal-part" in rules:
        rules["decimal-part"] = "decimal-part ::= [0-9]{1,6}"
    # The document reads 'Call: {…}': generating the space keeps tokens as they are when the line is re-read.
    rules["root"] = rules["root"].replace("root ::= ", "decision ::= ", 1)
    return "\n".join(rules.values()) + '\nroot ::= " " decision'


def turn_numbers(document: str) -> list[float]:
    """The numbers written since the last "User:" line (the shopper's words, hints, results): what a call may use."""
    turn = document[document.rfind("\nUser: ") + 1:]
    found = (float(m.replace(",", "")) for m in _NUMBER.findall(turn))
    return sorted(set(found))


def hinted_values(document: str) -> Hinted:
    """`name value` pairs on the current turn's "Hints:" line (`max_price 80; ids "42", "P7"; tone "casual"`):
    numbers as floats, quoted values as lists of strings."""
    turn = document[document.rfind("\nUser: ") + 1:]
    line = next((ln for ln in turn.splitlines() if ln.startswith("Hints: ")), "")
    out: Hinted = {}
    for m in _NAMED.finditer(line[len("Hints: "):]):
        value = m.group(2)
        out[m.group(1)] = _QUOTED.findall(value) if value.startswith('"') else float(value)
    return out


def seen_values(conversation: str, result_keys: Mapping[str, Collection[str]]) -> dict[str, list[str]]:
    """For each hint name in `result_keys`: the values earlier "Hints:" lines of `conversation` named for it and
    the string values of those JSON keys in its "Result:" lines, in order of appearance (the current turn's
    line is read too; what it names is pinned anyway)."""
    out: dict[str, list[str]] = {hint: [] for hint in result_keys}
    for line in conversation.splitlines():
        if line.startswith("Hints: "):
            for m in _NAMED.finditer(line[len("Hints: "):]):
                if m.group(1) in out and m.group(2).startswith('"'):
                    out[m.group(1)] += _QUOTED.findall(m.group(2))
        elif line.startswith("Result: "):
            for hint, keys in result_keys.items():
                pattern = r'"(?:' + "|".join(map(re.escape, keys)) + r')"\s*:\s*"([^"]+)"'
                out[hint] += re.findall(pattern, line)
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
            if name in governed:  # the hints found it in the shopper's words: the call must carry it
                required.append(name)
    return {**params, "properties": props, "required": required}


def _numeric_type(schema: dict[str, Any]) -> str | None:
    """"number"/"integer" for a numeric (or numeric-or-null) schema, else None."""
    options = schema.get("anyOf") or [schema]
    kinds = {o.get("type") for o in options if isinstance(o, dict)} - {"null"}
    return kinds.pop() if len(kinds) == 1 and kinds <= {"number", "integer"} else None


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _grammar_schema(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_grammar_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key not in _KEEP:
            continue
        if key == "pattern" and not (value.startswith("^") and value.endswith("$")):
            continue  # the converter only takes anchored patterns
        if key == "format" and value not in _FORMATS:
            continue
        if key in ("properties", "$defs", "definitions"):
            out[key] = {name: _grammar_schema(sub) for name, sub in value.items()}
        else:
            out[key] = _grammar_schema(value)
    if set(out) == {"allOf"} and len(out["allOf"]) == 1:
        return out["allOf"][0]  # pydantic's `allOf: [{$ref}]` wrapper
    return out


def _rename_refs(schema: Any, prefix: str) -> Any:
    if isinstance(schema, list):
        return [_rename_refs(s, prefix) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
            out[key] = "#/$defs/" + prefix + value[len("#/$defs/"):]
        else:
            out[key] = _rename_refs(value, prefix)
    return out


def signature(spec: dict[str, Any]) -> str:
    """`search_catalog(query: string, max_price?: number)`: what a small model can read at a glance."""
    fn = spec["function"]
    params = fn.get("parameters") or {}
    required = set(params.get("required", []))
    defs = params.get("$defs", {})
    args = [f"{name}{'' if name in required else '?'}: {_type_name(sub, defs)}"
            for name, sub in params.get("properties", {}).items()]
    return f"{fn['name']}({', '.join(args)})"


def _type_name(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in schema:
        return _type_name(defs.get(schema["$ref"].rsplit("/", 1)[-1], {}), defs)
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    if "anyOf" in schema or "oneOf" in schema:
        names = [_type_name(s, defs) for s in schema.get("anyOf") or schema["oneOf"]]
        return " | ".join(n for n in names if n != "null") or "null"
    if schema.get("type") == "array":
        return f"{_type_name(schema.get('items', {}), defs)}[]"
    return str(schema.get("type", "any"))


@dataclass
class GrammarDocument:
    """Renders messages into the document; header and examples stay byte-identical so their KV is reused."""

    # {"user": str, "call": {"tool": NAME, "args": {...}} | None, "result": JSON | None, "reply": str | None};
    # examples calling a tool the agent lacks are skipped.
    few_shot: list[dict[str, Any]]
    max_calls_per_turn: int = 1
    result_chars: int = 1500
    header_template: str | Path = HEADER_TEMPLATE
    # The app's deterministic pre-parse of a user line (ids, numbers it found), shown on a "Hints:" line before
    # every "Call:", in the examples and the live turns alike, so a small model copies values instead of
    # recalling them. A pure function of the text, so re-rendering a turn gives the same bytes (prefix reuse).
    # If it has an `arguments` attribute (argument names), those optional arguments come only from its
    # `name value` pairs (see decision_schema).
    hints: Callable[[str], str] | None = None

    @property
    def governed(self) -> frozenset[str]:
        """The optional arguments only the hints may set."""
        return frozenset(getattr(self.hints, "arguments", ()))

    @property
    def bound(self) -> dict[str, str]:
        """Argument -> hint name: pinned to the hinted value when there is one (the hints' `bindings`)."""
        return dict(getattr(self.hints, "bindings", {}))

    def seen(self, document: str) -> dict[str, list[str]] | None:
        """Values the live conversation of `document` has shown for the hints' `result_keys` (None: none kept)."""
        keys = getattr(self.hints, "result_keys", None)
        if not keys or self._prefix_cache is None or not document.startswith(self._prefix_cache[1]):
            return None
        return seen_values(document[len(self._prefix_cache[1]):], keys)

    def __post_init__(self) -> None:
        env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
                                 trim_blocks=True, lstrip_blocks=True, autoescape=False)
        self._header = env.from_string(Path(self.header_template).read_text(encoding="utf-8"))
        self._prefix_cache: tuple[Any, str] | None = None

    def render(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
               ) -> tuple[str, Literal["decide", "reply"]]:
        """The document up to the cue for the next step ("Call:" or "Assistant:"), and which step that is."""
        system = "\n\n".join(_text(m.get("content")) for m in messages if m["role"] == "system")
        lines, calls = [], 0
        for m in messages:
            role = m["role"]
            if role == "user":
                if lines:
                    lines.append("")
                lines.extend(self._user_lines(_text(m.get("content")), bool(tools)))
                calls = 0
            elif role == "assistant":
                for tc in m.get("tool_calls") or []:
                    lines.append("Call: " + _call_json(tc["function"]["name"], tc["function"].get("arguments")))
                    calls += 1
                if not m.get("tool_calls"):
                    if tools and calls < self.max_calls_per_turn:
                        lines.append("Call: " + _call_json(NONE, None))
                    lines.append("Assistant: " + _text(m.get("content")).strip())
            elif role == "tool":
                lines.append("Result: " + self._clip(_one_line(_text(m.get("content")))))
        step: Literal["decide", "reply"] = "decide" if tools and calls < self.max_calls_per_turn else "reply"
        lines.append("Call:" if step == "decide" else "Assistant:")
        return self.prefix(system, tools) + "\n".join(lines), step

    def prefix(self, system: str, tools: list[dict[str, Any]]) -> str:
        """Header and examples, ending with a blank line."""
        key = (system, json.dumps(tools, sort_keys=True))
        if self._prefix_cache is None or self._prefix_cache[0] != key:
            specs = {t["function"]["name"]: t for t in tools}
            names = set(specs)
            header = self._header.render(system=system.strip(), hints=self.hints is not None, tools=[
                {"name": t["function"]["name"], "signature": signature(t),
                 "description": _first_line(t["function"].get("description", ""))} for t in tools])
            blocks = [header.strip()]
            for ex in self.few_shot:
                call = ex.get("call")
                if call is not None and call.get("tool") not in names:
                    continue  # an example for a tool this agent does not have would teach a wrong call
                lines = self._user_lines(ex["user"], bool(tools))
                if tools:
                    lines.append("Call: " + (_call_json(call["tool"], _in_schema_order(call.get("args", {}),
                                                                                       specs[call["tool"]]))
                                             if call else _call_json(NONE, None)))
                if call is not None and ex.get("result") is not None:  # shows how to answer from a result
                    result = ex["result"] if isinstance(ex["result"], str) else json.dumps(
                        ex["result"], separators=(",", ":"), ensure_ascii=False)
                    lines.append("Result: " + self._clip(_one_line(result)))
                if ex.get("reply"):
                    lines.append("Assistant: " + ex["reply"].strip())
                blocks.append("\n".join(lines))
            self._prefix_cache = (key, "\n\n".join(blocks) + "\n\n")
        return self._prefix_cache[1]

    def _user_lines(self, text: str, deciding: bool) -> list[str]:
        lines = ["User: " + _one_line(text)]
        hint = _one_line(self.hints(text)) if self.hints is not None and deciding else ""
        return lines + ["Hints: " + hint] if hint else lines

    def _clip(self, text: str) -> str:
        return text if len(text) <= self.result_chars else text[: self.result_chars] + " …(truncated)"


def _in_schema_order(args: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """An example's arguments in the order the grammar allows them (it fixes the order of properties)."""
    order = list((spec["function"].get("parameters") or {}).get("properties", {}))
    return dict(sorted(args.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def _call_json(name: str, arguments: Any) -> str:
    """The canonical `Call:` payload; what the model wrote is re-rendered the same way in later steps."""
    if name == NONE:
        return json.dumps({"tool": NONE})
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments or "{}")
        except ValueError:  # the model's broken JSON, shown back as it was
            return '{"tool": ' + json.dumps(name) + ', "args": ' + _one_line(arguments) + "}"
    return json.dumps({"tool": name, "args": arguments if arguments is not None else {}}, ensure_ascii=False)


def _text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, list):  # OpenAI content parts
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0].strip()
