"""The grammar tool protocol: a conversation as one append-only text document, tool choice by a JSON grammar.

For small models without a tool-capable chat template. The document is

    <header: system prompt + one-line tool signatures>      (prompts/grammar_header.j2)
    <few-shot examples in the same line format>
    User: …
    Hints: …                                               (optional: the app's pre-parse of the user line)
    Call: {"tool": "find_items", "args": {…}}
    Result: {…compact JSON…}
    Summary: …                                             (optional: the app's one line on the result)
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

from agent.models.constraints import Hinted, constrain, hinted_values, hints_line, seen_values, turn_numbers

__all__ = ["GrammarDocument", "decision_gbnf", "decision_schema", "hinted_values", "seen_values", "signature",
           "turn_numbers"]

HEADER_TEMPLATE = Path(__file__).resolve().parents[2] / "prompts" / "grammar_header.j2"
STOP = ["\nUser:", "\nHints:", "\nCall:", "\nResult:", "\nSummary:"]
NONE = "none"

# JSON-schema keywords llama_cpp's converter understands; anything else is dropped from the grammar (the
# pydantic validator in the loop still enforces the full schema).
_KEEP = {"type", "properties", "required", "additionalProperties", "items", "prefixItems", "minItems", "maxItems",
         "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "$defs", "definitions", "minLength", "maxLength",
         "pattern", "format"}
_FORMATS = {"date", "time", "date-time", "uuid"}


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
    invent an id. The tool's choice among the rest stays the model's."""
    defs: dict[str, Any] = {}
    choices = []
    for spec in tools:
        fn = spec["function"]
        raw = fn.get("parameters") or {"type": "object", "properties": {}}
        params = constrain(_grammar_schema(raw), raw, numbers, named or {}, frozenset(governed), bound or {},
                           seen or {})
        if params is None:
            continue  # it needs a value nobody has named yet
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
    """`find_items(query: string, max_price?: number)`: what a small model can read at a glance."""
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

    def choices(self, document: str, tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The tools this turn's call may use. Hints with a `decides` attribute (a hint name, e.g. "likely")
        settle the tool among those they know (`knows(name)`, all when absent): `likely get_item` leaves
        get_item, the tools the hints know nothing of (a newly added one stays reachable) and "none";
        `likely none` leaves only those. A name the agent lacks, or no such hint, leaves every tool."""
        key = getattr(self.hints, "decides", None)
        if not key:
            return tools
        m = re.search(rf"(?:^|;\s*){re.escape(key)} ([A-Za-z_][\w-]*)\s*(?:;|$)", hints_line(document))
        names = {t["function"]["name"] for t in tools}
        if m is None or (m.group(1) != NONE and m.group(1) not in names):
            return tools
        knows = getattr(self.hints, "knows", lambda name: True)
        return [t for t in tools if t["function"]["name"] == m.group(1) or not knows(t["function"]["name"])]

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
        lines, calls, called = [], 0, {}
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
                    called[tc.get("id")] = tc["function"]["name"]
                    calls += 1
                if not m.get("tool_calls"):
                    if tools and calls < self.max_calls_per_turn:
                        lines.append("Call: " + _call_json(NONE, None))
                    lines.append("Assistant: " + _text(m.get("content")).strip())
            elif role == "tool":
                lines.extend(self._result_lines(called.get(m.get("tool_call_id")), _text(m.get("content"))))
        step: Literal["decide", "reply"] = "decide" if tools and calls < self.max_calls_per_turn else "reply"
        lines.append("Call:" if step == "decide" else "Assistant:")
        return self.prefix(system, tools) + "\n".join(lines), step

    def prefix(self, system: str, tools: list[dict[str, Any]]) -> str:
        """Header and examples, ending with a blank line."""
        key = (system, json.dumps(tools, sort_keys=True))
        if self._prefix_cache is None or self._prefix_cache[0] != key:
            specs = {t["function"]["name"]: t for t in tools}
            names = set(specs)
            header = self._header.render(system=system.strip(), hints=self.hints is not None,
                                         summaries=getattr(self.hints, "digest", None) is not None, tools=[
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
                    lines.extend(self._result_lines(call["tool"], result))
                if ex.get("reply"):
                    lines.append("Assistant: " + ex["reply"].strip())
                blocks.append("\n".join(lines))
            self._prefix_cache = (key, "\n\n".join(blocks) + "\n\n")
        return self._prefix_cache[1]

    def _user_lines(self, text: str, deciding: bool) -> list[str]:
        lines = ["User: " + _one_line(text)]
        hint = _one_line(self.hints(text)) if self.hints is not None and deciding else ""
        return lines + ["Hints: " + hint] if hint else lines

    def _result_lines(self, tool: str | None, content: str) -> list[str]:
        """The Result line, and the hints' one-line summary of it (a `digest(tool, content)` attribute)."""
        lines = ["Result: " + self._clip(_one_line(content))]
        digest = getattr(self.hints, "digest", None)
        summary = _one_line(digest(tool, content)) if digest is not None else ""
        return lines + ["Summary: " + summary] if summary else lines

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
