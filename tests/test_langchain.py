"""LangChain interop both ways, with real LangChain tool objects."""

from __future__ import annotations

import json

from langchain_core.tools import ToolException
from langchain_core.tools import tool as lc_tool

from agent import Agent, ScriptedModel, ToolContext, ToolError, ToolRegistry, tool
from agent.langchain import adopt_langchain, registry_to_langchain


@lc_tool
def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


@lc_tool
def flaky(x: str) -> str:
    """Always fails in a way the model can act on."""
    raise ToolException(f"cannot handle {x}")


@tool
def greet(ctx: ToolContext, name: str) -> dict:
    """Greet someone on behalf of the signed-in shopper."""
    if name == "nobody":
        raise ToolError("say who to greet")
    return {"greeting": f"hello {name}", "from": ctx.user_id}


def test_langchain_tool_runs_inside_our_loop_with_its_own_schema():
    registry = ToolRegistry()
    adopted = adopt_langchain(registry, multiply)
    adopt_langchain(registry, flaky)
    params = adopted.spec()["function"]["parameters"]
    assert set(params["required"]) == {"a", "b"} and params["properties"]["a"]["type"] == "integer"
    model = ScriptedModel([
        {"tool_calls": [{"name": "multiply", "arguments": {"a": "x", "b": 3}}]},
        {"tool_calls": [{"name": "multiply", "arguments": {"a": 6, "b": 7}},
                        {"name": "flaky", "arguments": {"x": "this"}}]},
        {"text": "42"},
    ])
    events = list(Agent(model, registry).run("6 times 7?"))
    results = [e for e in events if e.type == "tool_result"]
    assert not results[0].ok and "a:" in results[0].result  # LangChain's schema validated our model's args
    assert results[1].ok and results[1].result == 42
    assert not results[2].ok and "cannot handle this" in results[2].result
    model.assert_consumed()


def test_our_tool_runs_as_a_langchain_structured_tool_with_a_fixed_context():
    registry = ToolRegistry([greet])
    [lc] = registry_to_langchain(ToolRegistry([greet]), ToolContext(user_id="S42"))
    assert lc.name == "greet" and "Greet someone" in lc.description
    assert json.loads(lc.invoke({"name": "Ada"})) == {"greeting": "hello Ada", "from": "S42"}
    assert "say who to greet" in lc.invoke({"name": "nobody"})  # ToolError → handled ToolException
    assert "name" in lc.args and "ctx" not in lc.args
