"""The loop's logic, driven by the scripted model (a fake by design: these tests are about the loop)."""

from __future__ import annotations

import json
from typing import Annotated, Literal

import pytest
from pydantic import Field

from agent import Agent, AgentSettings, ScriptedModel, ToolContext, ToolError, ToolRegistry, tool
from agent.models import ScriptExhausted


@tool
def find_items(query: str, max_price: Annotated[float | None, Field(gt=0)] = None) -> dict:
    """Search the shop for items."""
    items = [{"id": "A1", "title": "Red mug", "price": 8.0}, {"id": "B2", "title": "Blue mug", "price": 12.0}]
    return {"items": [i for i in items if max_price is None or i["price"] <= max_price]}


@tool
def whoami(ctx: ToolContext) -> dict:
    """Tell whose session this is."""
    return {"shopper": ctx.user_id}


@tool
def lookup(item_id: str) -> dict:
    """Look an item up by id."""
    if item_id != "A1":
        raise ToolError(f"no item {item_id}; ids look like A1")
    return {"id": "A1"}


@tool(writes=True)
def add_item(ctx: ToolContext, item_id: str, quantity: Annotated[int, Field(ge=1, le=10)] = 1) -> dict:
    """Put an item in the cart."""
    ctx.deps["cart"].append((item_id, quantity))
    return {"cart": [list(x) for x in ctx.deps["cart"]]}


def call(name: str, **arguments) -> dict:
    return {"name": name, "arguments": arguments}


def make(turns, *, confirm=None, settings=None, shopper="S1"):
    model = ScriptedModel(turns)
    ctx = ToolContext({"cart": []}, user_id=shopper)
    agent = Agent(model, ToolRegistry([find_items, whoami, lookup, add_item]), ctx, system_prompt="Be helpful.",
                  settings=settings or AgentSettings(), **({"confirm": confirm} if confirm else {}))
    return agent, model, ctx


def kinds(events) -> list[str]:
    return [e.type for e in events]


def test_tool_call_result_then_reply_streams_and_is_recorded():
    agent, model, _ = make([
        {"tool_calls": [call("find_items", query="mug", max_price=10)]},
        {"text": "The Red mug (A1) costs $8."},
    ])
    events = list(agent.run("a mug under 10"))
    assert kinds(events) == ["tool_call", "tool_result", "text", "text", "text", "text", "text", "text", "done"]
    result = events[1]
    assert result.ok and result.result == {"items": [{"id": "A1", "title": "Red mug", "price": 8.0}]}
    assert "".join(e.text for e in events if e.type == "text") == "The Red mug (A1) costs $8."
    done = events[-1]
    assert done.ok and done.steps == 2 and done.usage["prompt_tokens"] > 0 and done.timings["total_s"] >= 0
    # the whole transcript, not just the last answer
    assert [m["role"] for m in agent.messages] == ["system", "user", "assistant", "tool", "assistant"]
    assert json.loads(agent.messages[3]["content"]) == result.result
    assert agent.messages[2]["tool_calls"][0]["function"]["name"] == "find_items"
    # the second model step saw the tool result
    assert model.calls[1][-1]["role"] == "tool"
    model.assert_consumed()


def test_invalid_arguments_go_back_as_an_actionable_message_then_fixed_call_runs():
    agent, model, _ = make([
        {"tool_calls": [call("find_items", query="mug", max_price=-5, colour="red")]},
        {"tool_calls": [call("find_items", query="mug", max_price=5)]},
        {"text": "Nothing that cheap."},
    ])
    events = list(agent.run("mug under 5"))
    first, second = [e for e in events if e.type == "tool_result"]
    assert not first.ok
    assert "max_price" in first.result and "greater than 0" in first.result
    assert "colour" in first.result and "Fix the arguments" in first.result
    assert second.ok and second.result == {"items": []}
    assert events[-1].ok


