"""The CLI through an injected console and input: no terminal needed. Models are scripted unless noted."""

from __future__ import annotations

import io
import json
import socket

import pytest
from rich.console import Console

import cli


@pytest.fixture()
def run_cli(demo_catalog, tmp_path, monkeypatch, capsys):
    """Run `cli.main` against the shared demo catalog, with a fresh home (sessions, shopper state)."""
    monkeypatch.setenv("SHOPAGENT_HOME", str(tmp_path / "home"))

    def run(*argv: str, inputs: list[str] | None = None, script: list | None = None, model=None):
        args = list(argv)
        if script is not None:
            path = tmp_path / f"script{len(list(tmp_path.glob('script*')))}.json"
            path.write_text(json.dumps({"turns": script}))
            args += ["--scripted", str(path)]
        if args and args[0] == "chat":
            args += ["--catalog", str(demo_catalog.location), "--state-dir", str(tmp_path / "state")]
        out = io.StringIO()
        console = Console(file=out, width=110, force_terminal=False, color_system=None)
        feed = iter(inputs or [])

        def input_fn(prompt: str) -> str:
            console.print(prompt, end="")
            try:
                return next(feed)
            except StopIteration:
                raise EOFError from None

        code = cli.main(args, console=console, input_fn=input_fn, model=model)
        return code, out.getvalue(), capsys.readouterr().out

    return run


def search_then_reply(query: str = "noise cancelling headphones") -> list:
    return [{"tool_calls": [{"name": "search_catalog", "arguments": {"query": query, "limit": 3}}]},
            {"text": "Here are some **headphones** for you."}]


def test_tools_json_lists_schemas(run_cli):
    code, _, stdout = run_cli("tools", "--json")
    tools = {t["name"]: t for t in json.loads(stdout)}
    assert code == 0
    assert tools["search_catalog"]["parameters"]["required"] == ["query"]
    assert "max_price" in tools["search_catalog"]["parameters"]["properties"]
    assert tools["add_to_cart"]["writes"] is True and tools["search_catalog"]["writes"] is False
    for spec in tools.values():  # the shopper comes from the session, never from the model
        assert not [p for p in spec["parameters"].get("properties", {}) if "shopper" in p or "user" in p]


def test_tools_table(run_cli):
    code, out, _ = run_cli("tools")
    assert code == 0 and "search_catalog" in out and "add_to_cart" in out


def test_once_json_prints_one_parseable_event_per_line(run_cli):
    code, _, stdout = run_cli("chat", "--once", "headphones please", "--json", script=search_then_reply())
    events = [json.loads(line) for line in stdout.splitlines()]
    assert code == 0
    types = [e["type"] for e in events]
    assert types[0] == "tool_call" and types[1] == "tool_result" and types[-1] == "done"
    assert set(types) == {"tool_call", "tool_result", "text", "done"}
    call, result, done = events[0], events[1], events[-1]
    assert call["name"] == "search_catalog" and call["arguments"]["query"] == "noise cancelling headphones"
    assert result["ok"] and len(result["result"]["results"]) == 3
    assert all(r["id"].startswith("P") for r in result["result"]["results"])
    assert done["usage"]["total_tokens"] > 0 and "total_s" in done["timings"]
    assert "".join(e["text"] for e in events if e["type"] == "text") == "Here are some **headphones** for you."


def test_once_declines_writes_without_yes_and_runs_them_with_yes(run_cli):
    script = [{"tool_calls": [{"name": "add_to_cart", "arguments": {"product_id": "P0001", "quantity": 1}}]},
              {"text": "ok"}]
    _, _, stdout = run_cli("chat", "--once", "add P0001", "--json", script=script)
    events = [json.loads(line) for line in stdout.splitlines()]
    confirm = next(e for e in events if e["type"] == "confirm")
    assert confirm["approved"] is False and confirm["name"] == "add_to_cart"
    assert next(e for e in events if e["type"] == "tool_result")["ok"] is False

    _, _, stdout = run_cli("chat", "--once", "add P0001", "--json", "--yes", script=script)
    events = [json.loads(line) for line in stdout.splitlines()]
    assert next(e for e in events if e["type"] == "confirm")["approved"] is True
    assert next(e for e in events if e["type"] == "tool_result")["ok"] is True
    _, _, stdout = run_cli("chat", "--once", "cart?", "--json", script=[
        {"tool_calls": [{"name": "view_cart", "arguments": {}}]}, {"text": "one item"}])
    cart = next(json.loads(l) for l in stdout.splitlines() if json.loads(l)["type"] == "tool_result")
    assert [line["product_id"] for line in cart["result"]["lines"]] == ["P0001"]


def test_interactive_chat_renders_panels_tables_and_commands(run_cli):
    code, out, _ = run_cli("chat", inputs=["/help", "headphones", "/reset", "/quit"], script=search_then_reply())
    assert code == 0
    assert "/reset" in out and "tool call" in out and "search_catalog" in out
    assert "Conversation cleared" in out
    assert "price" in out and "rating" in out  # the search results were drawn as a table
    assert "Here are some headphones for you." in out  # markdown rendered, not raw **


