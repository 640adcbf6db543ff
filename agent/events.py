"""Events a turn yields; the CLI, `--json` and the eval runner all read this one stream."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Union

__all__ = ["Confirm", "Done", "Error", "Event", "TextEvent", "ToolCallEvent", "ToolResultEvent"]


class _Event:
    type: ClassVar[str]

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}  # type: ignore[call-overload]


@dataclass
class TextEvent(_Event):
    type: ClassVar[str] = "text"
    text: str


@dataclass
class ToolCallEvent(_Event):
    type: ClassVar[str] = "tool_call"
    id: str
    name: str
    arguments: Any  # parsed JSON when it parsed, else the raw text the model wrote


@dataclass
class ToolResultEvent(_Event):
    type: ClassVar[str] = "tool_result"
    id: str
    name: str
    ok: bool
    result: Any  # the tool's structured result as data, or the error message the model was sent
    writes: bool = False


@dataclass
class Confirm(_Event):
    """A `writes` tool asked for the user's go-ahead; `approved` is what they answered."""

    type: ClassVar[str] = "confirm"
    id: str
    name: str
    arguments: Any
    approved: bool


@dataclass
class Error(_Event):
    type: ClassVar[str] = "error"
    message: str
    kind: str = "error"  # the exception class that ended the turn, e.g. ModelUnavailable, StepBudgetExceeded


@dataclass
class Done(_Event):
    type: ClassVar[str] = "done"
    usage: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    steps: int = 0
    ok: bool = True


Event = Union[TextEvent, ToolCallEvent, ToolResultEvent, Confirm, Error, Done]