def test_broken_json_arguments_are_reported_to_the_model():
    agent, model, _ = make([
        {"tool_calls": [{"name": "find_items", "arguments": '{"query": "mug"'}]},
        {"text": "ok"},
    ])
    events = list(agent.run("mug"))
    bad = next(e for e in events if e.type == "tool_result")
    assert not bad.ok and "json" in bad.result.lower()
    assert events[0].arguments == '{"query": "mug"'  # raw text kept when it does not parse


def test_unknown_tool_lists_valid_names():
    agent, _, _ = make([{"tool_calls": [call("search_everything", q="x")]}, {"text": "sorry"}])
    events = list(agent.run("x"))
    result = next(e for e in events if e.type == "tool_result")
    assert not result.ok
    for name in ("find_items", "whoami", "lookup", "add_item"):
        assert name in result.result


def test_step_budget_ends_turn_with_named_error_and_keeps_conversation():
    turns = [{"tool_calls": [call("find_items", query=f"q{i}")]} for i in range(3)]
    agent, _, _ = make(turns, settings=AgentSettings(max_steps=3))
    events = list(agent.run("loop forever"))
    error = next(e for e in events if e.type == "error")
    assert error.kind == "StepBudgetExceeded"
    assert events[-1].type == "done" and not events[-1].ok
    assert agent.messages[1] == {"role": "user", "content": "loop forever"}
    assert sum(1 for m in agent.messages if m["role"] == "tool") == 3


def test_identical_repeated_call_is_stopped():
    same = {"tool_calls": [call("find_items", query="mug")]}
    agent, _, _ = make([same, same, same, {"text": "never reached"}])
    events = list(agent.run("mug"))
    results = [e for e in events if e.type == "tool_result"]
    assert results[0].ok and not results[1].ok and "already called" in results[1].result
    error = next(e for e in events if e.type == "error")
    assert error.kind == "RepeatedToolCall"


def test_retry_budget_per_tool():
    bad = {"tool_calls": [call("lookup", item_id="Z9")]}
    turns = [bad, {"tool_calls": [call("lookup", item_id="Z8")]}, {"tool_calls": [call("lookup", item_id="Z7")]}]
    agent, _, _ = make(turns, settings=AgentSettings(max_retries=2))
    events = list(agent.run("look up"))
    results = [e for e in events if e.type == "tool_result"]
    assert [r.ok for r in results] == [False, False, False]
    assert "ids look like A1" in results[0].result
    assert next(e for e in events if e.type == "error").kind == "RetryBudgetExceeded"


def test_writes_tool_declined_does_not_run():
    agent, _, ctx = make([{"tool_calls": [call("add_item", item_id="A1", quantity=2)]}, {"text": "Okay, not added."}])
    events = list(agent.run("add A1"))
    confirm = next(e for e in events if e.type == "confirm")
    assert confirm.approved is False and confirm.arguments == {"item_id": "A1", "quantity": 2}
    result = next(e for e in events if e.type == "tool_result")
    assert not result.ok and "declined" in result.result and result.writes
    assert ctx.deps["cart"] == []


def test_writes_tool_approved_runs_once_with_validated_args():
    asked = []

    def approve(call, args):
        asked.append((call.name, args.quantity))
        return True

    agent, _, ctx = make([{"tool_calls": [call("add_item", item_id="A1", quantity="2")]}, {"text": "Added."}],
                         confirm=approve)
    events = list(agent.run("add two A1"))
    assert asked == [("add_item", 2)]
    assert next(e for e in events if e.type == "confirm").approved
    assert ctx.deps["cart"] == [("A1", 2)]


def test_writes_tool_with_invalid_quantity_is_never_confirmed():
    asked = []
    agent, _, ctx = make([{"tool_calls": [call("add_item", item_id="A1", quantity=50)]}, {"text": "Max is 10."}],
                         confirm=lambda c, a: asked.append(c) or True)
    events = list(agent.run("add 50"))
    assert asked == [] and ctx.deps["cart"] == []
    assert "less than or equal to 10" in next(e for e in events if e.type == "tool_result").result


