"""The one-line result summaries the grammar protocol shows small models (each tool declares its own), built from
real tool results."""

from __future__ import annotations

import json

from agent.models.grammar import GrammarDocument
from agent.models.llama import _until_loop
from tools.resources import load_prompt_yaml as load_yaml
from agent.tools import Approval, ToolContext
from tools.app import build_registry
from tools.hints import ShoppingHints

PREPARER = ShoppingHints(build_registry())  # summaries come from each tool's declared ToolAid
digest = PREPARER.summary


def run(ctx: ToolContext, name: str, **args) -> str:
    tool = build_registry().get(name)
    return json.dumps(tool(ctx, tool.validate(args), approval=Approval(name)))  # writes: as if the shopper said yes


def test_each_tools_summary_names_what_its_result_holds(shop_context) -> None:
    ctx = shop_context("S001")
    found = digest("search_catalog", run(ctx, "search_catalog", query="wireless headphones", max_price=200))
    assert found.startswith("I found ") and "P0003" in found and "$53.99" in found
    nothing = digest("search_catalog", run(ctx, "search_catalog", query="headphones", max_price=1))
    assert nothing.startswith("Sorry, I found no matching products")
    detail = digest("get_product", run(ctx, "get_product", product_id="P0002"))
    assert detail.startswith("Sonique Aria") and "$179.99" in detail and "battery life 40 h" in detail
    compared = digest("compare_products", run(ctx, "compare_products", product_ids=["P0001", "P0002"]))
    assert " vs " in compared and "longest battery life: Sonique Aria" in compared
    reviews = digest("summarize_reviews", run(ctx, "summarize_reviews", product_id="P0001"))
    assert "rated 4.5" in reviews and "Pros: battery life" in reviews
    assert digest("recommend_products", run(ctx, "recommend_products")).startswith("You might like: ")
    assert digest("get_user_history", run(ctx, "get_user_history")).startswith("Your purchases: ")
    assert digest("view_cart", run(ctx, "view_cart")) == "Your cart is empty."
    added = digest("add_to_cart", run(ctx, "add_to_cart", product_id="P0001", quantity=2))
    assert added.startswith("Added 2 x Audiora Pulse") and "$399.98" in added
    assert digest("view_cart", run(ctx, "view_cart")).startswith("Your cart has 2 item(s): 2 x Audiora Pulse")


def test_no_summary_for_errors_unknown_tools_or_other_shapes() -> None:
    assert digest("get_product", "get_product failed: no product with id 'P9'") == ""
    assert digest("track_order", '{"status": "shipped"}') == ""
    assert digest("search_catalog", "[1, 2]") == digest(None, "{}") == ""
    assert digest("compare_products", '{"products": "oops"}') == ""


def test_summaries_follow_results_and_the_examples_reply_with_them() -> None:
    doc = GrammarDocument(load_yaml("fewshot.yaml"), preparer=PREPARER)
    text, _ = doc.render([{"role": "user", "content": "hi"}], build_registry().specs())
    assert "\nSummary: I found 2: Brightleaf Glass Kettle" in text
    for ex in load_yaml("fewshot.yaml"):
        if ex.get("result") is not None:  # the bank shows the reply passing the summary on
            assert ex["reply"].startswith(digest(ex["call"]["tool"], json.dumps(ex["result"]))), ex["user"]


def test_a_reply_stops_when_it_loops() -> None:
    def stream(text: str):
        return "".join(_until_loop(iter(text[i:i + 3] for i in range(0, len(text), 3))))

    assert stream("I'm sorry, I can't help. " * 6).count("I'm sorry") == 3
    assert len(stream(", ".join(f"P{n:04d}" for n in range(14, 60)))) < 80  # ids counting up
    fine = "I found 2: Audiora Pulse (P0001, $199.99); Sonique Aria (P0002, $179.99). Want details?"
    assert stream(fine) == fine


def test_a_product_on_sale_is_described_at_the_price_search_showed(shop_context) -> None:
    from tools.digest import product_line

    ctx = shop_context("S001")
    on_sale = next(p for p in ctx.deps.catalog.get_many(ctx.deps.catalog.ids())
                   if p.sale_price is not None and p.sale_price < p.price)
    line = product_line(json.loads(run(ctx, "get_product", product_id=on_sale.id)))
    assert f"${on_sale.effective_price:,.2f} (on sale from ${on_sale.price:,.2f})" in line


def test_a_product_with_no_stock_is_described_as_out_of_stock(shop_context) -> None:
    from tools.digest import product_line

    ctx = shop_context("S001")
    products = ctx.deps.catalog.get_many(ctx.deps.catalog.ids())
    gone = next(p for p in products if p.stock == 0 and not p.in_stock)
    record = json.loads(run(ctx, "get_product", product_id=gone.id))
    assert record["available"] and not record["in_stock"]  # on sale, but none to sell: the case that was wrong
    assert ", out of stock" in product_line(record)
    there = next(p for p in products if p.stock and p.in_stock)
    assert ", in stock" in product_line(json.loads(run(ctx, "get_product", product_id=there.id)))
    assert "available on backorder" in product_line({**record, "in_stock": True, "backorder": True})
