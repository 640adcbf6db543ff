"""A UCP (2026-01-11) REST client: discovery, checkout sessions and orders on someone else's store.

Money stays in the protocol's integer minor units. Every write carries an Idempotency-Key, reused when a request
is retried after a transport failure, so a retry never buys twice.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx

__all__ = ["Buyer", "MerchantError", "UCPMerchant", "UCP_VERSION", "money"]

UCP_VERSION = "2026-01-11"
SHOPPING = "dev.ucp.shopping"
_EXPONENT = {"JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3}  # minor-unit digits where they are not 2


class MerchantError(Exception):
    """The merchant refused a request or could not be reached; the message says which and why."""


def money(amount: int, currency: str) -> str:
    """Minor units as a display string: 5450 USD -> '54.50 USD' (exact, no floats)."""
    digits = _EXPONENT.get(currency.upper(), 2)
    return f"{Decimal(amount).scaleb(-digits):.{digits}f} {currency}"


@dataclass
class Buyer:
    """Who pays and where it goes: the signed-in shopper's details, from the session's configuration."""

    full_name: str | None = None
    email: str | None = None
    address: dict[str, str] = field(default_factory=dict)  # street_address, address_locality, address_region,
    #                                                        postal_code, address_country
    payment: dict[str, Any] = field(default_factory=dict)  # a tokenized instrument: handler_id, type, brand,
    #                                                        last_digits, credential {type, token}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Buyer":
        return cls(full_name=data.get("full_name"), email=data.get("email"), address=dict(data.get("address") or {}),
                   payment=dict(data.get("payment") or {}))


@dataclass
class _Checkout:
    """What this client asked for (UCP updates replace the whole session) and the merchant's last answer."""

    lines: list[dict[str, Any]]
    currency: str
    fulfillment: dict[str, Any] | None = None
    codes: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


