"""`python cli.py serve --ucp-shop DIR`: a real uvicorn server on 127.0.0.1, spoken to over httpx, answers
checked against the protocol's own types (ucp-sdk). The shop is a small one written here, in the UCP sample
shop CSV layout; the public conformance suite itself runs in CI (.ci/ucp_conformance)."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

from io import StringIO

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from rich.console import Console
from ucp_sdk.models.discovery.profile_schema import UcpDiscoveryProfile
from ucp_sdk.models.schemas.shopping import fulfillment_resp, order
from ucp_sdk.models.schemas.shopping.payment_resp import PaymentResponse

import cli
from tests.servers import free_port, serve_ucp

fulfillment_resp.Checkout.model_rebuild(_types_namespace={"PaymentResponse": PaymentResponse})
SECRET = "test-sim-secret"
SHOP = {
    "products.csv": "id,title,price,image_url\nmug,Stoneware Mug,1250,https://example.com/mug.jpg\n"
                    "teapot,Cast Iron Teapot,4800,\nrare,Rare Tea,900,\n",
    "inventory.csv": "product_id,quantity\nmug,10\nteapot,3\nrare,0\n",
    "discounts.csv": "code,type,value,description\nTEA15,percentage,15,15% off\nTWO,fixed_amount,200,2.00 off\n",
    "promotions.csv": "id,type,min_subtotal,eligible_item_ids,description\n"
                      "p1,free_shipping,5000,,Free shipping over 50.00\n",
    "shipping_rates.csv": "id,country_code,service_level,price,title\nground,default,standard,600,Ground\n"
                          "air-us,US,express,1800,Air (US)\nair-intl,default,express,3000,Air (International)\n",
    "customers.csv": "id,name,email\nc1,Ada Lovelace,ada@example.com\n",
    "addresses.csv": "id,customer_id,street_address,city,state,postal_code,country\n"
                     "a1,c1,12 Analytical Way,London,,NW1,GB\n",
    "payment_instruments.csv": "id,type,brand,last_digits,token,handler_id\ni1,card,Visa,1234,ok,mock_payment_handler\n",
}


class Receiver:
    """The platform side: serves its UCP profile (with a webhook URL) and records the events posted to it."""

    def __init__(self) -> None:
        self.port, self.events = free_port(), []
        app = FastAPI()
        app.get("/profile.json")(lambda: {"ucp": {"version": "2026-01-11", "capabilities": [
            {"name": "dev.ucp.shopping.order", "version": "2026-01-11",
             "config": {"webhook_url": f"http://127.0.0.1:{self.port}/hook"}}]}})

        @app.post("/hook")
        async def hook(request: Request) -> dict[str, str]:
            self.events.append(await request.json())
            return {"status": "ok"}

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *_: Any) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def receiver():
    with Receiver() as r:
        yield r


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    shop = tmp_path_factory.mktemp("tea_shop")
    for name, text in SHOP.items():
        (shop / name).write_text(text, encoding="utf-8")
    with serve_ucp(shop, "--simulation-secret", SECRET, "--state-dir", str(tmp_path_factory.mktemp("state")),
                   timeout=120) as url:
        yield url


def headers(profile: str = "https://platform.example/profile.json", **extra: str) -> dict[str, str]:
    return {"UCP-Agent": f'profile="{profile}"; version="2026-01-11"', "idempotency-key": str(uuid.uuid4()),
            **extra}


def new_checkout(url: str, item: str = "mug", quantity: int = 1, _headers: dict[str, str] | None = None,
                 **extra: Any) -> httpx.Response:
    body = {"currency": "USD", "line_items": [{"item": {"id": item, "title": "whatever"}, "quantity": quantity}],
            "payment": {"instruments": [], "selected_instrument_id": "i1"}, **extra}
    return httpx.post(f"{url}/checkout-sessions", json=body, headers=_headers or headers())


def to_us(url: str, checkout: dict[str, Any], option: str | None = None, **extra: Any) -> dict[str, Any]:
    method: dict[str, Any] = {"type": "shipping", "destinations": [{"id": "d1", "address_country": "US",
                                                                    "postal_code": "10001"}],
                              "selected_destination_id": "d1"}
    if option:
        method["groups"] = [{"selected_option_id": option}]
    body = {"id": checkout["id"], "currency": "USD", "payment": {"instruments": []},
            "line_items": [{"id": li["id"], "item": {"id": li["item"]["id"]}, "quantity": li["quantity"]}
                           for li in checkout["line_items"]], "fulfillment": {"methods": [method]}, **extra}
    response = httpx.put(f"{url}/checkout-sessions/{checkout['id']}", json=body, headers=headers())
    assert response.status_code == 200, response.text
    return response.json()


PAY = {"payment_data": {"id": "i1", "handler_id": "mock_payment_handler", "type": "card", "brand": "Visa",
                        "last_digits": "1234", "credential": {"type": "token", "token": "ok"}}}


def test_discovery_profile_lists_capabilities_and_handlers_that_resolve_here(base_url: str) -> None:
    data = httpx.get(f"{base_url}/.well-known/ucp").json()
    profile = UcpDiscoveryProfile(**data)
    assert profile.ucp.version.root == "2026-01-11"
    assert "dev.ucp.shopping.checkout" in {c.name for c in profile.ucp.capabilities}
    assert str(profile.ucp.services.root["dev.ucp.shopping"].rest.endpoint).rstrip("/") == base_url
    assert [h.id for h in profile.payment.handlers] == ["mock_payment_handler", "google_pay", "shop_pay"]
    for cap in profile.ucp.capabilities:  # every document the profile names is served by this server
        assert httpx.get(str(cap.schema_)).json()["title"] and httpx.get(str(cap.spec)).status_code == 200


def test_create_prices_from_the_shop_not_the_request(base_url: str) -> None:
    response = new_checkout(base_url, quantity=2)
    assert response.status_code == 201
    checkout = fulfillment_resp.Checkout(**response.json())
    assert checkout.status == "incomplete" and checkout.line_items[0].item.title == "Stoneware Mug"
    assert {t.type: t.amount for t in checkout.totals} == {"subtotal": 2500, "total": 2500}


def test_headers_errors_and_stock(base_url: str) -> None:
    old = headers()
    old["UCP-Agent"] = 'profile="x"; version="2099-01-01"'
    assert new_checkout(base_url, _headers=old).json()["code"] == "version_unsupported"
    missing = httpx.post(f"{base_url}/checkout-sessions", json={})
    assert missing.status_code == 400 and "UCP-Agent" in missing.json()["detail"]
    sold_out = new_checkout(base_url, item="rare")
    assert sold_out.status_code == 400 and "Insufficient stock" in sold_out.json()["detail"]
    assert new_checkout(base_url, item="nope").status_code == 400
    bad = httpx.post(f"{base_url}/checkout-sessions", json={"line_items": "x"}, headers=headers())
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
    assert httpx.get(f"{base_url}/checkout-sessions/chk_none", headers=headers()).status_code == 404


def test_full_purchase_with_discount_shipping_webhooks_and_shipping_simulation(base_url: str, receiver) -> None:
    profile = f"http://127.0.0.1:{receiver.port}/profile.json"
    created = new_checkout(base_url, quantity=2, _headers=headers(profile), discounts={"codes": ["tea15"]}).json()
    assert {t["type"]: t["amount"] for t in created["totals"]} == {"subtotal": 2500, "discount": 375, "total": 2125}
    ready = to_us(base_url, created, option="ground", discounts={"codes": ["TEA15", "TWO"]})
    options = {o["id"]: o["totals"][-1]["amount"] for o in ready["fulfillment"]["methods"][0]["groups"][0]["options"]}
    assert options == {"ground": 600, "air-us": 1800} and ready["status"] == "ready_for_complete"
    assert {t["type"]: t["amount"] for t in ready["totals"]} == \
        {"subtotal": 2500, "discount": 575, "fulfillment": 600, "total": 2525}

    key = headers()
    done = httpx.post(f"{base_url}/checkout-sessions/{created['id']}/complete", json=PAY, headers=key)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    replay = httpx.post(f"{base_url}/checkout-sessions/{created['id']}/complete", json=PAY, headers=key)
    assert replay.json() == done.json()
    order_id = done.json()["order"]["id"]
    placed = order.Order(**httpx.get(f"{base_url}/orders/{order_id}", headers=headers()).json())
    assert placed.checkout_id == created["id"] and placed.fulfillment.expectations[0].description == "Ground"

    ship = f"{base_url}/testing/simulate-shipping/{order_id}"
    assert httpx.post(ship, headers=headers()).status_code == 403
    assert httpx.post(ship, headers=headers(**{"Simulation-Secret": "wrong"})).status_code == 403
    shipped = httpx.post(ship, headers=headers(**{"Simulation-Secret": SECRET}))
    assert shipped.status_code == 200 and shipped.json()["line_items"][0]["status"] == "fulfilled"
    for _ in range(50):
        if len(receiver.events) >= 2:
            break
        time.sleep(0.1)
    assert [e["event_type"] for e in sorted(receiver.events, key=lambda e: e["event_type"])] == \
        ["order_placed", "order_shipped"]
    assert all(e["order"]["id"] == order_id and e["checkout_id"] == created["id"] for e in receiver.events)

    deliver = f"{base_url}/testing/simulate-delivery/{order_id}"
    assert httpx.post(deliver, headers=headers()).status_code == 403
    delivered = httpx.post(deliver, headers=headers(**{"Simulation-Secret": SECRET})).json()
    assert delivered["status"] == "delivered"
    assert [e["type"] for e in delivered["fulfillment"]["events"]] == ["shipped", "delivered"]
    assert order.Order(**delivered).fulfillment.events[-1].tracking_number == shipped.json()[
        "fulfillment"]["events"][0]["tracking_number"]
    assert httpx.post(ship, headers=headers(**{"Simulation-Secret": SECRET})).status_code == 409  # delivered


def test_declined_payment_is_402_and_the_checkout_can_still_complete(base_url: str) -> None:
    checkout = to_us(base_url, new_checkout(base_url).json(), option="ground")
    declined = dict(PAY, payment_data=dict(PAY["payment_data"], credential={"type": "token", "token": "fail_token"}))
    url = f"{base_url}/checkout-sessions/{checkout['id']}/complete"
    assert httpx.post(url, json=declined, headers=headers()).status_code == 402
    assert httpx.post(url, json=PAY, headers=headers()).status_code == 200
    assert httpx.post(url, json=PAY, headers=headers()).status_code == 409  # already completed


def test_known_customer_gets_their_saved_address_and_international_rates(base_url: str) -> None:
    created = new_checkout(base_url, buyer={"email": "ada@example.com"}).json()
    body = {"id": created["id"], "currency": "USD", "payment": {"instruments": []},
            "line_items": [{"id": created["line_items"][0]["id"], "item": {"id": "mug"}, "quantity": 1}],
            "fulfillment": {"methods": [{"type": "shipping", "selected_destination_id": "a1"}]}}
    updated = httpx.put(f"{base_url}/checkout-sessions/{created['id']}", json=body, headers=headers()).json()
    method = updated["fulfillment"]["methods"][0]
    assert [d["id"] for d in method["destinations"]] == ["a1"] and method["selected_destination_id"] == "a1"
    assert [o["id"] for o in method["groups"][0]["options"]] == ["ground", "air-intl"]


def test_catalog_search_answers_in_minor_units(base_url: str) -> None:
    hits = httpx.get(f"{base_url}/catalog/search", params={"q": "teapot", "limit": 2}).json()["results"]
    assert hits[0]["id"] == "teapot" and hits[0]["price"] == 4800


def test_serve_refuses_a_folder_that_is_no_ucp_shop(tmp_path: Path) -> None:
    out = StringIO()
    assert cli.main(["serve", "--ucp-shop", str(tmp_path), "--port", str(free_port())],
                console=Console(file=out, width=200)) == 2
    assert "no products.csv" in out.getvalue() and not list(tmp_path.iterdir())
