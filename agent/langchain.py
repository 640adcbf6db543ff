"""LangChain interop both ways: adopt any `BaseTool`, export ours as `StructuredTool`s."""

from __future__ import annotations

from typing import Any

from agent.tools import Tool, ToolContext, ToolError, to_model_json

__all__ = ["from_langchain", "to_langchain"]


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


def to_langchain(tool: Tool, ctx: ToolContext) -> Any:
    """Our tool as a LangChain `StructuredTool` bound to a fixed context (the model still cannot set it)."""
    from langchain_core.tools import StructuredTool, ToolException

    def run(**kwargs: Any) -> str:
        try:
            return to_model_json(tool(ctx, tool.validate(kwargs)))
        except ToolError as exc:
            raise ToolException(str(exc)) from exc

    return StructuredTool.from_function(func=run, name=tool.name, description=tool.description,
                                        args_schema=tool.args_model, handle_tool_error=True,
                                        metadata={"writes": tool.writes})