class UCPMerchant:
    """One remote merchant, discovered at `/.well-known/ucp`; checkouts are kept per shopper."""

    def __init__(self, url: str, *, agent_profile: str, timeout: float = 20.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.agent_profile = agent_profile
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self._lock = threading.Lock()
        self._checkouts: dict[str, _Checkout] = {}
        self._orders: dict[str, set[str]] = {}  # the orders each shopper placed through this client
        self.profile = self._discover()
        service = self.profile.get("ucp", {}).get("services", {}).get(SHOPPING) or {}
        rest = service.get("rest") if isinstance(service, dict) else None
        if not rest or not rest.get("endpoint"):
            raise MerchantError(f"{self.url} offers no UCP shopping service over REST")
        self.endpoint = rest["endpoint"].rstrip("/")
        caps = self.profile.get("ucp", {}).get("capabilities", [])
        self.capabilities = {c["name"] for c in caps} if isinstance(caps, list) else set(caps)
        self.handlers = [h for h in self.profile.get("payment", {}).get("handlers", [])]

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------ protocol
    def _discover(self) -> dict[str, Any]:
        try:
            r = self._http.get(f"{self.url}/.well-known/ucp")
        except httpx.HTTPError as exc:
            raise MerchantError(f"cannot reach the merchant at {self.url}: {exc}") from None
        if r.status_code != 200:
            raise MerchantError(f"{self.url}/.well-known/ucp answered {r.status_code}: not a UCP merchant")
        profile = r.json()
        version = profile.get("ucp", {}).get("version", "")
        if version > UCP_VERSION:
            raise MerchantError(f"the merchant speaks UCP {version}; this client speaks {UCP_VERSION}")
        return profile

    def _headers(self, body: bytes, idempotency_key: str | None) -> dict[str, str]:
        headers = {"UCP-Agent": f'profile="{self.agent_profile}"; version="{UCP_VERSION}"',
                   "Request-Id": str(uuid.uuid4()), "Content-Type": "application/json",
                   # a digest of the body, not a signature: this client holds no signing key yet
                   "Request-Signature": "sha256=" + hashlib.sha256(body).hexdigest()}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else b""
        key = str(uuid.uuid4()) if method in ("POST", "PUT") else None
        last: Exception | None = None
        for _ in range(2):  # one retry on a transport failure, with the same idempotency key
            try:
                r = self._http.request(method, f"{self.endpoint}{path}", content=data or None,
                                       headers=self._headers(data, key))
                break
            except httpx.TransportError as exc:
                last = exc
        else:
            raise MerchantError(f"the merchant at {self.endpoint} is not answering ({last})")
        try:
            payload = r.json()
        except ValueError:
            payload = {"detail": r.text[:300]}
        if r.status_code >= 400:
            raise MerchantError(f"the merchant refused ({r.status_code}): {_reason(payload)}")
        return payload

    # ------------------------------------------------------------ checkout
    def checkout(self, shopper: str) -> _Checkout | None:
        return self._checkouts.get(shopper)

    def start_checkout(self, shopper: str, items: list[tuple[str, int, str]], currency: str) -> dict[str, Any]:
        """A new checkout session for `items` [(id, quantity, title)], replacing the shopper's open one."""
        lines = [{"item": {"id": i, "title": title}, "quantity": q} for i, q, title in items]
        with self._lock:
            co = _Checkout(lines, currency)
            co.state = self.request("POST", "/checkout-sessions", self._body(co))
            self._checkouts[shopper] = co
        return co.state

    def update(self, shopper: str, *, fulfillment: dict[str, Any] | None = None,
               codes: list[str] | None = None) -> dict[str, Any]:
        co = self._open(shopper)
        with self._lock:
            if fulfillment is not None:
                co.fulfillment = fulfillment
            if codes is not None:
                co.codes = codes
            co.state = self.request("PUT", f"/checkout-sessions/{co.state['id']}", self._body(co, with_id=True))
        return co.state

    def refresh(self, shopper: str) -> dict[str, Any]:
        co = self._open(shopper)
        co.state = self.request("GET", f"/checkout-sessions/{co.state['id']}")
        return co.state

    def complete(self, shopper: str, instrument: dict[str, Any], billing: dict[str, str]) -> dict[str, Any]:
        co = self._open(shopper)
        payment = dict(instrument)
        payment.setdefault("id", "instr_" + uuid.uuid4().hex[:8])
        payment.setdefault("handler_name", payment.get("handler_id"))
        if billing:
            payment.setdefault("billing_address", billing)
        with self._lock:
            co.state = self.request("POST", f"/checkout-sessions/{co.state['id']}/complete",
                                    {"payment_data": payment, "risk_signals": {}})
            if (co.state.get("order") or {}).get("id"):
                self._orders.setdefault(shopper, set()).add(co.state["order"]["id"])
        return co.state

    def order(self, shopper: str, order_id: str) -> dict[str, Any]:
        """One of this shopper's orders; another shopper's order id is refused, whatever the merchant holds."""
        if order_id not in self._orders.get(shopper, set()):
            raise MerchantError(f"{order_id} is not one of your orders on this store")
        return self.request("GET", f"/orders/{order_id}")

    def _open(self, shopper: str) -> _Checkout:
        co = self._checkouts.get(shopper)
        if co is None:
            raise MerchantError("there is no checkout in progress: start one first")
        return co

    @staticmethod
    def _body(co: _Checkout, *, with_id: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {"line_items": co.lines, "currency": co.currency,
                                "payment": {"instruments": [], "handlers": []}}
        if with_id:
            body["id"] = co.state["id"]
        if co.fulfillment:
            body["fulfillment"] = co.fulfillment
        if co.codes:
            body["discounts"] = {"codes": co.codes}
        return body


def _reason(payload: Any) -> str:
    """The merchant's own words from a UCP error body (messages, errors or FastAPI's detail)."""
    if isinstance(payload, dict):
        for key in ("messages", "errors"):
            if isinstance(payload.get(key), list) and payload[key]:
                return "; ".join(str(m.get("content") or m.get("message") or m) for m in payload[key][:3])
        detail = payload.get("detail")
        if isinstance(detail, dict):
            return _reason(detail)
        if detail:
            return str(detail)[:300]
    return str(payload)[:300]
