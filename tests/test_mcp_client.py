"""agent/mcp.py: remote MCP tools adopted as typed tools, against our own server (a subprocess over stdio and
HTTP) and a third-party one from PyPI (mcp-server-time, offline), through the real agent loop."""

from __future__ import annotations

import sys

import pytest
from pydantic import ValidationError

from agent import Agent, ScriptedModel, ToolRegistry
from agent.mcp import MCPUnavailable, adopt_mcp, connect
from agent.tools import ToolContext, ToolError
from tests.mcp_shop import http_server, make_shop

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def shop(demo_catalog, tmp_path_factory):
    return make_shop(tmp_path_factory.mktemp("mcp_client_shop"), demo_catalog.location)


@pytest.fixture(scope="module")
def shop_tools(shop):
    """Our shop over stdio, as S001, adopted into a registry of its own."""
    conn = connect(shop.stdio_command(), env={"SHOPAGENT_MCP_TOKEN": shop.tokens["S001"]}, timeout=120)
    registry = ToolRegistry()
    adopt_mcp(registry, conn)
    yield registry
    conn.close()


def run(tool, **arguments):
    return tool(ToolContext(), tool.validate(arguments), approval=True)


def test_remote_tools_are_typed_from_their_json_schemas(shop_tools):
    search = shop_tools.get("search_catalog")
    assert not search.writes and shop_tools.get("add_to_cart").writes and shop_tools.get("remove_from_cart").writes
    params = search.spec()["function"]["parameters"]
    assert params["required"] == ["catalog"] and "$defs" in params  # the server's schema, verbatim
    for bad in ({}, {"catalog": {"query": "x", "pagination": {"limit": 99}}}, {"catalog": {"query": 5}},
                {"catalog": {"query": "x"}, "shopper_id": "S002"}, {"query": "x"}):
        with pytest.raises(ValidationError):
            search.validate(bad)
    assert search.validate({"catalog": {"query": "tent"}}).catalog == {"query": "tent"}


def test_remote_results_and_remote_errors(shop_tools):
    found = run(shop_tools.get("search_catalog"), catalog={"query": "running shoes", "pagination": {"limit": 2}})
    assert len(found["products"]) == 2 and all(p["id"].startswith("P") for p in found["products"])
    with pytest.raises(ToolError, match="no product with id"):
        run(shop_tools.get("get_product"), catalog={"id": "NOPE-1"})


def test_agent_loop_confirms_locally_then_the_server_is_answered(shop_tools):
    """A remote write runs only after the shopper's yes here; the server's own question is answered from it."""
    found = run(shop_tools.get("search_catalog"), catalog={"query": "backpack"})
    pid = next(p["id"] for p in found["products"] if p["variants"][0]["availability"]["available"])
    script = [{"tool_calls": [{"name": "add_to_cart", "arguments": {"product_id": pid}}]}, {"text": "Added."},
              {"tool_calls": [{"name": "add_to_cart", "arguments": {"product_id": pid, "quantity": 2}}]},
              {"text": "Not added."}]
    answers = iter([True, False])
    agent = Agent(ScriptedModel(script), shop_tools, confirm=lambda call, args: next(answers))
    events = list(agent.run("add it")) + list(agent.run("add two more"))
    results = [e for e in events if e.type == "tool_result"]
    assert results[0].ok and results[0].result["product_id"] == pid and results[0].writes
    assert not results[1].ok and "declined" in results[1].result
    cart = run(shop_tools.get("view_cart"))
    assert {line["product_id"]: line["quantity"] for line in cart["lines"]}[pid] == 1  # the declined 2 never went
    run(shop_tools.get("remove_from_cart"), product_id=pid)


def test_a_server_that_goes_away_ends_the_call_with_a_clear_message(shop):
    registry = ToolRegistry()
    with http_server(shop) as url:
        conn = connect(url, headers={"Authorization": f"Bearer {shop.tokens['S002']}"}, timeout=20)
        adopt_mcp(registry, conn)
        assert run(registry.get("view_cart"))["lines"] == []
    # the server process has been stopped: the next call fails as a tool error the model can relay
    script = [{"tool_calls": [{"name": "view_cart", "arguments": {}}]}, {"text": "The shop is unreachable."}]
    events = list(Agent(ScriptedModel(script), registry).run("what's in my cart?"))
    result = next(e for e in events if e.type == "tool_result")
    assert not result.ok and "unavailable" in result.result and events[-1].type == "done"
    with pytest.raises(MCPUnavailable, match="gone|unavailable"):
        run(registry.get("view_cart"))
    conn.close()


