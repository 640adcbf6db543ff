"""The one protocol every model backend speaks: OpenAI-shaped messages in, a stream of chunks out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Protocol, Union, runtime_checkable

__all__ = [
    "ContextOverflow", "Model", "ModelChunk", "ModelError", "ModelTimeout", "ModelUnavailable",
    "TextDelta", "ToolCall", "Usage", "approx_tokens",
]


@dataclass
class TextDelta:
    text: str


@dataclass
class ToolCall:
    """A call as the model produced it: `arguments` is raw JSON text, validated by the loop, not here."""

    id: str
    name: str
    arguments: str = "{}"

    def to_message(self) -> dict[str, Any]:
        return {"id": self.id, "type": "function", "function": {"name": self.name, "arguments": self.arguments}}


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    # prompt tokens the backend did not have to evaluate again (KV cache prefix reuse), when it knows
    cached_tokens: int = 0

    def add(self, other: "Usage") -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cached_tokens += other.cached_tokens

    def to_dict(self) -> dict[str, int]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "total_tokens": self.prompt_tokens + self.completion_tokens, "cached_tokens": self.cached_tokens}


ModelChunk = Union[TextDelta, ToolCall, Usage]


class ModelError(Exception):
    """The model could not produce a step; the turn ends with this message and the conversation is kept."""


class ModelUnavailable(ModelError):
    """The server is down or refused the connection."""


class ModelTimeout(ModelError):
    """The model did not answer in time."""


class ContextOverflow(ModelError):
    """The conversation does not fit in the model's context window even after trimming."""


@runtime_checkable
class Model(Protocol):
    name: str
    context_window: int

    def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Iterator[ModelChunk]:
        """One assistant step: text deltas and/or tool calls, then (optionally) one Usage chunk."""
        ...

    def count_tokens(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> int:
        """The prompt tokens `stream(messages, tools)` would send."""
        ...


def approx_tokens(messages: list[dict[str, Any]]) -> int:
    """A backend-free estimate (about 4 characters a token) for backends that cannot tokenize locally."""
    return sum(len(json.dumps(m, ensure_ascii=False)) for m in messages) // 4 + 4 * len(messages)
