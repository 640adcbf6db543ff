"""Our shop as an MCP server, driven by the `mcp` SDK's own client over stdio (a real subprocess) and streamable
HTTP (real uvicorn on 127.0.0.1): tools, search, consent through elicitation, and one shopper per token."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from tests.mcp_shop import ROOT, http_server, make_shop

pytestmark = pytest.mark.server
TRANSPORTS = ["stdio", "http"]


@pytest.fixture(scope="module")
def shop(demo_catalog, tmp_path_factory):
    return make_shop(tmp_path_factory.mktemp("mcp_shop"), demo_catalog.location)


@pytest.fixture(scope="module")
def http_url(shop):
    with http_server(shop) as url:
        yield url


def _accept(ctx: Any, params: Any) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"confirm": True})


def _accepting(asked: list[str]) -> Any:
    """An elicitation callback that says yes and notes each question asked."""
    def accept(ctx: Any, params: Any) -> types.ElicitResult:
        asked.append(params.message)
        return _accept(ctx, params)
    return accept


def _decline(ctx: Any, params: Any) -> types.ElicitResult:
    return types.ElicitResult(action="decline")


def _target(transport: str, shop, http_url_factory, shopper: str | None) -> Any:
    token = shop.tokens[shopper] if shopper else None
    if transport == "stdio":
        argv = shop.serve_argv()
        return StdioServerParameters(command=argv[0], args=argv[1:], cwd=str(ROOT),
                                     env={"SHOPAGENT_MCP_TOKEN": token} if token else {})
    import httpx2

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return streamable_http_client(http_url_factory(), http_client=httpx2.AsyncClient(headers=headers))


def session(transport: str, shop, request, shopper: str | None = "S001", *, elicit=None, mode: str = "auto"):
    """Run `body(client)` in a fresh SDK client session with the given transport and shopper."""

    def run(body):
        async def main():
            callback = None
            if elicit is not None:
                async def callback(ctx, params):
                    return elicit(ctx, params)
            target = _target(transport, shop, lambda: request.getfixturevalue("http_url"), shopper)
            async with Client(target, elicitation_callback=callback, mode=mode, read_timeout_seconds=120) as c:
                return await body(c)

        return anyio.run(main)

    return run


async def _call(c: Client, name: str, arguments: dict[str, Any] | None = None) -> Any:
    result = await c.call_tool(name, arguments or {})
    return result


async def _search(c: Client, query: str, limit: int = 5) -> list[dict]:
    """UCP's search_catalog: arguments under `catalog`, UCP product records back."""
    result = await _call(c, "search_catalog", {"catalog": {"query": query, "pagination": {"limit": limit}}})
    return result.structured_content["products"]


