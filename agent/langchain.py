"""LangChain interop both ways: adopt any `BaseTool`, export ours as `StructuredTool`s."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from pydantic import BaseModel

from agent.tools import Approval, Tool, ToolContext, ToolError, ToolRegistry, to_model_json

__all__ = ["NEEDS_CONFIRMATION", "adopt_langchain", "from_langchain", "to_langchain", "registry_to_langchain"]

# What an exported `writes` tool answers when the user said no: LangChain's human-in-the-loop middleware
# likewise hands a rejection back to the model as the tool's message.
NEEDS_CONFIRMATION = "Not run: {name} changes state and the user did not approve it."

# Asked before an exported `writes` tool runs; only an answer that `is True` (or an Approval) counts as yes.
LangChainConfirmer = Callable[[str, BaseModel], Any]


def from_langchain(lc_tool: Any, *, writes: bool = False) -> Tool:
    """Wrap a LangChain tool; its own input schema (a pydantic model) stays the single schema source."""
    from langchain_core.tools import ToolException

    args_model = lc_tool.get_input_schema()

    def run(**kwargs: Any) -> Any:
        try:
            return lc_tool.invoke(kwargs)
        except ToolException as exc:  # LangChain's recoverable failure: the model should see it
            raise ToolError(str(exc)) from exc

    return Tool(lc_tool.name, lc_tool.description or lc_tool.name, args_model, run, writes)


def adopt_langchain(registry: ToolRegistry, lc_tool: Any, *, writes: bool = False) -> Tool:
    return registry.add(from_langchain(lc_tool, writes=writes))


def to_langchain(tool: Tool, ctx: ToolContext[Any], confirm: LangChainConfirmer | None = None) -> Any:
    """Our tool as a LangChain `StructuredTool` bound to a fixed context (the model still cannot set it).

    A `writes` tool needs `confirm`: exporting one without it raises, so no caller can write unasked."""
    from langchain_core.tools import StructuredTool, ToolException

    if tool.writes and confirm is None:
        raise ValueError(f"{tool.name} changes state: to_langchain needs a confirm callback for it")

    def run(**kwargs: Any) -> str:
        try:
            args = tool.validate(kwargs)
            approval = None
            if tool.writes:
                answer = confirm(tool.name, args)  # type: ignore[misc]
                if not (answer is True or isinstance(answer, Approval)):
                    return NEEDS_CONFIRMATION.format(name=tool.name)
                approval = answer
            return to_model_json(tool(ctx, args, approval=approval))
        except ToolError as exc:
            raise ToolException(str(exc)) from exc

    return StructuredTool.from_function(func=run, name=tool.name, description=tool.description,
                                        args_schema=tool.args_model, handle_tool_error=True,
                                        metadata={"writes": tool.writes})


def registry_to_langchain(registry: Iterable[Tool], ctx: ToolContext[Any],
                          confirm: LangChainConfirmer | None = None) -> list[Any]:
    return [to_langchain(t, ctx, confirm) for t in registry]