def test_multi_turn_search_compare_add_to_cart(run_cli):
    """The issue's conversation: search → compare the first two → add one to the cart (confirmed with y)."""

    def compare_first_two(messages, tools):
        found = json.loads(next(m for m in messages if m["role"] == "tool")["content"])["results"]
        return {"tool_calls": [{"name": "compare_products",
                                "arguments": {"product_ids": [found[0]["id"], found[1]["id"]]}}]}

    def add_first(messages, tools):
        compared = json.loads([m for m in messages if m["role"] == "tool"][-1]["content"])
        return {"tool_calls": [{"name": "add_to_cart",
                                "arguments": {"product_id": compared["products"][0]["id"], "quantity": 1}}]}

    script_path_turns = search_then_reply("wireless headphones") + [
        compare_first_two, {"text": "Compared."}, add_first, {"text": "Added."}]
    from agent.models import ScriptedModel

    code, out, _ = run_cli("chat", inputs=["wireless headphones", "compare the first two", "add the first one", "y",
                                           "/quit"], model=ScriptedModel(script_path_turns))
    assert code == 0
    assert "compare_products" in out and "add_to_cart" in out and "Allow add_to_cart" in out
    assert "attribute" in out  # the comparison table
    code, _, stdout = run_cli("chat", "--once", "cart?", "--json", script=[
        {"tool_calls": [{"name": "view_cart", "arguments": {}}]}, {"text": "one"}])
    cart = next(json.loads(l) for l in stdout.splitlines() if json.loads(l)["type"] == "tool_result")
    assert len(cart["result"]["lines"]) == 1 and cart["result"]["lines"][0]["quantity"] == 1


def test_resume_continues_last_conversation(run_cli):
    run_cli("chat", "--once", "my name is Ada", script=[{"text": "Hi Ada."}])
    seen = []

    def recall(messages, tools):
        seen.extend(m["content"] for m in messages if m["role"] == "user")
        return {"text": "You are Ada."}

    from agent.models import ScriptedModel

    run_cli("chat", "--once", "who am I?", "--resume", model=ScriptedModel([recall]))
    assert seen == ["my name is Ada", "who am I?"]


def test_dead_model_server_ends_turn_with_clear_error(run_cli):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    code, _, stdout = run_cli("chat", "--once", "hello", "--json", "--base-url", f"http://127.0.0.1:{port}/v1",
                              "--model", "x", "--timeout", "2")
    events = [json.loads(line) for line in stdout.splitlines()]
    assert code == 1  # a failed --once turn exits non-zero (scripts depend on it)
    error = next(e for e in events if e["type"] == "error")
    assert error["kind"] == "ModelUnavailable" and f"127.0.0.1:{port}" in error["message"]
    assert events[-1]["type"] == "done"


def test_search_results_never_break_the_budget_and_alternatives_get_their_own_table(run_cli, demo_catalog):
    where = ["--catalog", str(demo_catalog.location)]
    code, out, _ = run_cli("search", "something for the kitchen under $50", "--json", *where)
    hits = json.loads(out)  # the console's file holds the JSON alone
    assert code == 0 and hits and all(h["price"] <= 50 for h in hits)
    code, out, _ = run_cli("search", "running shoes under $60", *where)
    assert code == 0 and "close, but over your budget" in out and "price ≤ 60" in out


def test_chat_draws_a_searchs_near_misses_as_a_second_table(run_cli):
    script = [{"tool_calls": [{"name": "search_catalog", "arguments": {"query": "running shoes", "max_price": 60}}]},
              {"text": "Nothing under $60; the closest cost more."}]
    code, out, _ = run_cli("chat", inputs=["running shoes under $60", "/quit"], script=script)
    assert code == 0 and "close, but over your budget" in out and "misses" in out


def test_an_order_placed_in_the_chat_is_delivered_by_the_orders_command_then_returned(run_cli, demo_catalog, tmp_path):
    where = ["--catalog", str(demo_catalog.location), "--state-dir", str(tmp_path / "state")]
    buy = [{"tool_calls": [{"name": "add_to_cart", "arguments": {"product_id": "P0011", "quantity": 1}}]},
           {"tool_calls": [{"name": "start_checkout", "arguments": {}}]},
           {"tool_calls": [{"name": "choose_shipping", "arguments": {
               "option_id": "standard", "street_address": "1 Elm St", "city": "Springfield", "country": "US"}}]},
           {"tool_calls": [{"name": "place_order", "arguments": {}}]}, {"text": "Placed."}]
    _, _, stdout = run_cli("chat", "--once", "buy P0011", "--json", "--yes", script=buy)
    placed = [json.loads(line) for line in stdout.splitlines() if json.loads(line)["type"] == "tool_result"][-1]
    order_id = placed["result"]["order_id"]
    code, out, _ = run_cli("orders", "list", "S001", *where)
    assert code == 0 and order_id in out and "placed" in out
    assert run_cli("orders", "deliver", order_id, *where)[:2] == (0, f"Order {order_id} is now delivered (simulated).\n")
    back = [{"tool_calls": [{"name": "return_delivered_order_items", "arguments": {
        "order_id": order_id, "item_ids": ["P0011"]}}]}, {"text": "Return requested."}]
    _, _, stdout = run_cli("chat", "--once", "return it", "--json", "--yes", script=back)
    result = next(json.loads(l) for l in stdout.splitlines() if json.loads(l)["type"] == "tool_result")
    assert result["ok"] and result["result"]["status"] == "return_requested"
    assert result["result"]["adjustments"][0]["amount"] == "29.00 USD"
    assert run_cli("orders", "deliver", "ord_nope", *where)[0] == 2
