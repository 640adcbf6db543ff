"""The write gate, crashing tools, hostile ids and loose numbers: each ends as something the model can act on,
never as a write nobody approved or a traceback."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import ValidationError

from agent import Agent, ToolRegistry
from agent.langchain import NEEDS_CONFIRMATION, to_langchain
from agent.models import ScriptedModel
from agent.tools import Approval, ConsentRequired, ToolError, tool
from tools import SHOPPING_TOOLS
from tools.catalog.ingest import ingest_file
from tools.catalog_tools import MAX_ID_LENGTH, resolve_product

from relkit import every_call_answered

TOOLS = {t.name: t for t in SHOPPING_TOOLS}


# ---------------------------------------------------------------- consent
def test_langchain_export_never_writes_unasked(shop_context):
    ctx = shop_context("S001")
    add = TOOLS["add_to_cart"]
    with pytest.raises(ValueError, match="confirm"):
        to_langchain(add, ctx)  # no confirmer, no export
    said_no = to_langchain(add, ctx, confirm=lambda name, args: "no")  # a truthy non-answer is not a yes
    assert said_no.invoke({"product_id": "P0010", "quantity": 3}) == NEEDS_CONFIRMATION.format(name="add_to_cart")
    assert ctx.deps.shoppers.cart("S001") == []
    said_yes = to_langchain(add, ctx, confirm=lambda name, args: Approval(name))
    said_yes.invoke({"product_id": "P0010", "quantity": 3})
    assert [(l.product_id, l.quantity) for l in ctx.deps.shoppers.cart("S001")] == [("P0010", 3)]


def test_direct_call_without_approval_raises(shop_context):
    ctx = shop_context("S001")
    add = TOOLS["add_to_cart"]
    args = add.validate({"product_id": "P0010"})
    for approval in (None, "yes", 1, Approval("remove_from_cart")):
        with pytest.raises(ConsentRequired):
            add(ctx, args, approval=approval)
    assert ctx.deps.shoppers.cart("S001") == []


def test_loop_counts_only_true_or_approval_as_yes(shop_context):
    ctx = shop_context("S001")
    script = [{"tool_calls": [{"name": "add_to_cart", "arguments": {"product_id": "P0010"}}]}, {"text": "ok"}]
    agent = Agent(ScriptedModel(script), ToolRegistry(SHOPPING_TOOLS), ctx, confirm=lambda call, args: "no")
    events = list(agent.run("add P0010"))
    assert next(e for e in events if e.type == "confirm").approved is False
    assert ctx.deps.shoppers.cart("S001") == []


# ---------------------------------------------------------------- crashes
def test_crashing_tool_is_a_failed_result_an_error_event_and_a_logged_traceback(caplog):
    @tool
    def explode(x: int = 1) -> str:
        """Always fails."""
        raise ZeroDivisionError("boom")

    script = [{"tool_calls": [{"name": "explode", "arguments": {}}]}, {"text": "That did not work."}]
    agent = Agent(ScriptedModel(script), ToolRegistry([explode]))
    with caplog.at_level(logging.ERROR):
        events = list(agent.run("go"))
    error = next(e for e in events if e.type == "error")
    assert error.kind == "ToolCrashed" and "Traceback" not in error.message
    assert next(e for e in events if e.type == "tool_result").ok is False
    assert events[-1].type == "done" and every_call_answered(agent.messages)
    assert "ZeroDivisionError: boom" in caplog.text  # the traceback went to logging (the log file in the app)


def test_a_huge_numeric_id_is_a_tool_error_not_a_crash(shop_context):
    ctx = shop_context("S001")
    for hostile in ("9" * 4400, "0" * 20000, "#" + " " * 20000 + "1", "P" + "0" * 5000 + "x"):
        with pytest.raises(ToolError, match=f"at most {MAX_ID_LENGTH}"):
            resolve_product(ctx, hostile)
    with pytest.raises(ToolError, match="no product"):  # '#' then spaces: stripped, then linear regex work
        resolve_product(ctx, "#" + " " * 20000)
    assert resolve_product(ctx, "product #0042").id == "P0042"  # the forgiving forms still work
    assert resolve_product(ctx, "p42").id == "P0042"


def test_id_and_query_arguments_are_bounded_in_the_schemas():
    for name in ("get_product", "add_to_cart", "remove_from_cart", "summarize_reviews", "write_description"):
        prop = TOOLS[name].spec()["function"]["parameters"]["properties"]["product_id"]
        assert prop["maxLength"] == MAX_ID_LENGTH, name
        with pytest.raises(ValidationError):
            TOOLS[name].validate({"product_id": "9" * 4400})
    items = TOOLS["compare_products"].spec()["function"]["parameters"]["properties"]["product_ids"]
    assert items["items"]["maxLength"] == MAX_ID_LENGTH
    assert TOOLS["search_catalog"].spec()["function"]["parameters"]["properties"]["query"]["maxLength"] == 200


def test_a_crash_inside_a_chat_turn_keeps_the_program_and_the_transcript(run_cli, home):
    script = [{"tool_calls": [{"name": "get_product", "arguments": {"product_id": "9" * 4400}}]},
              {"text": "No such product."}]
    code, screen, _ = run_cli("chat", "--once", "that product", script=script)
    assert code == 0 and "Traceback" not in screen and "No such product." in screen
    assert "validation error" in screen  # bounded by the schema: the model is told, nothing crashed


# ---------------------------------------------------------------- strict integers
@pytest.mark.parametrize("loose", [2.0, "3", True])
def test_quantities_are_strict_integers(loose):
    with pytest.raises(ValidationError):
        TOOLS["add_to_cart"].validate({"product_id": "P0001", "quantity": loose})
    with pytest.raises(ValidationError):
        TOOLS["add_to_cart"].validate(json.dumps({"product_id": "P0001", "quantity": loose}))
    assert TOOLS["add_to_cart"].validate({"product_id": "P0001", "quantity": 2}).quantity == 2


@pytest.mark.server
def test_a_chroma_server_that_dies_mid_chat_fails_the_call_not_the_chat(tmp_path):
    """The catalog's server goes away between two turns: the second call fails as a tool result plus an error
    event, the turn ends normally and the transcript stays a valid chat (every call answered)."""
    from chroma_server import running_chroma

    from tools.app import build_registry, shop_context
    from tools.catalog.store import CatalogStore
    from tools.deps import ShopDeps
    from tools.shoppers import ShopperStore

    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "K1", "title": "Steel kettle", "price": 30, "currency": "USD"}) + "\n")
    look = {"tool_calls": [{"name": "get_product", "arguments": {"product_id": "K1"}}]}
    model = ScriptedModel([look, {"text": "Here it is."}, look, {"text": "Sorry."}])
    with running_chroma(tmp_path / "chroma") as url:
        catalog = CatalogStore.open(url=url)
        ingest_file(catalog, feed, report_path=tmp_path / "rejects.jsonl")
        deps = ShopDeps(catalog, ShopperStore(tmp_path / "shoppers.db"))
        agent = Agent(model, build_registry(), shop_context(deps, "S001"))
        first = list(agent.run("show me K1"))
        assert next(e for e in first if e.type == "tool_result").ok
    second = list(agent.run("show me K1 again"))  # the server is gone now
    result = next(e for e in second if e.type == "tool_result")
    assert not result.ok and "internal error" in result.result
    assert [e.kind for e in second if e.type == "error"] == ["ToolCrashed"] and second[-1].type == "done"
    assert every_call_answered(agent.messages)