def _first_in_stock(products: list[dict]) -> str:
    return next(p["id"] for p in products if p["variants"][0]["availability"]["available"])


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_lists_the_shop_tools_with_schemas_and_write_hints(transport, shop, request):
    async def body(c):
        return (await c.list_tools()).tools

    tools = {t.name: t for t in session(transport, shop, request)(body)}
    assert {"search_catalog", "lookup_catalog", "get_product", "view_cart", "add_to_cart",
            "remove_from_cart"} <= set(tools)
    checkout = {"create_checkout", "get_checkout", "update_checkout", "complete_checkout", "cancel_checkout"}
    assert checkout | {"get_order"} <= set(tools)  # UCP's names; the chat's own checkout tools are not offered
    assert not {"start_checkout", "choose_shipping", "apply_discount_code", "place_order", "view_order"} & set(tools)
    assert {n for n in checkout if not tools[n].annotations.read_only_hint} == checkout - {"get_checkout"}
    assert tools["update_checkout"].input_schema["required"] == ["id", "checkout"]
    assert tools["complete_checkout"].input_schema["required"] == ["id", "checkout", "meta"]
    assert tools["search_catalog"].annotations.read_only_hint is True
    assert tools["add_to_cart"].annotations.read_only_hint is False
    assert tools["search_catalog"].input_schema["required"] == ["catalog"]  # UCP's MCP binding shape
    assert "shopper" not in str(tools["add_to_cart"].input_schema)  # identity is never an argument


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_search_and_lookup_follow_the_ucp_binding(transport, shop, request, demo_catalog):
    async def body(c):
        found = await _call(c, "search_catalog", {"catalog": {"query": "wireless earbuds",
                                                              "pagination": {"limit": 3}},
                                                  "meta": {"ucp-agent": {"profile": "urn:test"}}})
        ids = [p["id"] for p in found.structured_content["products"]]
        looked = await _call(c, "lookup_catalog", {"catalog": {"ids": ids[:1] + ["NOPE-9"]}})
        one = await _call(c, "get_product", {"catalog": {"id": ids[0]}})
        bad = await _call(c, "search_catalog", {"query": "flat arguments are not the binding"})
        return found, looked, one, bad

    found, looked, one, bad = session(transport, shop, request)(body)
    products = found.structured_content["products"]
    assert 1 <= len(products) <= 3 and any("earbud" in p["title"].lower() for p in products)
    first = demo_catalog.get(products[0]["id"])
    price = products[0]["price_range"]["min"]
    assert price == {"amount": round(first.effective_price * 100), "currency": first.currency}  # minor units
    assert "dev.ucp.shopping.catalog.search" in found.structured_content["ucp"]["capabilities"]
    assert [p["id"] for p in looked.structured_content["products"]] == [first.id]
    assert looked.structured_content["messages"] == [{"type": "info", "code": "not_found", "content": "NOPE-9"}]
    assert one.structured_content["product"]["title"] == first.title
    assert bad.is_error and "catalog" in bad.content[0].text


@pytest.mark.parametrize("transport,mode", [("stdio", "auto"), ("http", "auto"), ("http", "legacy")])
def test_add_to_cart_after_the_client_confirms(transport, mode, shop, request):
    asked: list[str] = []
    accept = _accepting(asked)

    async def body(c):
        pid = _first_in_stock(await _search(c, "yoga mat"))
        before = (await _call(c, "view_cart")).structured_content
        added = await _call(c, "add_to_cart", {"product_id": pid, "quantity": 1})
        after = (await _call(c, "view_cart")).structured_content
        await _call(c, "remove_from_cart", {"product_id": pid})  # accepted too: leave the cart as found
        return pid, before, added, after

    pid, before, added, after = session(transport, shop, request, "S001", elicit=accept, mode=mode)(body)
    assert not added.is_error and added.structured_content["product_id"] == pid
    assert asked and "add_to_cart" in asked[0] and pid in asked[0] and "S001" in asked[0]
    count = {line["product_id"]: line["quantity"] for line in before["lines"]}.get(pid, 0)
    assert {line["product_id"]: line["quantity"] for line in after["lines"]}[pid] == count + 1


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("elicit", [_decline, None], ids=["declined", "no-elicitation"])
def test_no_write_without_consent(transport, elicit, shop, request):
    async def body(c):
        pid = _first_in_stock(await _search(c, "water bottle"))
        answer = await _call(c, "add_to_cart", {"product_id": pid})
        return pid, answer, (await _call(c, "view_cart")).structured_content

    pid, answer, cart = session(transport, shop, request, "S002", elicit=elicit)(body)
    assert answer.structured_content["written"] is False
    assert answer.structured_content["status"] == ("declined" if elicit else "requires_escalation")
    assert pid not in {line["product_id"] for line in cart["lines"]}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_token_for_one_shopper_never_reaches_another(transport, shop, request):
    async def as_s001(c):
        pid = _first_in_stock(await _search(c, "desk lamp"))
        await _call(c, "add_to_cart", {"product_id": pid, "quantity": 2})
        smuggled = await _call(c, "view_cart", {"shopper_id": "S002"})
        return pid, smuggled, (await _call(c, "view_cart")).structured_content

    async def as_s002(c):
        return (await _call(c, "view_cart")).structured_content

    pid, smuggled, mine = session(transport, shop, request, "S001", elicit=_accept)(as_s001)
    assert smuggled.is_error and "shopper_id" in smuggled.content[0].text  # not an argument any tool takes
    assert pid in {line["product_id"] for line in mine["lines"]}
    theirs = session(transport, shop, request, "S002")(as_s002)
    assert pid not in {line["product_id"] for line in theirs["lines"]}
    s001_add = session(transport, shop, request, "S001", elicit=_accept)
    s001_add(lambda c: _call(c, "remove_from_cart", {"product_id": pid}))


