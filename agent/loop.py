"""The agent loop: model step → validated tool calls → results → … → reply, as a stream of events."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from pydantic import ValidationError

from agent.events import Confirm, Done, Error, Event, TextEvent, ToolCallEvent, ToolResultEvent
from agent.history import trim_to_window
from agent.models.base import Model, ModelError, TextDelta, ToolCall, Usage
from agent.safety import redact_secrets
from agent.tools import (Approval, ToolContext, ToolError, ToolRegistry, to_data, to_model_json,
                         validation_message)

__all__ = ["Agent", "AgentSettings", "BudgetExceeded", "RepeatedToolCall", "RetryBudgetExceeded",
           "StepBudgetExceeded"]


class BudgetExceeded(Exception):
    """A turn hit one of its limits; the turn ends with an error event, the conversation is kept."""


class StepBudgetExceeded(BudgetExceeded):
    pass


class RetryBudgetExceeded(BudgetExceeded):
    pass


class RepeatedToolCall(BudgetExceeded):
    pass


@dataclass
class AgentSettings:
    max_steps: int = 8  # model steps per turn
    max_retries: int = 2  # failed (invalid/unknown/repeated) calls tolerated per tool per turn
    reserve_tokens: int = 512  # room left for the reply when trimming history to the window


# Asked before a `writes` tool runs. Only `True` or an `Approval` is a yes: any other answer declines.
Confirmer = Callable[[ToolCall, Any], "bool | Approval"]
_log = logging.getLogger(__name__)


def _decline_all(call: ToolCall, args: Any) -> bool:
    return False


@dataclass
class Agent:
    model: Model
    tools: ToolRegistry
    context: ToolContext = field(default_factory=ToolContext)
    system_prompt: str = ""
    settings: AgentSettings = field(default_factory=AgentSettings)
    confirm: Confirmer = _decline_all  # asked before any `writes` tool runs
    messages: list[dict[str, Any]] = field(default_factory=list)
    on_change: Callable[[list[dict[str, Any]]], None] | None = None  # persistence hook (sessions)

    def __post_init__(self) -> None:
        if self.system_prompt and not (self.messages and self.messages[0]["role"] == "system"):
            self.messages.insert(0, {"role": "system", "content": self.system_prompt})

    def run(self, text: str) -> Iterator[Event]:
        """One user turn. Never raises for model failures or budgets: they end as an `error` event."""
        started, usage, timings = time.perf_counter(), Usage(), {"model_s": 0.0, "tools_s": 0.0}
        turn_start = len(self.messages)
        self._append({"role": "user", "content": text})
        state = _TurnState()
        ok = True
        try:
            while True:
                if state.steps >= self.settings.max_steps:
                    raise StepBudgetExceeded(f"stopped after {state.steps} model steps without a final answer")
                state.steps += 1
                t0 = time.perf_counter()
                reply, calls = yield from self._model_step(usage, timings, started)
                timings["model_s"] += time.perf_counter() - t0
                self._append({"role": "assistant", "content": reply or None,
                              **({"tool_calls": [c.to_message() for c in calls]} if calls else {})})
                if not calls:
                    break
                t0 = time.perf_counter()
                for call in calls:
                    yield from self._handle_call(call, state)
                timings["tools_s"] += time.perf_counter() - t0
        except (ModelError, BudgetExceeded) as exc:
            ok = False
            self._repair(turn_start)
            yield Error(redact_secrets(str(exc)) or type(exc).__name__, kind=type(exc).__name__)
        except BaseException:  # cancelled (Ctrl-C, a closed stream) or a bug: keep a valid, stored history
            self._repair(turn_start)
            raise
        timings["total_s"] = time.perf_counter() - started
        yield Done(usage=usage.to_dict(), timings={k: round(v, 4) for k, v in timings.items()},
                   steps=state.steps, ok=ok)

    def _model_step(self, usage: Usage, timings: dict[str, float], started: float):
        specs = self.tools.specs()
        window = trim_to_window(self.messages, lambda messages: self.model.count_tokens(messages, specs),
                                self.model.context_window - self.settings.reserve_tokens)
        text, calls = [], []
        for chunk in self.model.stream(window, specs):
            if isinstance(chunk, TextDelta):
                timings.setdefault("first_token_s", time.perf_counter() - started)
                text.append(chunk.text)
                yield TextEvent(chunk.text)
            elif isinstance(chunk, ToolCall):
                calls.append(chunk)
            elif isinstance(chunk, Usage):
                usage.add(chunk)
        return "".join(text), calls

    def _handle_call(self, call: ToolCall, state: "_TurnState") -> Iterator[Event]:
        yield ToolCallEvent(call.id, call.name, _parse_or_raw(call.arguments))
        tool = self.tools.get(call.name)
        key = (call.name, _canonical(call.arguments))
        if tool is None:
            ok, result = False, f"Unknown tool {call.name!r}. Valid tools: {', '.join(self.tools.names)}."
        elif key in state.seen:
            if state.repeats.get(key):
                raise RepeatedToolCall(f"the model repeated the identical call {call.name}({call.arguments}) again")
            state.repeats[key] = True
            ok, result = False, (f"You already called {call.name} with these exact arguments in this turn; "
                                 "its result is above. Use it to answer, or call something different.")
        else:
            try:
                args = tool.validate(call.arguments)
            except ValidationError as exc:
                ok, result = False, validation_message(tool.name, exc)
            else:
                state.seen.add(key)
                ok, result = yield from self._run_tool(tool, call, args)
        if not ok:
            state.failures[call.name] = state.failures.get(call.name, 0) + 1
        content = to_model_json(result) if ok else str(result)
        self._append({"role": "tool", "tool_call_id": call.id, "content": content})
        yield ToolResultEvent(call.id, call.name, ok, to_data(result), writes=bool(tool and tool.writes))
        if state.failures.get(call.name, 0) > self.settings.max_retries:
            raise RetryBudgetExceeded(f"{call.name} failed {state.failures[call.name]} times this turn; "
                                      f"last problem: {result}")

    def _run_tool(self, tool, call: ToolCall, args):
        approval = None
        if tool.writes:
            answer = self.confirm(call, args)
            approved = answer is True or isinstance(answer, Approval)
            yield Confirm(call.id, call.name, args.model_dump(mode="json"), approved)
            if not approved:
                return False, "The user declined this action. Do not retry it unless they ask again."
            approval = answer
        try:
            return True, tool(self.context, args, approval=approval)
        except ToolError as exc:
            return False, exc.for_model(tool.name)
        except Exception as exc:  # a bug in a tool must not end the program or leave the call unanswered
            _log.exception("tool %s crashed on %s", tool.name, call.arguments[:500])
            yield Error(f"{tool.name} failed unexpectedly ({type(exc).__name__}); details are in the log",
                        kind="ToolCrashed")
            return False, (f"{tool.name} failed with an internal error ({type(exc).__name__}). "
                           "Tell the user it did not work; do not retry the same call.")

    def _append(self, message: dict[str, Any]) -> None:
        self.messages.append(message)
        if self.on_change:
            self.on_change(self.messages)

    def _repair(self, turn_start: int) -> None:
        """Answer calls left dangling by an ended turn, so the history stays a valid chat transcript."""
        for i in range(len(self.messages) - 1, turn_start, -1):
            if self.messages[i]["role"] == "assistant":
                answered = {m.get("tool_call_id") for m in self.messages[i + 1:] if m["role"] == "tool"}
                for c in self.messages[i].get("tool_calls") or []:
                    if c["id"] not in answered:
                        self.messages.append({"role": "tool", "tool_call_id": c["id"],
                                              "content": "Not run: the turn ended before this call."})
                break
        if self.on_change:
            self.on_change(self.messages)


@dataclass
class _TurnState:
    steps: int = 0
    seen: set = field(default_factory=set)
    repeats: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)


def _parse_or_raw(arguments: str) -> Any:
    try:
        return json.loads(arguments or "{}")
    except json.JSONDecodeError:
        return arguments


def _canonical(arguments: str) -> str:
    parsed = _parse_or_raw(arguments)
    return json.dumps(parsed, sort_keys=True) if not isinstance(parsed, str) else parsed