@pytest.mark.parametrize("kind", ["ModelUnavailable", "ModelTimeout", "ContextOverflow", "ModelError"])
def test_model_failure_ends_turn_with_clear_error_and_history_survives(kind):
    agent, _, _ = make([{"text": "Hello!"}, {"raise": kind, "message": "server at 127.0.0.1:9 is down"}])
    list(agent.run("hi"))
    events = list(agent.run("still there?"))
    assert kinds(events) == ["error", "done"]
    assert events[0].kind == kind and "127.0.0.1:9" in events[0].message
    assert [m["role"] for m in agent.messages] == ["system", "user", "assistant", "user"]


def test_model_failure_after_a_tool_call_keeps_a_valid_transcript():
    agent, _, _ = make([{"tool_calls": [call("find_items", query="mug"), call("whoami")]},
                        {"raise": "ModelTimeout", "message": "timed out"}])
    events = list(agent.run("mug"))
    assert events[-2].kind == "ModelTimeout"
    calls = agent.messages[2]["tool_calls"]
    answered = {m["tool_call_id"] for m in agent.messages if m["role"] == "tool"}
    assert {c["id"] for c in calls} <= answered


def test_context_comes_from_the_session_not_the_model():
    agent, _, _ = make([{"tool_calls": [call("whoami", shopper_id="S999")]}, {"tool_calls": [call("whoami")]},
                        {"text": "You are S1."}], shopper="S1")
    events = list(agent.run("who am I? I'm S999"))
    first, second = [e for e in events if e.type == "tool_result"]
    assert not first.ok and "shopper_id" in first.result  # no such argument exists
    assert second.ok and second.result == {"shopper": "S1"}


def test_cancelled_turn_leaves_consistent_history():
    agent, _, _ = make([{"tool_calls": [call("find_items", query="mug")]}, {"text": "never"}])
    stream = agent.run("mug")
    assert next(stream).type == "tool_call"
    stream.close()  # what Ctrl-C does in the CLI
    roles = [m["role"] for m in agent.messages]
    assert roles == ["system", "user", "assistant", "tool"]
    assert "Not run" in agent.messages[-1]["content"]


def test_scripted_model_raises_when_exhausted_and_checks_consumption():
    model = ScriptedModel([{"text": "one"}, {"text": "two"}])
    with pytest.raises(ScriptExhausted):
        model.assert_consumed()
    list(model.stream([], []))
    list(model.stream([], []))
    model.assert_consumed()
    with pytest.raises(ScriptExhausted):
        list(model.stream([], []))


def test_scripted_model_loads_from_json(tmp_path):
    path = tmp_path / "script.json"
    path.write_text(json.dumps({"turns": [{"tool_calls": [call("whoami")]}, {"text": "done"}]}))
    agent = Agent(ScriptedModel.from_file(path), ToolRegistry([whoami]), ToolContext(user_id="S7"))
    events = list(agent.run("who"))
    assert next(e for e in events if e.type == "tool_result").result == {"shopper": "S7"}


def test_tool_schema_is_the_validator():
    spec = find_items.spec()["function"]
    assert spec["name"] == "find_items" and spec["description"] == "Search the shop for items."
    params = spec["parameters"]
    assert params["required"] == ["query"]
    assert params["additionalProperties"] is False
    assert "ctx" not in json.dumps(params)
    assert add_item.writes and not find_items.writes


def test_literal_arguments_and_docstring_required():
    @tool
    def pick(kind: Literal["a", "b"] = "a") -> str:
        """Pick one."""
        return kind

    assert pick.spec()["function"]["parameters"]["properties"]["kind"]["enum"] == ["a", "b"]
    with pytest.raises(TypeError, match="docstring"):
        tool(lambda x: x)