def test_http_refuses_requests_without_a_valid_token(shop, http_url):
    init = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    for headers in ({}, {"Authorization": "Bearer sa_not-a-token"}):
        r = httpx.post(http_url, json=init, headers={"Accept": "application/json, text/event-stream", **headers})
        assert r.status_code == 401


def test_stdio_refuses_to_start_without_a_valid_token(shop):
    for env_token in (None, "sa_not-a-token"):
        env = {"PATH": "/usr/bin:/bin", **({"SHOPAGENT_MCP_TOKEN": env_token} if env_token else {})}
        done = subprocess.run(shop.serve_argv(), input="", capture_output=True, text=True, env=env, cwd=ROOT,
                              timeout=120)
        assert done.returncode == 2 and "no valid token" in done.stderr and done.stdout == ""


def test_tokens_command_adds_lists_and_revokes(shop, tmp_path):
    cli = [sys.executable, str(ROOT / "cli.py"), "tokens"]
    made = subprocess.run(cli + ["add", "S003", "--state-dir", str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    token = made.stdout.strip()
    assert made.returncode == 0 and token.startswith("sa_") and len(token.splitlines()) == 1
    from tools.mcp_tokens import TokenStore

    store = TokenStore(tmp_path)
    assert store.shopper_for(token) == "S003" and token not in store.path.read_text()
    key = store.list()[0].key
    gone = subprocess.run(cli + ["revoke", key, "--state-dir", str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert gone.returncode == 0 and store.shopper_for(token) is None


# ---------------------------------------------------------------- checkout under UCP's MCP binding
# Demo facts the figures rest on (tests/test_checkout_tools.py checks them): P0011 at 29.00, express shipping
# 14.99, WELCOME10 takes 10% off the items.
ADDRESS = {"street_address": "1 Elm St", "address_locality": "Springfield", "address_region": "IL",
           "postal_code": "62704", "address_country": "US"}
PAY = {"payment_data": {"id": "i1", "handler_id": "simulated_card", "type": "card", "brand": "Visa",
                        "last_digits": "4242", "credential": {"type": "token", "token": "tok_test"}}}


def _meta() -> dict[str, Any]:
    return {"ucp-agent": {"profile": "https://platform.example/profile.json"}, "idempotency-key": str(uuid.uuid4())}


def _new(quantity: int = 2) -> dict[str, Any]:
    return {"currency": "USD", "line_items": [{"item": {"id": "P0011"}, "quantity": quantity}], "payment": {},
            "fulfillment": {"methods": [{"type": "shipping", "destinations": [ADDRESS]}]}}


def _update(created: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The whole REST update body for `created` (the binding replaces, as REST does), without its id."""
    lines = [{"id": li["id"], "item": {"id": li["item"]["id"]}, "quantity": li["quantity"]}
             for li in created["line_items"]]
    return {"currency": "USD", "line_items": lines, "payment": {}, **extra}


def _total(checkout: dict[str, Any], kind: str = "total") -> int:
    return next(t["amount"] for t in checkout["totals"] if t["type"] == kind)


def _ucp_error(result: Any) -> str:
    """The code of a UCP error outcome (the binding's envelope with messages), sent as a tool error."""
    assert result.is_error, result.content
    body = json.loads(result.content[0].text)
    assert body["ucp"]["status"] == "error"
    return body["messages"][0]["code"]


@pytest.mark.parametrize("transport,mode", [("stdio", "auto"), ("http", "auto"), ("http", "legacy")])
def test_a_full_checkout_through_ucps_checkout_tools(transport, mode, shop, request):
    asked: list[str] = []
    accept = _accepting(asked)

    async def body(c):
        created = (await _call(c, "create_checkout", {"meta": _meta(), "checkout": _new()})).structured_content
        express = {"methods": [{"type": "shipping", "groups": [{"selected_option_id": "express"}]}]}
        updated = await _call(c, "update_checkout", {"meta": _meta(), "id": created["id"], "checkout": _update(
            created, fulfillment=express, discounts={"codes": ["welcome10"]})})
        unkeyed = await _call(c, "complete_checkout", {"meta": {"ucp-agent": {"profile": "urn:test"}},
                                                       "id": created["id"], "checkout": PAY})
        done = await _call(c, "complete_checkout", {"meta": _meta(), "id": created["id"], "checkout": PAY})
        order = await _call(c, "get_order", {"id": done.structured_content["order"]["id"]})
        again = await _call(c, "get_checkout", {"id": created["id"]})
        return created, updated.structured_content, unkeyed, done, order, again.structured_content

    created, updated, unkeyed, done, order, again = session(transport, shop, request, "S001", elicit=accept,
                                                            mode=mode)(body)
    group = created["fulfillment"]["methods"][0]["groups"][0]
    assert created["status"] == "incomplete" and _total(created) == 5800  # 2 x 29.00, in minor units
    assert [o["id"] for o in group["options"]] == ["standard", "express"]
    assert updated["status"] == "ready_for_complete"
    assert (_total(updated, "discount"), _total(updated, "fulfillment"), _total(updated)) == (580, 1499, 6719)
    assert unkeyed.is_error and "idempotency-key" in unkeyed.content[0].text  # the binding requires one
    assert not done.is_error and done.structured_content["status"] == "completed"
    assert order.structured_content["status"] == "placed" and _total(order.structured_content) == 6719
    assert [(li["item"]["id"], li["quantity"]["total"]) for li in order.structured_content["line_items"]] == \
        [("P0011", 2)]
    assert again["status"] == "completed" and again["order"]["id"] == order.structured_content["id"]
    assert len(asked) == 3 and "create_checkout" in asked[0] and "update_checkout" in asked[1]
    assert "67.19 USD" in asked[2] and created["id"] in asked[2] and "S001" in asked[2]  # consent names the charge


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_ucp_checkout_belongs_to_the_connections_shopper_and_writes_need_consent(transport, shop, request):
    async def as_s001(c):
        return (await _call(c, "create_checkout", {"meta": _meta(), "checkout": _new(1)})).structured_content

    created = session(transport, shop, request, "S001", elicit=_accept)(as_s001)
    cid, express = created["id"], {"methods": [{"type": "shipping", "groups": [{"selected_option_id": "express"}]}]}

    async def as_s002(c):  # knows the id, says yes to everything: still not theirs
        return [await _call(c, "get_checkout", {"id": cid}),
                await _call(c, "update_checkout", {"meta": _meta(), "id": cid,
                                                   "checkout": _update(created, fulfillment=express)}),
                await _call(c, "complete_checkout", {"meta": _meta(), "id": cid, "checkout": PAY}),
                await _call(c, "cancel_checkout", {"meta": _meta(), "id": cid})]

    assert [_ucp_error(r) for r in session(transport, shop, request, "S002", elicit=_accept)(as_s002)] == \
        ["not_found"] * 4

    def s001(elicit):
        async def body(c):
            smuggled = await _call(c, "get_checkout", {"id": cid, "shopper_id": "S002"})
            update = await _call(c, "update_checkout", {"meta": _meta(), "id": cid,
                                                        "checkout": _update(created, fulfillment=express)})
            cancel = await _call(c, "cancel_checkout", {"meta": _meta(), "id": cid})
            return smuggled, update, cancel, (await _call(c, "get_checkout", {"id": cid})).structured_content

        return session(transport, shop, request, "S001", elicit=elicit)(body)

    for elicit, status in ((_decline, "declined"), (None, "requires_escalation")):
        smuggled, update, cancel, now = s001(elicit)
        assert smuggled.is_error and "shopper_id" in smuggled.content[0].text
        assert [update.structured_content["status"], cancel.structured_content["status"]] == [status, status]
        assert update.structured_content["written"] is False and cancel.structured_content["written"] is False
        assert now["status"] == "incomplete" and now["totals"] == created["totals"]  # nothing was applied
        assert "selected_option_id" not in now["fulfillment"]["methods"][0]["groups"][0]
