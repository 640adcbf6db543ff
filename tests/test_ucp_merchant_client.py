"""The agent checks out on someone else's store: the merchant tools against the UCP reference merchant server
(third-party, run from ../shared on 127.0.0.1) with the conformance suite's flower shop, through the real loop."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from agent import Agent, ScriptedModel
from agent.tools import ToolContext, ToolError
from tests.ucp_reference import reference_merchant, ucp_headers
from tools.merchant_tools import AGENT_PROFILE, MerchantDeps, build_merchant_registry
from tools.ucp_client import Buyer, MerchantError, UCPMerchant

pytestmark = pytest.mark.server

HOME = {"street_address": "123 Main St", "address_locality": "Springfield", "address_region": "IL",
        "postal_code": "62704", "address_country": "US"}
CARD = {"handler_id": "google_pay", "type": "card", "brand": "Visa", "last_digits": "1234",
        "credential": {"type": "token", "token": "success_token"}}
PROFILE = AGENT_PROFILE  # a URN: the reference server fetches nothing for it


@pytest.fixture(scope="module")
def merchant_url(tmp_path_factory):
    with reference_merchant(tmp_path_factory.mktemp("ucp_reference")) as url:
        yield url


def _context(merchant_url: str, shopper: str = "S001") -> ToolContext:
    merchant = UCPMerchant(merchant_url, agent_profile=PROFILE)
    buyer = Buyer(full_name="John Doe", email="john.doe@example.com", address=HOME, payment=CARD)
    return ToolContext(deps=MerchantDeps(merchant, buyer), user_id=shopper, session_id="ucp-test")


def _last_result(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return json.loads(next(m["content"] for m in reversed(messages) if m["role"] == "tool"))


def test_discovery_reads_the_reference_profile(merchant_url):
    merchant = UCPMerchant(merchant_url, agent_profile=PROFILE)
    assert merchant.endpoint.startswith("http://127.0.0.1:")
    assert {"dev.ucp.shopping.checkout", "dev.ucp.shopping.fulfillment", "dev.ucp.shopping.discount"} \
        <= merchant.capabilities
    assert "google_pay" in {h["id"] for h in merchant.handlers}
    with pytest.raises(MerchantError, match="cannot reach"):
        UCPMerchant("http://127.0.0.1:9", agent_profile=PROFILE)


def test_scripted_conversation_buys_two_bouquets_with_a_code_and_standard_shipping(merchant_url):
    ctx = _context(merchant_url)
    place = lambda messages, tools: {"tool_calls": [{"name": "place_order", "arguments": {  # noqa: E731
        "expected_total": _last_result(messages)["totals"]["total"].split()[0]}}]}
    status = lambda messages, tools: {"tool_calls": [{"name": "order_status", "arguments": {  # noqa: E731
        "order_id": _last_result(messages)["order_id"]}}]}
    script = [
        {"tool_calls": [{"name": "start_checkout", "arguments": {"items": [
            {"product_id": "bouquet_tulips", "quantity": 1}, {"product_id": "bouquet_sunflowers", "quantity": 1}]}}]},
        {"text": "Your checkout has the tulips and the sunflowers."},
        {"tool_calls": [{"name": "choose_shipping", "arguments": {"option": "standard"}}]},
        {"text": "Standard shipping it is."},
        {"tool_calls": [{"name": "apply_discount", "arguments": {"code": "10OFF"}}]},
        {"text": "10% off applied."},
        {"tool_calls": [{"name": "view_checkout", "arguments": {}}]}, place,
        {"text": "Ordered."},
        status, {"text": "It is being processed."},
    ]
    confirmed: list[tuple[str, dict]] = []

    def confirm(call, args):
        confirmed.append((call.name, args.model_dump(mode="json")))
        return True

    model = ScriptedModel(script)
    agent = Agent(model, build_merchant_registry(), ctx, confirm=confirm)
    turns = ["One Spring Tulips bouquet and one Sunflower Bundle, please.", "Standard shipping.",
             "I have the code 10OFF.", "Place the order.", "Where is my order?"]
    events = [e for text in turns for e in agent.run(text)]
    model.assert_consumed()
    results = {e.name: e for e in events if e.type == "tool_result"}
    assert all(e.ok for e in results.values()), [e.result for e in results.values() if not e.ok]
    # every write was confirmed first, the order with the exact total the shopper saw
    assert [name for name, _ in confirmed] == ["start_checkout", "choose_shipping", "apply_discount", "place_order"]
    # 30.00 + 25.00, standard shipping 5.00; the reference takes 10% of subtotal and shipping together
    assert confirmed[-1][1] == {"expected_total": "54.00"}
    order = results["place_order"].result
    assert order["status"] == "completed" and order["totals"] == {
        "subtotal": "55.00 USD", "fulfillment": "5.00 USD", "discount": "6.00 USD", "total": "54.00 USD"}
    assert results["order_status"].result["order_id"] == order["order_id"]

    # the order exists on the reference server, as its own API tells
    r = httpx.get(f"{merchant_url}/orders/{order['order_id']}", headers=ucp_headers())
    assert r.status_code == 200
    stored = r.json()
    assert sorted((li["item"]["id"], li["quantity"]["total"]) for li in stored["line_items"]) == [
        ("bouquet_sunflowers", 1), ("bouquet_tulips", 1)]
    assert {t["type"]: t["amount"] for t in stored["totals"]} == {
        "subtotal": 5500, "fulfillment": 500, "discount": 600, "total": 5400}
    assert "Standard" in stored["fulfillment"]["expectations"][0]["description"]


def test_declined_order_and_refused_code_change_nothing(merchant_url):
    ctx = _context(merchant_url, "S002")
    registry = build_merchant_registry()
    run = lambda name, **a: registry.get(name)(ctx, registry.get(name).validate(a), approval=True)  # noqa: E731
    run("start_checkout", items=[{"product_id": "bouquet_roses", "quantity": 2}])
    run("choose_shipping", option="std-ship")
    with pytest.raises(ToolError, match="did not accept the code 'NOT-A-CODE'"):
        run("apply_discount", code="NOT-A-CODE")
    seen = run("view_checkout")
    assert seen["totals"]["total"] == "70.00 USD" and "discounts" not in seen
    with pytest.raises(ToolError, match="the total is now 70.00 USD"):
        run("place_order", expected_total="60.00")
    script = [{"tool_calls": [{"name": "place_order", "arguments": {"expected_total": "70.00"}}]},
              {"text": "I did not place it."}]
    events = list(Agent(ScriptedModel(script), registry, ctx, confirm=lambda c, a: False).run("buy"))
    assert [e.approved for e in events if e.type == "confirm"] == [False]
    after = run("view_checkout")
    assert after["status"] == "ready_for_complete" and "order_id" not in after
    with pytest.raises(ToolError, match="not one of your orders"):
        run("order_status", order_id="some-other-order")


def test_chat_with_merchant_flag_checks_out_there(merchant_url, tmp_path, monkeypatch, capsys):
    """`python cli.py chat --merchant URL --buyer FILE`: the merchant tools replace the shop's."""
    import io

    from rich.console import Console

    import cli

    monkeypatch.setenv("SHOPAGENT_HOME", str(tmp_path / "home"))
    buyer = tmp_path / "buyer.json"
    buyer.write_text(json.dumps({"full_name": "Jane Smith", "address": HOME, "payment": CARD}))
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"turns": [
        {"tool_calls": [{"name": "start_checkout", "arguments": {"items": [{"product_id": "pot_ceramic"}]}}]},
        {"text": "Started."}]}))
    code = cli.main(["chat", "--once", "a ceramic pot please", "--json", "--yes", "--scripted", str(script),
                     "--merchant", merchant_url, "--buyer", str(buyer)], console=Console(file=io.StringIO()))
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    result = next(e for e in events if e["type"] == "tool_result")
    assert code == 0 and result["ok"] and result["result"]["lines"][0]["product_id"] == "pot_ceramic"
    assert result["result"]["totals"]["subtotal"] == "15.00 USD"
