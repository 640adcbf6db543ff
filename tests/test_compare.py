"""Unit parsing and `compare_products` over the real demo catalog (the comparable pairs of data/demo/README.md)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent import Agent, ScriptedModel, ToolRegistry
from agent.tools import ToolError
from tools.compare import compare_products
from tools.units import align, parse_quantity


def run(ctx, *ids):
    return compare_products(ctx, compare_products.validate({"product_ids": list(ids)}))


def row(result, attribute):
    return next(r for r in result["rows"] if r["attribute"] == attribute)


def need(result, name):
    return next((b for b in result["best_for"] if b["need"] == name), None)


@pytest.mark.parametrize(("a", "b", "shown_a", "shown_b"), [
    ("1.2 kg", "900 g", "1200 g", "900 g"),
    ("30 h", "40 hours", "30 h", "40 h"),
    ("16 GB", "1 TB", "16 GB", "1000 GB"),
    ("512 GB SSD", "1 TB SSD", "512 GB SSD", "1000 GB SSD"),
    ("14 days", "36 h", "336 h", "36 h"),
    ("1,5 L", "750 ml", "1500 ml", "750 ml"),
    ("-5 °C", "10 °C", "-5 °C", "10 °C"),
    ("2 person", "3 person", "2 person", "3 person"),
])
def test_units_are_aligned(a: str, b: str, shown_a: str, shown_b: str) -> None:
    shown, bases = align({"a": a, "b": b})
    assert shown == {"a": shown_a, "b": shown_b}
    assert set(bases) == {"a", "b"}


def test_unparseable_or_mixed_values_keep_their_text() -> None:
    for text in ("3840x2160", "1-4 cups", "2700-6500 K", "Bluetooth 5.3", "US 5-11", "23 x 15 x 10 cm"):
        assert parse_quantity(text) is None, text
    assert align({"a": "1 L", "b": "12 cups"}) == ({"a": "1 L", "b": "12 cups"}, {})
    shown, bases = align({"a": "254 g", "b": "n/a"})
    assert shown == {"a": "254 g", "b": "n/a"} and bases == {"a": 254.0}
    assert parse_quantity("1,299 g").base == 1299 and parse_quantity("1 TB").base == 1000


def test_headphones(shop_context) -> None:
    out = run(shop_context("S001"), "P0001", "P0002")
    assert [p["id"] for p in out["products"]] == ["P0001", "P0002"]
    first = out["products"][0]
    assert first["price"] == 199.99 and first["rating"] == 4.5 and first["review_count"] == 74 and first["in_stock"]
    battery = row(out, "battery_life")
    assert battery["values"] == {"P0001": "30 h", "P0002": "40 h"} and battery["best"] == "P0002"
    assert row(out, "weight")["best"] == "P0001"  # 254 g beats 268 g: less is better
    assert row(out, "color")["best"] is None  # taste, not better or worse
    assert need(out, "longest battery life") == {"need": "longest battery life", "product_id": "P0002",
                                                 "why": "40 h vs 30 h (P0001)"}
    assert need(out, "cheapest")["product_id"] == "P0002" and need(out, "lightest")["product_id"] == "P0001"
    rated = need(out, "best rated")  # both 4.5: the one more shoppers rated wins, and says so
    assert rated["product_id"] == "P0001" and "tied" in rated["why"]
    assert set(out["digest"]) == {"P0001", "P0002"}
    assert "battery life" in out["digest"]["P0002"]["pros"] and "sound" in out["digest"]["P0002"]["cons"]
    # The table view: one dict per row, a column per product, same order as rows.
    assert [t["attribute"] for t in out["table"]] == [r["attribute"] for r in out["rows"]]
    assert out["table"][0] == {"attribute": "price", "P0001": "199.99 USD", "P0002": "179.99 USD"}


def test_laptops_storage_in_one_unit(shop_context) -> None:
    out = run(shop_context(None), "P0049", "P0050")
    storage = row(out, "storage")
    assert storage["values"] == {"P0049": "512 GB SSD", "P0050": "1000 GB SSD"} and storage["best"] == "P0050"
    assert row(out, "ram")["best"] == "P0050"
    assert row(out, "weight")["values"] == {"P0049": "1.2 kg", "P0050": "1.2 kg"}
    assert row(out, "weight")["best"] is None  # a tie has no winner
    needs = {b["need"]: b["product_id"] for b in out["best_for"]}
    assert needs["cheapest"] == "P0049" and needs["most RAM"] == "P0050" and needs["most storage"] == "P0050"
    assert "lightest" not in needs and "longest battery life" not in needs


def test_three_products_with_different_attributes(shop_context) -> None:
    out = run(shop_context(None), "P0263", "P0264", "P0001")
    assert row(out, "battery_life")["values"] == {"P0263": "—", "P0264": "—", "P0001": "30 h"}
    assert row(out, "battery_life")["best"] is None  # one value is not a comparison
    assert row(out, "capacity")["values"]["P0263"] == "750 ml"


def test_ids_are_forgiving_and_deduplicated(shop_context) -> None:
    out = run(shop_context(None), "p1", "P0002", "P0001")
    assert [p["id"] for p in out["products"]] == ["P0001", "P0002"]
    with pytest.raises(ToolError, match="at least 2 different products"):
        run(shop_context(None), "P1", "P0001")


def test_unknown_ids_are_named(shop_context) -> None:
    with pytest.raises(ToolError) as err:
        run(shop_context(None), "P0001", "nope", "P9999")
    message = str(err.value)
    assert "'nope'" in message and "'P9999'" in message and "'P0001'" not in message
    assert "search_catalog" in message


def test_argument_bounds_come_from_the_schema() -> None:
    for ids in (["P0001"], ["P0001", "P0002", "P0003", "P0004", "P0005", "P0006"]):
        with pytest.raises(ValidationError):
            compare_products.validate({"product_ids": ids})
    params = compare_products.spec()["function"]["parameters"]["properties"]["product_ids"]
    assert params["minItems"] == 2 and params["maxItems"] == 5


def test_through_the_agent_loop_errors_go_back_to_the_model(shop_context) -> None:
    def call(arguments: dict) -> dict:
        return {"tool_calls": [{"name": "compare_products", "arguments": arguments}]}

    model = ScriptedModel([call({"product_ids": ["P0001", "P0002"], "shopper_id": "S002"}),
                           call({"product_ids": ["P0001", "P4242"]}),
                           call({"product_ids": ["P0001", "P0002"]}),
                           {"text": "The Sonique lasts longer."}])
    events = list(Agent(model, ToolRegistry([compare_products]), shop_context("S001")).run("compare"))
    model.assert_consumed()
    results = [e for e in events if e.type == "tool_result"]
    assert [r.ok for r in results] == [False, False, True]
    assert "shopper_id" in results[0].result and "'P4242'" in results[1].result
    assert results[2].result["best_for"][0] == {"need": "cheapest", "product_id": "P0002",
                                                "why": "179.99 USD vs 199.99 USD (P0001)"}
    assert events[-1].type == "done" and events[-1].ok
