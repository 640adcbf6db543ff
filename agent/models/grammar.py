"""The grammar tool protocol: a conversation as one append-only text document, tool choice by a JSON grammar.

For small models without a tool-capable chat template. The document is

    <header: system prompt + one-line tool signatures>      (a template the application passes in)
    <few-shot examples in the same line format>
    User: …
    Hints: …                                               (optional: the preparer's note on the user line)
    Call: {"tool": "find_items", "args": {…}}
    Result: {…compact JSON…}
    Summary: …                                             (optional: the preparer's one line on the result)
    Assistant: …

and only ever grows between steps, so llama.cpp's KV cache of its prefix is reused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

import jinja2

from agent.models.constraints import constrain, turn_numbers
from agent.models.prepare import NONE, StepPlan, StepPreparer

__all__ = ["DEFAULT_HEADER", "GrammarDocument", "NONE", "STOP", "decision_gbnf", "decision_schema", "signature",
           "turn_numbers"]

# Neutral words; an application passes its own header template (same variables) for its domain.
DEFAULT_HEADER = """{% if system %}
{{ system }}

{% endif %}
{% if tools %}
Tools:
{% for t in tools %}
- {{ t.signature }}: {{ t.description }}
{% endfor %}

Each user message is a "User:" line. The assistant answers it with a "Call:" line: the tool to use and its \
arguments as JSON, or {"tool": "none"} when no tool is needed.{% if hints %} A "Hints:" line before the call \
lists values read from the message: copy them into the arguments where they fit.{% endif %} The tool's output \
comes back on a "Result:" line{% if summaries %}, and a "Summary:" line says it in words{% endif %}. Then the \
assistant replies on an "Assistant:" line, using only facts from the results.
{% else %}
Each user message is a "User:" line; the assistant replies on an "Assistant:" line.
{% endif %}
"""
STOP = ["\nUser:", "\nHints:", "\nCall:", "\nResult:", "\nSummary:"]

# JSON-schema keywords llama_cpp's converter understands; anything else is dropped from the grammar (the
# pydantic validator in the loop still enforces the full schema).
_KEEP = {"type", "properties", "required", "additionalProperties", "items", "prefixItems", "minItems", "maxItems",
         "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "$defs", "definitions", "minLength", "maxLength",
         "pattern", "format"}
_FORMATS = {"date", "time", "date-time", "uuid"}


def decision_schema(tools: list[dict[str, Any]], numbers: list[float] | None = None,
                    plan: StepPlan | None = None) -> dict[str, Any]:
    """anyOf `{"tool": NAME, "args": <its parameters>}` for every tool, plus `{"tool": "none"}`.

    With `numbers`, an optional numeric argument may only take one of them (and is left out when none fits):
    a small model otherwise invents prices and limits nobody stated ("max_price": 50 on every search). A
    `plan` (a preparer's, see agent/models/prepare.py) pins arguments to values ("min_rating 4.5" cannot
    arrive as max_price; `ids "88"` makes based_on "88", not "history"), limits ids to those the conversation
    has shown (a tool that requires one, with none shown, cannot be chosen: a model cannot invent an id) and
    leaves out governed arguments it has no value for. The tool's choice among the rest stays the model's
    (and "none" with it, unless the plan is `required`)."""
    plan = plan or StepPlan()
    defs: dict[str, Any] = {}
    choices = []
    for spec in tools:
        fn = spec["function"]
        name = fn["name"]
        raw = fn.get("parameters") or {"type": "object", "properties": {}}
        params = constrain(_grammar_schema(raw), raw, numbers, plan.pins.get(name, {}), plan.shown.get(name, {}),
                           plan.governed.get(name, frozenset()))
        if params is None:
            continue  # it needs a value nobody has named yet
        # Each tool's $defs move to the top (refs are resolved from the root); prefix them to avoid clashes.
        prefix = f"{name}__"
        params = _rename_refs(params, prefix)
        for def_name, sub in params.pop("$defs", {}).items():
            defs[prefix + def_name] = sub
        choices.append(_object({"tool": {"const": name}, "args": params}))
    if not (plan.required and choices):
        choices.append(_object({"tool": {"const": NONE}}))
    schema: dict[str, Any] = {"anyOf": choices}
    if defs:
        schema["$defs"] = defs
    return schema


def decision_gbnf(tools: list[dict[str, Any]], numbers: list[float] | None = None,
                  plan: StepPlan | None = None) -> str:
    """GBNF for one `Call:` line: a space, then a decision object (the prompt ends with "Call:")."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    lines = json_schema_to_gbnf(json.dumps(decision_schema(tools, numbers, plan))).splitlines()
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
    header: str = DEFAULT_HEADER  # a jinja2 template: system, tools, hints, summaries
    # The application's help for small models (see agent/models/prepare.py): a note under each user line, in
    # the examples and the live turns alike, so the model copies values instead of recalling them, a summary
    # line under each result, and a plan for each decision.
    preparer: StepPreparer | None = None

    def __post_init__(self) -> None:
        env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
                                 trim_blocks=True, lstrip_blocks=True, autoescape=False)
        self._header = env.from_string(self.header)
        self._prefix_cache: tuple[Any, str] | None = None

    def plan(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> StepPlan | None:
        """The preparer's plan for the next decision (None without a preparer)."""
        return self.preparer.prepare(messages, tools) if self.preparer is not None else None

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
            header = self._header.render(system=system.strip(), hints=self.preparer is not None,
                                         summaries=bool(self.preparer is not None and self.preparer.summarizes),
                                         tools=[
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
        note = _one_line(self.preparer.note(text)) if self.preparer is not None and deciding else ""
        return lines + ["Hints: " + note] if note else lines

    def _result_lines(self, tool: str | None, content: str) -> list[str]:
        """The Result line, and the preparer's one-line summary of it."""
        lines = ["Result: " + self._clip(_one_line(content))]
        summary = _one_line(self.preparer.summary(tool, content)) if self.preparer is not None else ""
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
