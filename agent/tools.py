"""Typed tools: a decorated function becomes a `Tool` whose pydantic args model is both schema and validator."""

from __future__ import annotations

import dataclasses
import inspect
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

__all__ = ["Tool", "ToolContext", "ToolError", "ToolRegistry", "tool", "to_model_json", "to_data"]


class ToolError(Exception):
    """A recoverable problem (not found, out of stock…): its message goes back to the model as the result."""

    def for_model(self, tool_name: str) -> str:
        """The result text the model is sent; a tool pack with its own error format overrides this."""
        return f"{tool_name} failed: {self}"


@dataclass
class ToolContext:
    """What a tool may know that the model cannot set: whose session this is and the stores it may use."""

    shopper_id: str | None = None
    stores: Mapping[str, Any] = field(default_factory=dict)
    session_id: str | None = None

    def store(self, name: str) -> Any:
        try:
            return self.stores[name]
        except KeyError:
            raise ToolError(f"this deployment has no '{name}' store configured") from None


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args_model: type[BaseModel]
    fn: Callable[..., Any]
    writes: bool = False

    def spec(self) -> dict[str, Any]:
        """The OpenAI-style function spec sent to the model (the JSON schema of `args_model`)."""
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

    def __call__(self, ctx: ToolContext, args: BaseModel) -> Any:
        kwargs = {name: getattr(args, name) for name in type(args).model_fields}
        return self.fn(ctx, **kwargs) if _takes_context(self.fn) else self.fn(**kwargs)


def _takes_context(fn: Callable[..., Any]) -> bool:
    params = list(inspect.signature(fn).parameters.values())
    return bool(params) and (params[0].name in ("ctx", "context") or params[0].annotation in (ToolContext, "ToolContext"))


def _args_model(fn: Callable[..., Any], name: str) -> type[BaseModel]:
    hints = get_type_hints(fn, include_extras=True)
    fields: dict[str, Any] = {}
    params = list(inspect.signature(fn).parameters.values())
    if _takes_context(fn):
        params = params[1:]
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise TypeError(f"tool {name}: *args/**kwargs cannot be described to a model")
        annotation = hints.get(p.name, Any)
        fields[p.name] = (annotation, ... if p.default is p.empty else p.default)
    # extra="forbid": an argument the tool does not take (say, a shopper id) is an error the model sees.
    return create_model(f"{name}_args", __config__=ConfigDict(extra="forbid"), **fields)


def tool(fn: Callable[..., Any] | None = None, *, name: str | None = None, writes: bool = False,
         description: str | None = None) -> Any:
    """Decorator: `@tool` or `@tool(writes=True)` turns a typed function into a `Tool`."""

    def wrap(f: Callable[..., Any]) -> Tool:
        tool_name = name or f.__name__
        doc = description or inspect.cleandoc(f.__doc__ or "").strip()
        if not doc:
            raise TypeError(f"tool {tool_name} needs a docstring: it is the description the model reads")
        return Tool(tool_name, doc, _args_model(f, tool_name), f, writes)

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
    """Named tools; can adopt LangChain tools and export ours to LangChain."""

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

    def adopt_langchain(self, lc_tool: Any, *, writes: bool = False) -> Tool:
        from agent.langchain import from_langchain

        return self.add(from_langchain(lc_tool, writes=writes))

    def to_langchain(self, ctx: ToolContext) -> list[Any]:
        from agent.langchain import to_langchain

        return [to_langchain(t, ctx) for t in self._tools.values()]


def validation_message(tool_name: str, error: ValidationError) -> str:
    """An error the model can act on: which field, what was wrong, what to do."""
    lines = [f"{len(error.errors())} validation error(s) for {tool_name}:"]
    for e in error.errors(include_url=False):
        where = ".".join(str(p) for p in e["loc"]) or "(arguments)"
        lines.append(f"- {where}: {e['msg']}")
    lines.append("Fix the arguments and call the tool again.")
    return "\n".join(lines)
