"""The UCP merchant server (REST binding, protocol 2026-01-11) over a `CheckoutStore`, as a FastAPI app.

Routes: `GET /.well-known/ucp` (discovery), `POST /checkout-sessions`, `GET|PUT /checkout-sessions/{id}`,
`POST /checkout-sessions/{id}/complete|cancel`, `GET|PUT /orders/{id}`, `POST /testing/simulate-shipping/{id}`
(only with a simulation secret, sent as the `Simulation-Secret` header), `GET /catalog/search` (our own, not
UCP), and the spec/schema documents the discovery profile points at, served from here so that every URL in it
resolves without the internet. Checkout and order calls need a `UCP-Agent` header; a newer protocol version
than ours is refused with 400 `version_unsupported`.
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field
from html import escape
from typing import Any

from fastapi import Body, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import ValidationError
from ucp_sdk.models.schemas.shopping import buyer_consent_resp, checkout_resp, discount_resp, fulfillment_resp, order
from ucp_sdk.models.schemas.shopping.payment_resp import PaymentResponse
from ucp_sdk.models.schemas.shopping.types import card_payment_instrument

from tools.checkout.model import (
    CheckoutError, IdempotencyConflict, InvalidRequest, NotFound, NotModifiable, NotReady, OutOfStock,
    PaymentDeclined)
from tools.checkout.money import to_minor
from tools.checkout.simulate import deliver
from tools.checkout.store import CheckoutStore
from tools.checkout.ucp_wire import (
    CAPABILITIES, VERSION, CompleteBody, CreateBody, UpdateBody, checkout_json, complete_input, create_input,
    order_json, update_input)
from tools.checkout.webhooks import WebhookNotifier, parse_agent_header

__all__ = ["ServerSettings", "build_app"]

_STATUS: list[tuple[type[CheckoutError], int]] = [
    (NotFound, 404), (OutOfStock, 400), (InvalidRequest, 400), (NotReady, 400), (NotModifiable, 409),
    (IdempotencyConflict, 409), (PaymentDeclined, 402), (CheckoutError, 400)]
_SCHEMAS = {"dev.ucp.shopping.checkout": checkout_resp.CheckoutResponse,
            "dev.ucp.shopping.fulfillment": fulfillment_resp.Checkout,
            "dev.ucp.shopping.discount": discount_resp.Checkout,
            "dev.ucp.shopping.buyer_consent": buyer_consent_resp.Checkout,
            "dev.ucp.shopping.order": order.Order,
            "card_payment_instrument": card_payment_instrument.CardPaymentInstrument}
for _model in _SCHEMAS.values():
    _model.model_rebuild(_types_namespace={"PaymentResponse": PaymentResponse})


@dataclass
class ServerSettings:
    shop_name: str = "shopagent shop"
    simulation_secret: str | None = None  # None: the simulation endpoints are off
    allow_remote_webhooks: bool = False


class _Refused(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


@dataclass
class _Merchant:
    store: CheckoutStore
    catalog: Any
    settings: ServerSettings
    webhooks: WebhookNotifier
    search_lock: threading.Lock = field(default_factory=threading.Lock)


def _error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "code": code,
                         "messages": [{"type": "error", "code": code, "content": detail, "severity": "recoverable"}]},
                        status_code=status)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _agent(request: Request) -> Any:
    value = request.headers.get("ucp-agent")
    if not value:
        raise _Refused(400, "missing_agent", "the UCP-Agent header is required (profile=\"<your profile URL>\")")
    agent = parse_agent_header(value)
    if agent.version and agent.version > VERSION:
        raise _Refused(400, "version_unsupported", f"UCP version {agent.version} is not supported; "
                                                   f"this merchant speaks {VERSION}")
    return agent


def _parse(model: type, body: Any) -> Any:
    try:
        return model.model_validate(body if body is not None else {})
    except ValidationError as error:
        first = error.errors(include_url=False)[:3]
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in first)
        raise _Refused(422, "invalid_request", f"{error.error_count()} invalid field(s): {where}") from None


def build_app(store: CheckoutStore, catalog: Any, settings: ServerSettings | None = None) -> FastAPI:
    """The merchant app; `catalog` serves `/catalog/search` (anything with the CatalogStore `search`)."""
    m = _Merchant(store, catalog, settings or ServerSettings(),
                  WebhookNotifier(allow_remote=(settings or ServerSettings()).allow_remote_webhooks))
    app = FastAPI(title=f"{m.settings.shop_name} — UCP merchant", version=VERSION)

    @app.exception_handler(_Refused)
    def refused(_: Request, exc: _Refused) -> JSONResponse:
        return _error(exc.status, exc.code, exc.detail)

    @app.exception_handler(CheckoutError)
    def checkout_error(request: Request, exc: CheckoutError) -> JSONResponse:
        status = next(code for cls, code in _STATUS if isinstance(exc, cls))
        if isinstance(exc, OutOfStock) and request.url.path.endswith("/complete"):
            status = 409  # sold out since the checkout was made: a conflict with the shop's state now
        return _error(status, exc.code, str(exc))

    def idem(request: Request) -> str | None:
        return request.headers.get("idempotency-key") or None

    def checkout_out(request: Request, result: Any, status: int = 200) -> JSONResponse:
        return JSONResponse(checkout_json(result, _base(request), store.handlers), status_code=status)

    @app.get("/.well-known/ucp")
    def discovery(request: Request) -> dict[str, Any]:
        base = _base(request)
        service: dict[str, Any] = {"version": VERSION, "spec": f"{base}/ucp/specs/dev.ucp.shopping",
                                   "rest": {"schema": f"{base}/openapi.json", "endpoint": base}}
        mcp = getattr(request.app.state, "mcp", None)  # set when MCP is mounted beside REST (serve --with-mcp)
        if mcp is not None:
            service["mcp"] = {"schema": base + mcp["schema"], "endpoint": base + mcp["endpoint"]}
        return {"ucp": {"version": VERSION, "services": {"dev.ucp.shopping": service},
                        "capabilities": [_capability(base, name) for name in CAPABILITIES]},
                "payment": {"handlers": [h.describe(base) for h in store.handlers]}}

    @app.post("/checkout-sessions", status_code=201)
    def create(request: Request, body: Any = Body(None)) -> JSONResponse:
        agent = _agent(request)
        parsed = _parse(CreateBody, body)
        webhook = m.webhooks.webhook_url(agent.profile)
        result = store.create(create_input(parsed, webhook), idempotency_key=idem(request))
        return checkout_out(request, result, 201)

    @app.get("/checkout-sessions/{checkout_id}")
    def get(request: Request, checkout_id: str) -> JSONResponse:
        _agent(request)
        return checkout_out(request, store.get(checkout_id))

    @app.put("/checkout-sessions/{checkout_id}")
    def update(request: Request, checkout_id: str, body: Any = Body(None)) -> JSONResponse:
        _agent(request)
        parsed = _parse(UpdateBody, body)
        if parsed.id != checkout_id:
            raise _Refused(400, "invalid_request", f"body id {parsed.id!r} does not match the URL's {checkout_id!r}")
        return checkout_out(request, store.update(checkout_id, update_input(parsed), idempotency_key=idem(request)))

    @app.post("/checkout-sessions/{checkout_id}/complete")
    def complete(request: Request, checkout_id: str, body: Any = Body(None)) -> JSONResponse:
        agent = _agent(request)
        payment = complete_input(_parse(CompleteBody, body))
        result = store.complete(checkout_id, payment, idempotency_key=idem(request))
        if result.order_id and result.status == "completed":
            url = result.webhook_url or m.webhooks.webhook_url(agent.profile)
            _notify(m, request, url, "order_placed", result.order_id)
        return checkout_out(request, result)

    @app.post("/checkout-sessions/{checkout_id}/cancel")
    def cancel(request: Request, checkout_id: str) -> JSONResponse:
        _agent(request)
        return checkout_out(request, store.cancel(checkout_id, idempotency_key=idem(request)))

    @app.get("/orders/{order_id}")
    def get_order(request: Request, order_id: str) -> dict[str, Any]:
        _agent(request)
        return order_json(store.order(order_id), _base(request))

    @app.put("/orders/{order_id}")
    def put_order(request: Request, order_id: str, body: Any = Body(None)) -> dict[str, Any]:
        _agent(request)
        parsed = _parse(order.Order, body)
        if parsed.id != order_id:
            raise _Refused(400, "invalid_request", f"body id {parsed.id!r} does not match the URL's {order_id!r}")
        data = parsed.model_dump(mode="json", exclude_none=True)
        updated = store.update_order(order_id, events=data.get("fulfillment", {}).get("events"),
                                     adjustments=data.get("adjustments"), idempotency_key=idem(request))
        return order_json(updated, _base(request))

    def simulation_allowed(request: Request) -> None:
        secret = m.settings.simulation_secret
        if not secret:
            raise _Refused(404, "not_found", "simulation endpoints are off (start the server with a secret)")
        given = request.headers.get("simulation-secret", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise _Refused(403, "forbidden", "a valid Simulation-Secret header is required")

    @app.post("/testing/simulate-shipping/{order_id}")
    def simulate_shipping(request: Request, order_id: str) -> dict[str, Any]:
        simulation_allowed(request)
        shipped = store.ship(order_id)
        checkout = store.get(shipped.checkout_id)
        _notify(m, request, checkout.webhook_url, "order_shipped", order_id)
        return order_json(shipped, _base(request))

    @app.post("/testing/simulate-delivery/{order_id}")
    def simulate_delivery(request: Request, order_id: str) -> dict[str, Any]:
        simulation_allowed(request)  # the order then may be returned or exchanged (tools/retail/shop.py)
        return order_json(deliver(store, order_id), _base(request))

    @app.get("/catalog/search")
    def search(q: str, limit: int = 10) -> dict[str, Any]:
        if not q.strip() or not 1 <= limit <= 50:
            raise _Refused(400, "invalid_request", "q must be non-empty and limit between 1 and 50")
        with m.search_lock:  # the embedder and the lexical index are shared by every request
            found = m.catalog.search(q, limit=limit)
        return {"query": q, "results": [_product(hit.product) for hit in found.hits]}

    _documents(app, store)
    return app


def _notify(m: _Merchant, request: Request, url: str | None, event: str, order_id: str) -> None:
    placed = m.store.order(order_id)
    m.webhooks.send(url, event, placed.checkout_id, order_json(placed, _base(request)))


def _product(product: Any) -> dict[str, Any]:
    return {"id": product.id, "title": product.title, "price": to_minor(product.effective_price, product.currency),
            "currency": product.currency, "in_stock": product.in_stock, "image_url": product.image_url}


def _capability(base: str, name: str) -> dict[str, Any]:
    cap: dict[str, Any] = {"name": name, "version": VERSION, "spec": f"{base}/ucp/specs/{name}",
                           "schema": f"{base}/ucp/schemas/{name}.json"}
    if name not in ("dev.ucp.shopping.checkout", "dev.ucp.shopping.order"):
        cap["extends"] = "dev.ucp.shopping.checkout"
    return cap


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
                        f"<body><h1>{escape(title)}</h1>{body}</body></html>")


def _documents(app: FastAPI, store: CheckoutStore) -> None:
    """The documents the discovery profile links to: specs (HTML), schemas (JSON Schema from ucp-sdk)."""

    @app.get("/ucp/specs/{name}", response_class=HTMLResponse)
    def spec(name: str) -> HTMLResponse:
        canonical = "https://ucp.dev/specification/" + name.removeprefix("dev.ucp.").replace(".", "/")
        return _page(f"{name} ({VERSION})", f"<p>This merchant implements <code>{escape(name)}</code> of the "
                     f"Universal Commerce Protocol, version {VERSION}. The specification: "
                     f"<a href=\"{canonical}\">{canonical}</a>.</p>")

    @app.get("/ucp/schemas/{name}.json")
    def schema(name: str) -> JSONResponse:
        model = _SCHEMAS.get(name)
        if model is None:
            return _error(404, "not_found", f"no schema {name!r}")
        return JSONResponse(model.model_json_schema())

    @app.get("/ucp/handlers/{handler_id}/spec", response_class=HTMLResponse)
    def handler_spec(handler_id: str) -> HTMLResponse:
        handler = _handler(store, handler_id)
        return _page(f"Payment handler {handler_id}", f"<p><code>{escape(handler.name)}</code>, simulated: no "
                     "payment network is contacted. Tokens <code>fail_token</code> and <code>decline_token</code> "
                     "and card 4000000000000002 are declined; <code>escalate_token</code> needs the buyer.</p>")

    @app.get("/ucp/handlers/{handler_id}/config_schema.json")
    def handler_config(handler_id: str) -> dict[str, Any]:
        handler = _handler(store, handler_id)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": f"{handler.name} config",
                "type": "object", "properties": {k: {"type": "string"} for k in getattr(handler, "config", {})}}

    @app.get("/legal/{page}", response_class=HTMLResponse)
    def legal(page: str) -> HTMLResponse:
        titles = {"terms": "Terms of service", "privacy": "Privacy policy"}
        if page not in titles:
            return _page("Not found", "<p>No such page.</p>")
        return _page(titles[page], "<p>A demonstration shop: orders are simulated and nothing is charged.</p>")

    @app.get("/checkout/{checkout_id}", response_class=HTMLResponse)
    def continue_page(checkout_id: str) -> HTMLResponse:
        return _page("Finish your checkout", f"<p>Checkout <code>{escape(checkout_id)}</code> needs you to confirm "
                     "the payment with your bank. (Simulated: nothing to do here.)</p>")


def _handler(store: CheckoutStore, handler_id: str) -> Any:
    found = next((h for h in store.handlers if h.id == handler_id), None)
    if found is None:
        raise _Refused(404, "not_found", f"no payment handler {handler_id!r}")
    return found

