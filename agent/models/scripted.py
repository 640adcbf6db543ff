"""A deterministic test double: a queue of assistant turns. It is a fake, for testing the loop's logic."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Iterator, Union

import agent.models.base as base
from agent.models.base import ModelChunk, TextDelta, ToolCall, Usage, approx_tokens

__all__ = ["ScriptExhausted", "ScriptedModel"]

# A turn: {"text": str, "tool_calls": [{"name": str, "arguments": dict | str}]}, {"raise": "ModelUnavailable",
# "message": str}, an Exception instance, or a callable(messages, tools) returning one of these.
Turn = Union[dict[str, Any], BaseException, Callable[[list[dict[str, Any]], list[dict[str, Any]]], Any]]

_ERRORS = {name: getattr(base, name) for name in ("ModelError", "ModelUnavailable", "ModelTimeout", "ContextOverflow")}


class ScriptExhausted(AssertionError):
    """The script ran out of turns (or was not fully consumed when asserted)."""


class ScriptedModel:
    name = "scripted"

    def __init__(self, turns: list[Turn], *, context_window: int = 8192) -> None:
        self.turns = list(turns)
        self.context_window = context_window
        self.calls: list[list[dict[str, Any]]] = []  # the messages each step saw, for assertions
        self._ids = 0

    @classmethod
    def from_file(cls, path: str | Path) -> "ScriptedModel":
        """Turns from a JSON file (a list, or {"turns": [...]}); a file that is not a script raises ValueError."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (IsADirectoryError, PermissionError, FileNotFoundError) as e:
            raise ValueError(f"{path}: cannot read the script ({e.strerror or type(e).__name__})") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValueError(f"{path}: not a JSON script ({e})") from None
        except RecursionError:
            raise ValueError(f"{path}: nested too deeply to be a script") from None
        turns = data.get("turns") if isinstance(data, dict) else data
        if not isinstance(turns, list) or not turns:
            raise ValueError(f"{path}: expected a non-empty list of turns or {{\"turns\": [...]}}")
        for i, turn in enumerate(turns, 1):
            problem = _turn_problem(turn)
            if problem:
                raise ValueError(f"{path}: turn {i}: {problem}")
        return cls(turns)

    def count_tokens(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> int:
        return approx_tokens(messages)  # a script reads no tool specs: they cost it nothing

    def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Iterator[ModelChunk]:
        self.calls.append([dict(m) for m in messages])
        if not self.turns:
            raise ScriptExhausted(f"scripted model has no turn left for step {len(self.calls)}")
        turn = self.turns.pop(0)
        if callable(turn) and not isinstance(turn, BaseException):
            turn = turn(messages, tools)
        if isinstance(turn, BaseException):
            raise turn
        if "raise" in turn:
            raise _ERRORS.get(turn["raise"], base.ModelError)(turn.get("message", turn["raise"]))
        text = turn.get("text") or ""
        for piece in re.findall(r"\S+\s*|\s+", text):  # word-sized deltas, like a real stream
            yield TextDelta(piece)
        for call in turn.get("tool_calls") or []:
            self._ids += 1
            args = call.get("arguments", {})
            raw = args if isinstance(args, str) else json.dumps(args)
            yield ToolCall(call.get("id") or f"call_{self._ids}", call["name"], raw)
        yield Usage(prompt_tokens=self.count_tokens(messages, tools), completion_tokens=max(1, len(text) // 4))

    def assert_consumed(self) -> None:
        if self.turns:
            raise ScriptExhausted(f"{len(self.turns)} scripted turn(s) were never used")


def _turn_problem(turn: Any) -> str | None:
    """Why a turn read from a file cannot be played, or None."""
    if not isinstance(turn, dict):
        return f"expected an object with \"text\" and/or \"tool_calls\", got {type(turn).__name__}"
    if "raise" in turn:
        return None if isinstance(turn["raise"], str) else "\"raise\" must name an error, e.g. \"ModelUnavailable\""
    if not isinstance(turn.get("text", ""), (str, type(None))):
        return "\"text\" must be a string"
    calls = turn.get("tool_calls") or []
    if not isinstance(calls, list):
        return "\"tool_calls\" must be a list"
    for call in calls:
        if not isinstance(call, dict) or not isinstance(call.get("name"), str) or not call["name"]:
            return "each tool call needs a \"name\""
        if not isinstance(call.get("arguments", {}), (dict, str)):
            return f"the arguments of {call['name']} must be an object or a JSON string"
    return None