def test_unreachable_servers_fail_to_connect_clearly():
    with pytest.raises(MCPUnavailable, match="cannot connect"):
        connect(f"{sys.executable} -c 'import sys; sys.exit(3)'", timeout=20)
    with pytest.raises(MCPUnavailable, match="cannot connect"):
        connect("http://127.0.0.1:9/mcp", timeout=10)


def test_third_party_server_mcp_server_time():
    """The reference `mcp-server-time` from PyPI (no network: tzdata): its tools adopted beside ours."""
    pytest.importorskip("mcp_server_time", reason="mcp-server-time is a test dependency (pip install -e .[test])")
    registry = ToolRegistry()
    with connect(f"{sys.executable} -m mcp_server_time --local-timezone UTC", timeout=60) as conn:
        names = [t.name for t in adopt_mcp(registry, conn)]
        assert {"get_current_time", "convert_time"} <= set(names)
        now = run(registry.get("get_current_time"), timezone="Asia/Tokyo")
        assert now["timezone"] == "Asia/Tokyo" and now["datetime"].endswith("+09:00")
        converted = run(registry.get("convert_time"), source_timezone="UTC", time="12:00",
                        target_timezone="America/New_York")
        assert converted["target"]["datetime"][11:16] in ("07:00", "08:00")  # EST or EDT
        with pytest.raises(ToolError, match="Invalid timezone"):
            run(registry.get("get_current_time"), timezone="Mars/Olympus")
        with pytest.raises(ValidationError):
            registry.get("convert_time").validate({"source_timezone": "UTC"})
        script = [{"tool_calls": [{"name": "get_current_time", "arguments": {"timezone": "UTC"}}]},
                  {"text": "It is noon somewhere."}]
        events = list(Agent(ScriptedModel(script), registry).run("what time is it in UTC?"))
        assert next(e for e in events if e.type == "tool_result").ok


def _chat(tmp_path, monkeypatch, capsys, *argv: str, turns: list) -> tuple[int, list[dict], str]:
    """`python cli.py chat --once … --json` in-process with a scripted model; its events and console text."""
    import io
    import json

    from rich.console import Console

    import cli

    monkeypatch.setenv("SHOPAGENT_HOME", str(tmp_path / "home"))
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"turns": turns}))
    out = io.StringIO()
    code = cli.main(["chat", "--json", "--scripted", str(script), "--state-dir", str(tmp_path / "state"), *argv],
                    console=Console(file=out, width=120))
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()], out.getvalue()


def test_chat_flag_adopts_an_mcp_server(demo_catalog, tmp_path, monkeypatch, capsys):
    pytest.importorskip("mcp_server_time", reason="mcp-server-time is a test dependency (pip install -e .[test])")
    turns = [{"tool_calls": [{"name": "get_current_time", "arguments": {"timezone": "Europe/Berlin"}}]},
             {"text": "Here is the time."}]
    code, events, _ = _chat(tmp_path, monkeypatch, capsys, "--once", "time in Berlin?", "--catalog",
                            str(demo_catalog.location), "--mcp",
                            f"{sys.executable} -m mcp_server_time --local-timezone UTC", turns=turns)
    result = next(e for e in events if e["type"] == "tool_result")
    assert code == 0 and result["ok"] and result["result"]["timezone"] == "Europe/Berlin"

    code, events, text = _chat(tmp_path, monkeypatch, capsys, "--once", "hi", "--catalog",
                               str(demo_catalog.location), "--mcp", "http://127.0.0.1:9/mcp",
                               turns=[{"text": "never reached"}])  # an empty --scripted file is itself refused
    assert code == 2 and "Cannot start" in text and "cannot connect to MCP server" in text and not events
