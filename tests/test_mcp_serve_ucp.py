"""`python cli.py serve --with-mcp`: one server, the UCP REST API and MCP at /mcp over the same shop. An MCP
client (the SDK's own) searches and takes a checkout to ready through UCP's checkout tools, with consent; REST
sees that same checkout, in the same JSON."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.mcp_shop import ROOT
from tests.servers import serve_ucp
from tests.ucp_reference import FLOWER_SHOP, ucp_headers

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not FLOWER_SHOP.is_dir():
        pytest.skip(f"the conformance suite's flower shop is not here ({FLOWER_SHOP}): ../shared is absent")
    state = tmp_path_factory.mktemp("serve_state")
    made = subprocess.run([sys.executable, str(ROOT / "cli.py"), "tokens", "add", "cust_1", "--state-dir",
                           str(state)], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True)
    with serve_ucp(FLOWER_SHOP, "--state-dir", str(state), "--with-mcp", name="serve --with-mcp") as url:
        yield url, made.stdout.strip()


def _mcp(url: str, token: str, body) -> Any:
    import httpx2

    async def accept(ctx: Any, params: Any) -> types.ElicitResult:
        return types.ElicitResult(action="accept", content={"confirm": True})

    async def main():
        transport = streamable_http_client(f"{url}/mcp", http_client=httpx2.AsyncClient(
            headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(60, read=300)))
        async with Client(transport, elicitation_callback=accept, read_timeout_seconds=120) as c:
            return await body(c)

    return anyio.run(main)


ADDRESS = {"street_address": "123 Main St", "address_locality": "Springfield", "address_region": "IL",
           "postal_code": "62704", "address_country": "US"}


def test_an_mcp_client_checks_out_on_the_ucp_server_and_rest_sees_the_checkout(server):
    url, token = server
    meta = {"ucp-agent": {"profile": "https://platform.example/profile.json"}}

    async def body(c):
        names = {t.name for t in (await c.list_tools()).tools}
        found = await c.call_tool("search_catalog", {"catalog": {"query": "tulips"}})
        pid = found.structured_content["products"][0]["id"]
        created = await c.call_tool("create_checkout", {"meta": meta, "checkout": {
            "currency": "USD", "line_items": [{"item": {"id": pid}, "quantity": 2}], "payment": {},
            "fulfillment": {"methods": [{"type": "shipping", "destinations": [ADDRESS]}]}}})
        return names, pid, created

    names, pid, created = _mcp(url, token, body)
    assert {"search_catalog", "lookup_catalog", "create_checkout", "complete_checkout"} <= names
    assert not {"start_checkout", "place_order"} & names  # one way to check out: UCP's
    assert pid == "bouquet_tulips" and not created.is_error, created.content
    checkout = created.structured_content
    assert {link["url"] for link in checkout["links"]} == {f"{url}/legal/terms", f"{url}/legal/privacy"}
    options = checkout["fulfillment"]["methods"][0]["groups"][0]["options"]

    async def finish(c):
        option = next(o["id"] for o in options if "std" in o["id"])
        lines = [{"id": li["id"], "item": {"id": li["item"]["id"]}, "quantity": li["quantity"]}
                 for li in checkout["line_items"]]
        return await c.call_tool("update_checkout", {"meta": meta, "id": checkout["id"], "checkout": {
            "currency": "USD", "line_items": lines, "payment": {},
            "fulfillment": {"methods": [{"type": "shipping", "groups": [{"selected_option_id": option}]}]}}})

    chosen = _mcp(url, token, finish)
    assert not chosen.is_error, chosen.content
    ready = chosen.structured_content
    assert ready["status"] == "ready_for_complete"
    r = httpx.get(f"{url}/checkout-sessions/{ready['id']}", headers=ucp_headers())
    assert r.status_code == 200
    rest = r.json()
    assert rest == ready  # one checkout, one wire format: REST and MCP answer alike
    assert [(li["item"]["id"], li["quantity"]) for li in rest["line_items"]] == [("bouquet_tulips", 2)]
    assert httpx.post(f"{url}/mcp", json={}, headers={"Accept": "application/json"}).status_code == 401


def test_discovery_names_the_mcp_endpoint_and_its_tool_listing(server):
    """An agent that starts from /.well-known/ucp finds MCP too: the endpoint, and a listing of the same tools an
    MCP client is given (readable without a token; calling them still needs one)."""
    url, token = server
    service = httpx.get(f"{url}/.well-known/ucp").json()["ucp"]["services"]["dev.ucp.shopping"]
    assert service["mcp"]["endpoint"] == f"{url}/mcp" and service["rest"]["endpoint"] == url
    listing = httpx.get(service["mcp"]["schema"])
    assert listing.status_code == 200 and listing.headers["content-type"].startswith("application/json")
    listed = {t["name"]: t["inputSchema"] for t in listing.json()["tools"]}

    async def body(c):
        return {t.name: t.input_schema for t in (await c.list_tools()).tools}

    assert listed == _mcp(url, token, body) and "create_checkout" in listed
