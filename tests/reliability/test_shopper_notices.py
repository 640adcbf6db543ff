"""Issue 10 §7, the small things a shopper notices, each through the injected console."""

from __future__ import annotations

import json

from agent.models import ScriptedModel
from agent.tools import to_model_json
from agent.models.prepare import aid_of
from tools.render import MAX_ROWS

from relkit import stored_messages


def test_confirm_prompt_shows_y_n_and_a_no_reads_as_declined(run_cli):
    script = [{"tool_calls": [{"name": "add_to_cart", "arguments": {"product_id": "P0001", "quantity": 2}}]},
              {"text": "Okay, not added."}]
    code, screen, _ = run_cli("chat", inputs=["add P0001", "n", "/quit"], script=script)
    assert code == 0
    assert "Allow add_to_cart(product_id='P0001', quantity=2)? [y/N]" in screen
    assert "Declined at your request: add_to_cart was not run." in screen
    assert "needs your confirmation" not in screen


def test_resume_says_a_conversation_was_restored(run_cli):
    run_cli("chat", "--once", "my name is Ada", script=[{"text": "Hi Ada."}])
    code, screen, _ = run_cli("chat", "--resume", inputs=["/quit"], script=[{"text": "unused"}])
    assert code == 0 and "Restored conversation" in screen and "(2 messages)" in screen


def test_describe_panel_shows_the_final_description(run_cli):
    drafts = [{"text": "I'm looking for headphones."}, {"text": "Hi! I can help."}]  # both rejected: template
    model = ScriptedModel([{"tool_calls": [{"name": "write_description", "arguments": {"product_id": "P0001"}}]},
                           *drafts, {"text": "Here it is."}])
    code, screen, stdout = run_cli("chat", "--once", "describe P0001", model=model)
    assert code == 0
    assert "description:" in screen and "method:" in screen and "template" in screen
    assert "rejected" in screen  # the rejected drafts are still listed, below the description


def test_result_panels_show_every_row_the_model_saw(run_cli):
    script = [{"tool_calls": [{"name": "search_catalog", "arguments": {"query": "headphones", "limit": 10}}]},
              {"text": "Ten options."}]
    code, _, stdout = run_cli("chat", "--once", "headphones", "--json", script=script)
    import json

    ids = [r["id"] for r in next(json.loads(l) for l in stdout.splitlines()
                                 if json.loads(l)["type"] == "tool_result")["result"]["results"]]
    code, screen, _ = run_cli("chat", "--once", "headphones", script=script)
    assert len(ids) == 10 and all(i in screen for i in ids)


def test_long_lists_say_how_many_more():
    import io

    from rich.console import Console

    from tools.render import result_view

    out = io.StringIO()
    Console(file=out, width=100).print(result_view({"results": [{"id": f"P{i}", "title": "t"} for i in range(40)]}))
    assert f"and {40 - MAX_ROWS} more" in out.getvalue()


def test_help_does_not_repeat_the_banner(run_cli):
    code, screen, _ = run_cli("chat", inputs=["/help", "/quit"], script=[{"text": "unused"}])
    assert screen.count("Shopping assistant") == 1
    assert "/reset" in screen and "Ctrl-C" in screen


def test_review_digest_gives_the_products_own_rating(shop_context):
    from tools import SHOPPING_TOOLS

    summarize = next(t for t in SHOPPING_TOOLS if t.name == "summarize_reviews")
    ctx = shop_context("S001")
    product = ctx.deps.catalog.get("P0001")
    result = summarize(ctx, summarize.validate({"product_id": "P0001"}))
    line = aid_of(summarize).summarize(json.loads(to_model_json(result)))  # the line the small model is shown
    assert f"rated {product.rating} from {product.review_count} reviews" in line
    if result["average"] != product.rating:
        assert f"rated {result['average']} " not in line


def test_ctrl_c_returns_the_prompt_in_the_same_session(run_cli, home):
    def interrupted(messages, tools):
        raise KeyboardInterrupt

    code, screen, _ = run_cli("chat", inputs=["one", "two", "/quit"], model=ScriptedModel([interrupted,
                                                                                         {"text": "Two."}]))
    assert code == 0 and "(turn cancelled)" in screen and screen.rstrip().endswith("you>")
    assert len(stored_messages(home)) == 1
