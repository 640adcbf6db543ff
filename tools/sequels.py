"""The next call a shopper's one line asks for after a result of this turn: "check out and ship it standard to
1 Elm St, …" is start_checkout, then choose_shipping with that address.

A tool declares in its ToolAid the tool that must have run before it (`after`); when the line states most of
what the tool takes (an address: street, city, region, postal code, country) and it has not run this turn, the
plan is that prerequisite first if it still has to run, then the tool itself, with the values pinned and
"none" not offered: the shopper asked for it, and a 270M model otherwise stops after the first call.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from agent.models.prepare import StepPlan, ToolAid
from agent.tools import Tool

__all__ = ["leads_on", "needs_first", "sequel_plan"]


def sequel_plan(messages: list[dict[str, Any]], start: int, found: Mapping[str, tuple[Any, ...]],
                aids: Mapping[str, ToolAid], tools: Mapping[str, Tool], offered: set[str]) -> StepPlan | None:
    """The plan for one more call after this turn's results (`start`: the user line), or None for no more.

    `found`: the line's values by kind; `offered`: the tool names of this step."""
    calls = _calls(messages[start:])
    if not calls or not calls[-1][1]:
        return None  # nothing ran, or the last call failed or was declined: the reply says so
    called = {name for name, _ in calls}
    wrote = any(tools[name].writes for name in called if name in tools)
    for name, aid in aids.items():
        if aid.after is None or name in called or name not in offered or not _states_most(aid, found):
            continue  # not one that comes after another, done already, or the line does not state most of it
        before = aid.after
        if before not in called and (wrote or not _succeeded(messages[:start], before)):
            if before not in offered:
                return None
            return StepPlan(tool=before, required=True)
        pins = {name: {arg: found[kind] for arg, kind in aid.values.items() if kind in found}}
        return StepPlan(pins=pins, governed={name: aid.governed}, tool=name, required=True)
    return None


def leads_on(likely: str | None, found: Mapping[str, tuple[Any, ...]], aids: Mapping[str, ToolAid]) -> bool:
    """Whether the line asks for more after `likely`: a tool that comes after it gets most of what it takes from
    the line ("check out, ship it to 1 Elm St, …"). Then the first call is settled too: no "none"."""
    return likely is not None and any(aid.after == likely and _states_most(aid, found) for aid in aids.values())


def _states_most(aid: ToolAid, found: Mapping[str, tuple[Any, ...]]) -> bool:
    kinds = set(aid.values.values())
    return bool(kinds) and 2 * len(kinds & set(found)) >= len(kinds)


def needs_first(likely: str | None, messages: list[dict[str, Any]], aids: Mapping[str, ToolAid],
                offered: set[str]) -> str | None:
    """The likely tool's prerequisite when it has never run in the conversation (else None)."""
    aid = aids.get(likely or "")
    if aid is None or aid.after is None or aid.after not in offered or _succeeded(messages, aid.after):
        return None
    return aid.after


def _calls(messages: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """(tool name, whether its result is data) for each call answered in `messages`, in order."""
    names = {tc.get("id"): tc["function"]["name"] for m in messages if m.get("role") == "assistant"
             for tc in m.get("tool_calls") or []}
    return [(names.get(m.get("tool_call_id"), ""), _is_data(m.get("content"))) for m in messages
            if m.get("role") == "tool"]


def _succeeded(messages: list[dict[str, Any]], tool: str) -> bool:
    return any(name == tool and ok for name, ok in _calls(messages))


def _is_data(content: Any) -> bool:
    """A tool's result is JSON data when it ran; an error or a declined call is a sentence."""
    if isinstance(content, list):
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    try:
        return isinstance(json.loads(str(content or "")), (dict, list))
    except ValueError:
        return False
