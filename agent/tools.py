"""Typed tools: a decorated function becomes a `Tool` whose pydantic args model is both schema and validator."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Generic, Iterable, Mapping, TypeVar, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

__all__ = ["Approval", "ConsentRequired", "Tool", "ToolContext", "ToolError", "ToolRegistry", "tool",
           "to_data", "to_model_json", "validation_message"]

Deps = TypeVar("Deps")


class ToolError(Exception):
    """A recoverable problem (not found, out of stock…): its message goes back to the model as the result."""

    def for_model(self, tool_name: str) -> str:
        """The result text the model is sent; a tool pack with its own error format overrides this."""
        return f"{tool_name} failed: {self}"


class ConsentRequired(PermissionError):
    """A `writes` tool was called without the user's explicit approval; nothing was changed."""


@dataclass(frozen=True)
class Approval:
    """The user's explicit yes to one call of a `writes` tool (who asked how is up to the caller)."""

    tool: str
    by: str = "user"


@dataclass
class ToolContext(Generic[Deps]):
    """What a tool may know that the model cannot set: the app's typed dependencies, whose data this is, the session.

    `user_id` comes from the session, or from an authentication tool calling `bind_user` — never from arguments."""

    deps: Deps = None  # type: ignore[assignment]  # tools that need none may run with a bare context
    user_id: str | None = None
    session_id: str | None = None

    def bind_user(self, user_id: str) -> None:
        """Bind the identity an authentication step established; a bound identity cannot be switched."""
        if self.user_id is not None and self.user_id != user_id:
            raise ToolError("this session is already authenticated as another user")
        self.user_id = user_id


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args_model: type[BaseModel]
    fn: Callable[..., Any]
    writes: bool = False
    takes_context: bool = False  # decided once, from the first parameter's annotation
    # for helpers of our own (small-model hints, summaries); never sent to a model
    metadata: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def spec(self) -> dict[str, Any]:
        """The OpenAI-style function spec sent to the model (the JSON schema of `args_model`): a fresh copy of
        one made once, since pydantic builds a schema anew on every call (~1 ms a tool, every model step)."""
        return copy.deepcopy(self._spec)

    @cached_property
    def _spec(self) -> dict[str, Any]:
        schema = self.args_model.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        return {"type": "function", "function": {"name": self.name, "description": self.description, "parameters": schema}}

    def validate(self, arguments: Mapping[str, Any] | str) -> BaseModel:
        """Validate raw model arguments (a dict or JSON text); raises pydantic's ValidationError."""
        if isinstance(arguments, str):
            return self.args_model.model_validate_json(arguments or "{}")
        return self.args_model.model_validate(dict(arguments))

    def __call__(self, ctx: ToolContext[Any], args: BaseModel, *, approval: Approval | bool | None = None) -> Any:
        """Run the tool. A `writes` tool runs only with `approval` exactly `True` or an `Approval` for it."""
        if self.writes and not _approves(approval, self.name):
            raise ConsentRequired(f"{self.name} changes state and needs the user's explicit approval")
        kwargs = {name: getattr(args, name) for name in type(args).model_fields}
        return self.fn(ctx, **kwargs) if self.takes_context else self.fn(**kwargs)


def _approves(approval: Any, name: str) -> bool:
    # `is True`, not truthiness: a confirmer answering "no" (a non-empty string) must not count as yes.
    return approval is True or (isinstance(approval, Approval) and approval.tool == name)


def _takes_context(fn: Callable[..., Any], hints: Mapping[str, Any]) -> bool:
    params = list(inspect.signature(fn).parameters.values())
    if not params:
        return False
    annotation = hints.get(params[0].name)
    return annotation is ToolContext or get_origin(annotation) is ToolContext


def _args_model(fn: Callable[..., Any], name: str, hints: Mapping[str, Any], takes_context: bool) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    params = list(inspect.signature(fn).parameters.values())[1 if takes_context else 0:]
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise TypeError(f"tool {name}: *args/**kwargs cannot be described to a model")
        fields[p.name] = (hints.get(p.name, Any), ... if p.default is p.empty else p.default)
    # extra="forbid": an argument the tool does not take (say, a user id) is an error the model sees.
    return create_model(f"{name}_args", __config__=ConfigDict(extra="forbid"), **fields)


def tool(fn: Callable[..., Any] | None = None, *, name: str | None = None, writes: bool = False,
         description: str | None = None, metadata: Mapping[str, Any] | None = None) -> Any:
    """Decorator: `@tool` or `@tool(writes=True)` turns a typed function into a `Tool`.

    A first parameter annotated `ToolContext` (or `ToolContext[Deps]`) receives the context; the rest are the
    arguments the model fills."""

    def wrap(f: Callable[..., Any]) -> Tool:
        tool_name = name or f.__name__
        doc = description or inspect.cleandoc(f.__doc__ or "").strip()
        if not doc:
            raise TypeError(f"tool {tool_name} needs a docstring: it is the description the model reads")
        hints = get_type_hints(f, include_extras=True)
        takes = _takes_context(f, hints)
        return Tool(tool_name, doc, _args_model(f, tool_name, hints, takes), f, writes, takes, dict(metadata or {}))

    return wrap(fn) if fn is not None else wrap


def to_data(result: Any) -> Any:
    """A tool result as plain JSON-able data (for UIs, reports and the model)."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", exclude_none=True)
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return to_data(dataclasses.asdict(result))
    if isinstance(result, Mapping):
        return {str(k): to_data(v) for k, v in result.items() if v is not None}
    if isinstance(result, (list, tuple)):
        return [to_data(v) for v in result]
    return result


def to_model_json(result: Any) -> str:
    """Compact JSON: small models pay for every token of a tool result."""
    data = to_data(result)
    return data if isinstance(data, str) else json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)


class ToolRegistry:
    """Named tools, in registration order (LangChain interop lives in `agent.langchain`)."""

    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        for t in tools:
            self.add(t)

    def add(self, t: Tool) -> Tool:
        if t.name in self._tools:
            raise ValueError(f"a tool named {t.name!r} is already registered")
        self._tools[t.name] = t
        return t

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    @property
    def names(self) -> list[str]:
        return list(self._tools)

    def __iter__(self):
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    def specs(self) -> list[dict[str, Any]]:
        return [t.spec() for t in self._tools.values()]


def validation_message(tool_name: str, error: ValidationError) -> str:
    """An error the model can act on: which field, what was wrong, what to do."""
    lines = [f"{len(error.errors())} validation error(s) for {tool_name}:"]
    for e in error.errors(include_url=False):
        where = ".".join(str(p) for p in e["loc"]) or "(arguments)"
        lines.append(f"- {where}: {e['msg']}")
    lines.append("Fix the arguments and call the tool again.")
    return "\n".join(lines)
