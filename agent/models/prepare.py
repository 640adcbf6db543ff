"""Help for small models, declared: what an application works out before each model step, and what a tool says
about itself for it.

Only the grammar protocol (agent/models/grammar.py) uses these; a model driven by its native chat template or
an OpenAI-compatible endpoint never runs a preparer. Values travel as data: the preparer's `note` is text for
the model to read, never something our own code parses back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol, runtime_checkable

__all__ = ["AID", "NONE", "StepPlan", "StepPreparer", "ToolAid", "aid_of"]

NONE = "none"  # the decision "no tool"
AID = "aid"  # the key of a tool's `metadata` that holds its ToolAid


@dataclass(frozen=True)
class ToolAid:
    """What a tool declares for small-model helpers (`@tool(metadata={AID: ToolAid(...)})`); never sent to a model."""

    # argument -> the kind of value it takes ("id", "count", …: the application's words); a preparer pins it
    # to such a value when the user's words or the conversation give one.
    values: Mapping[str, str] = field(default_factory=dict)
    # optional arguments that only a value found in the user's words may set (left out of the call otherwise)
    governed: frozenset[str] = frozenset()
    # one line, in words, from the tool's result data (shown under the result for the model to copy from)
    summarize: Callable[[Any], str] | None = None
    # the reply composed from the result data, for models too small to write one faithfully
    present: Callable[[Any], str] | None = None
    # the argument that carries the user's own words (a free-text query), if any
    text_arg: str | None = None
    # a tool that must have run before this one (a step that needs an earlier step done): when the user's
    # words lead here and it has not run, a preparer plans it first, then this one, in the same turn
    after: str | None = None


def aid_of(tool: Any) -> ToolAid | None:
    """The ToolAid a tool declares in its metadata, or None."""
    aid = getattr(tool, "metadata", {}).get(AID)
    return aid if isinstance(aid, ToolAid) else None


@dataclass(frozen=True)
class StepPlan:
    """Structured values for one tool decision; every field narrows the grammar, none is text to re-read.

    Per tool name and argument: `pins` are the values it must take (made required); `shown` the values the
    conversation has shown that it may take (or its default) — a required argument with none shown makes its
    tool unavailable, so a model cannot invent an id; `governed` the optional arguments left out unless pinned.
    `tool` is the likely tool: among `settles` (all tools when None) only it (and "none") stays available;
    `required` settles the call itself: "none" is not offered (a step the user's own line asked for, planned
    after a result of this turn)."""

    pins: Mapping[str, Mapping[str, tuple[Any, ...]]] = field(default_factory=dict)
    shown: Mapping[str, Mapping[str, tuple[Any, ...]]] = field(default_factory=dict)
    governed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    tool: str | None = None
    settles: frozenset[str] | None = None
    required: bool = False

    def available(self, names: list[str]) -> list[str]:
        """The tool names (of `names`) a call may use under `tool`/`settles`."""
        if self.tool is None or (self.tool != NONE and self.tool not in names):
            return names
        return [n for n in names if n == self.tool or (self.settles is not None and n not in self.settles)]


@runtime_checkable
class StepPreparer(Protocol):
    """The application's help for a small model before each step (the grammar protocol only)."""

    summarizes: bool  # whether `summary` writes lines (the document's header explains them only then)

    def note(self, text: str) -> str:
        """The line shown under a user line ("" for none): values read from it, for the model to copy.
        A pure function of the text, so re-rendering a turn gives the same bytes (prefix reuse)."""
        ...

    def summary(self, tool: str | None, result: str) -> str:
        """One line in words under a tool's result text ("" for none)."""
        ...

    def prepare(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> StepPlan:
        """The plan for the next tool decision of this conversation."""
        ...

    def compose(self, messages: list[dict[str, Any]]) -> str | None:
        """The reply written by code for the turn so far (after its results, or after "no tool"), or None to
        let the model write it: a small model retelling a result gets ids, prices and speakers wrong."""
        ...
