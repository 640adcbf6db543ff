"""What one run of a case leaves behind: its turns as they happened, its state, and its failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.events import Done, Error, Event, ToolCallEvent, ToolResultEvent

__all__ = ["Failure", "RunRecord", "TurnRecord"]


@dataclass
class TurnRecord:
    """One user turn as it happened: the events the loop yielded, plus what earlier turns returned."""

    index: int
    user: str
    events: list[Event] = field(default_factory=list)
    earlier_results: list[Any] = field(default_factory=list)  # ok tool results of previous turns
    earlier_user: list[str] = field(default_factory=list)  # the user's previous messages
    error: str | None = None  # an error event's message or an exception that escaped the loop
    seconds: float = 0.0

    @property
    def reply(self) -> str:
        return "".join(e.text for e in self.events if e.type == "text")

    @property
    def calls(self) -> list[ToolCallEvent]:
        return [e for e in self.events if isinstance(e, ToolCallEvent)]

    @property
    def results(self) -> list[Any]:
        return [e.result for e in self.events if isinstance(e, ToolResultEvent) and e.ok]

    @property
    def done(self) -> Done | None:
        return next((e for e in self.events if isinstance(e, Done)), None)

    @property
    def error_event(self) -> Error | None:
        return next((e for e in self.events if isinstance(e, Error)), None)

    @property
    def steps(self) -> int:
        return self.done.steps if self.done else 0

    @property
    def tokens(self) -> int:
        return self.done.usage.get("total_tokens", 0) if self.done else 0


@dataclass
class Failure:
    evaluator: str
    reason: str
    turn: int | None = None  # None: a case-level check (state, budget, error before any turn)


@dataclass
class RunRecord:
    """One run of one case: its turns, the state afterwards, and the verdicts."""

    suite: str
    case_id: str
    attempt: int
    turns: list[TurnRecord] = field(default_factory=list)
    state: dict[str, Any] | None = None  # what the environment reported after the last turn (e.g. the cart)
    state_error: str | None = None  # why the state could not be read (the state evaluator reports it)
    error: str | None = None
    latency_s: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures and self.error is None

    @property
    def steps(self) -> int:
        return sum(t.steps for t in self.turns)

    @property
    def tokens(self) -> int:
        return sum(t.tokens for t in self.turns)
