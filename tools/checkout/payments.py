"""Payment handlers: the pluggable step that turns an instrument into a captured payment.

Only a simulated handler ships: it never touches a payment network. It reads the credential the platform sent
(a token, or a card number for a card credential) and decides like a test gateway does:

| credential | outcome |
|---|---|
| token `fail_token` / `decline_token`, or card 4000 0000 0000 0002 | declined |
| token `escalate_token`, or card 4000 0025 0000 3155 | needs the buyer (3-D Secure): `requires_escalation` |
| a card number failing the Luhn check, or expired | declined |
| any other token or valid card | captured |
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, Protocol, runtime_checkable

from tools.checkout.model import PaymentInput

__all__ = ["PaymentHandler", "PaymentResult", "SimulatedHandler"]

DECLINE_TOKENS = {"fail_token", "decline_token"}
ESCALATE_TOKENS = {"escalate_token"}
DECLINE_CARDS = {"4000000000000002"}
ESCALATE_CARDS = {"4000002500003155"}


@dataclass(frozen=True)
class PaymentResult:
    status: Literal["captured", "declined", "requires_action"]
    reference: str | None = None
    message: str = ""


@runtime_checkable
class PaymentHandler(Protocol):
    """What the checkout needs from a payment handler; `describe()` is its entry in the discovery profile."""

    id: str
    name: str

    def describe(self, base_url: str) -> dict[str, Any]:
        ...

    def charge(self, payment: PaymentInput, amount: int, currency: str, checkout_id: str) -> PaymentResult:
        ...


@dataclass(frozen=True)
class SimulatedHandler:
    """A test gateway under any handler id/name (the flower shop advertises three); no network, ever."""

    id: str
    name: str
    version: str = "2026-01-11"
    config: dict[str, Any] = field(default_factory=dict)

    def describe(self, base_url: str) -> dict[str, Any]:
        root = f"{base_url.rstrip('/')}/ucp/handlers/{self.id}"
        return {"id": self.id, "name": self.name, "version": self.version, "spec": f"{root}/spec",
                "config_schema": f"{root}/config_schema.json",
                "instrument_schemas": [f"{base_url.rstrip('/')}/ucp/schemas/card_payment_instrument.json"],
                "config": dict(self.config)}

    def charge(self, payment: PaymentInput, amount: int, currency: str, checkout_id: str) -> PaymentResult:
        credential = payment.credential or {}
        if credential.get("type") == "card":
            outcome = _card_outcome(credential)
        else:
            token = str(credential.get("token") or "").strip()
            outcome = ("declined", "the payment token is missing") if not token else \
                ("declined", "the card was declined") if token in DECLINE_TOKENS else \
                ("requires_action", "the buyer must authenticate the payment") if token in ESCALATE_TOKENS else \
                ("captured", "")
        status, message = outcome
        if status != "captured":
            return PaymentResult(status, None, message)  # type: ignore[arg-type]
        seed = f"{self.id}:{checkout_id}:{amount}:{currency}:{sorted(credential.items())}"
        return PaymentResult("captured", "pay_" + hashlib.sha256(seed.encode()).hexdigest()[:16])


def _card_outcome(credential: dict[str, Any]) -> tuple[str, str]:
    number = "".join(ch for ch in str(credential.get("number") or "") if ch.isdigit())
    if credential.get("card_number_type", "fpan") == "fpan":
        if not _luhn(number):
            return "declined", "the card number is not valid"
        if number in DECLINE_CARDS:
            return "declined", "the card was declined"
        if number in ESCALATE_CARDS:
            return "requires_action", "the buyer must authenticate the payment"
    month, year = credential.get("expiry_month"), credential.get("expiry_year")
    if isinstance(month, int) and isinstance(year, int):
        now = datetime.now(timezone.utc)
        if (year, month) < (now.year, now.month):
            return "declined", "the card has expired"
    return "captured", ""


def _luhn(number: str) -> bool:
    if not 12 <= len(number) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(number)):
        d = int(digit) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0
