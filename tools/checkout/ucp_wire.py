"""The UCP REST wire format (protocol 2026-01-11): request bodies → typed inputs, records → response JSON.

Request bodies are validated with the `ucp-sdk` models (the protocol's own types), extended where UCP composes
extensions onto checkout (fulfillment, discounts, buyer consent). Responses are built as plain JSON here.
Credentials (tokens, card numbers) are never stored or echoed: instruments keep only their display fields.
"""

from __future__ import annotations

from typing import Any

from ucp_sdk.models.schemas.shopping import checkout_create_req, checkout_update_req, payment_data
from ucp_sdk.models.schemas.shopping.discount_create_req import DiscountsObject
from ucp_sdk.models.schemas.shopping.types import fulfillment_req

from tools.checkout.model import (
    Address, Buyer, Checkout, CheckoutRequest, CheckoutUpdate, FulfillmentInput, InvalidRequest, LineItemInput,
    Order, PaymentInput, Totals)
from tools.checkout.payments import PaymentHandler

__all__ = ["CAPABILITIES", "VERSION", "CompleteBody", "CreateBody", "McpUpdateBody", "UpdateBody", "checkout_json",
           "complete_input", "create_input", "error_json", "order_json", "update_input"]

VERSION = "2026-01-11"
CAPABILITIES = ("dev.ucp.shopping.checkout", "dev.ucp.shopping.fulfillment", "dev.ucp.shopping.discount",
                "dev.ucp.shopping.buyer_consent", "dev.ucp.shopping.order")
_ADDRESS_FIELDS = ("street_address", "extended_address", "address_locality", "address_region", "postal_code",
                   "address_country", "full_name", "first_name", "last_name", "phone_number")


class CreateBody(checkout_create_req.CheckoutCreateRequest):
    fulfillment: fulfillment_req.FulfillmentRequest | None = None
    discounts: DiscountsObject | None = None


class UpdateBody(checkout_update_req.CheckoutUpdateRequest):
    fulfillment: fulfillment_req.FulfillmentRequest | None = None
    discounts: DiscountsObject | None = None


class McpUpdateBody(UpdateBody):
    """update_checkout's `checkout` over MCP: the REST update body, whose id travels beside it (the binding's
    identifier pattern: the payload carries no id)."""

    id: str | None = None  # type: ignore[assignment]


class CompleteBody(payment_data.PaymentData):
    risk_signals: dict[str, Any] | None = None
    ap2: dict[str, Any] | None = None


# -- requests -----------------------------------------------------------------------------------------------
def create_input(body: CreateBody, webhook_url: str | None) -> CheckoutRequest:
    return CheckoutRequest(line_items=_lines(body.line_items), currency=body.currency, buyer=_buyer(body.buyer),
                           fulfillment=_fulfillment(body.fulfillment), discount_codes=_codes(body.discounts),
                           payment=_payment(body.payment), webhook_url=webhook_url)


def update_input(body: UpdateBody) -> CheckoutUpdate:
    return CheckoutUpdate(line_items=_lines(body.line_items), currency=body.currency, buyer=_buyer(body.buyer),
                          fulfillment=_fulfillment(body.fulfillment), discount_codes=_codes(body.discounts),
                          payment=_payment(body.payment))


def complete_input(body: CompleteBody) -> PaymentInput:
    instrument = body.payment_data.root
    credential = instrument.credential.root.model_dump(mode="json", exclude_none=True) if instrument.credential else {}
    mandate = (body.ap2 or {}).get("checkout_mandate")
    return PaymentInput(handler_id=instrument.handler_id, credential=credential, instrument_id=instrument.id,
                        brand=instrument.brand, last_digits=instrument.last_digits,
                        billing_address=_address(instrument.billing_address.model_dump())
                        if instrument.billing_address else None,
                        mandate=str(mandate) if mandate else None)


def _lines(items: list[Any]) -> tuple[LineItemInput, ...]:
    return tuple(LineItemInput(li.item.id, li.quantity, getattr(li, "id", None)) for li in items)


def _buyer(buyer: Any) -> Buyer | None:
    if buyer is None:
        return None
    data = buyer.model_dump(mode="json")
    consent = data.get("consent")
    return Buyer(email=data.get("email"), first_name=data.get("first_name"), last_name=data.get("last_name"),
                 full_name=data.get("full_name") or data.get("fullName"), phone_number=data.get("phone_number"),
                 consent={k: bool(v) for k, v in consent.items() if isinstance(v, bool)}
                 if isinstance(consent, dict) else None)


def _codes(discounts: DiscountsObject | None) -> tuple[str, ...] | None:
    if discounts is None or discounts.codes is None:
        return None
    return tuple(c for c in discounts.codes if c.strip())


def _payment(payment: Any) -> dict[str, Any]:
    """The platform's payment section minus secrets: the selection and each instrument's display fields."""
    instruments = []
    for inst in payment.instruments or []:
        data = inst.root.model_dump(mode="json", exclude_none=True)
        data.pop("credential", None)
        instruments.append(data)
    out: dict[str, Any] = {"instruments": instruments}
    if payment.selected_instrument_id:
        out["selected_instrument_id"] = payment.selected_instrument_id
    return out


def _address(data: dict[str, Any]) -> Address:
    return Address(id=data.get("id"), **{k: data.get(k) for k in _ADDRESS_FIELDS})


def _fulfillment(f: fulfillment_req.FulfillmentRequest | None) -> FulfillmentInput | None:
    if f is None or not f.methods:
        return None
    method = f.methods[0]
    if method.type != "shipping":
        raise InvalidRequest(f"fulfillment method {method.type!r} is not offered; this shop ships")
    destinations = None
    if method.destinations is not None:
        destinations = tuple(_address(d.root.model_dump(mode="json")) for d in method.destinations)
    option = next((g.selected_option_id for g in method.groups or [] if g.selected_option_id), None)
    return FulfillmentInput(destinations, method.selected_destination_id, option)


# -- responses ----------------------------------------------------------------------------------------------
def _totals(t: Totals) -> list[dict[str, Any]]:
    out = [{"type": "subtotal", "amount": t.subtotal}]
    if t.discount:
        out.append({"type": "discount", "amount": t.discount})
    if t.fulfillment is not None:
        out.append({"type": "fulfillment", "amount": t.fulfillment})
    if t.tax:
        out.append({"type": "tax", "amount": t.tax})
    out.append({"type": "total", "amount": t.total})
    return out


def _item(product_id: str, title: str, price: int, image_url: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {"id": product_id, "title": title, "price": price}
    if image_url:
        item["image_url"] = image_url
    return item


def _address_json(a: Address, with_id: bool = True) -> dict[str, Any]:
    out = {k: getattr(a, k) for k in _ADDRESS_FIELDS if getattr(a, k)}
    if with_id:
        out["id"] = a.id
    return out


def checkout_json(c: Checkout, base: str, handlers: list[PaymentHandler]) -> dict[str, Any]:
    line_ids = [li.id for li in c.line_items]
    group: dict[str, Any] = {"id": "fg_1", "line_item_ids": line_ids}
    if c.options:
        group["options"] = [{"id": o.id, "title": o.title, **({"description": o.description} if o.description else {}),
                             "totals": [{"type": "subtotal", "amount": o.amount}, {"type": "total", "amount": o.amount}]}
                            for o in c.options]
    if c.selected_option_id:
        group["selected_option_id"] = c.selected_option_id
    method: dict[str, Any] = {"id": "fm_shipping", "type": "shipping", "line_item_ids": line_ids, "groups": [group]}
    if c.destinations:
        method["destinations"] = [_address_json(d) for d in c.destinations]
    if c.selected_destination_id:
        method["selected_destination_id"] = c.selected_destination_id
    out: dict[str, Any] = {
        "ucp": {"version": VERSION, "capabilities": [{"name": n, "version": VERSION} for n in CAPABILITIES]},
        "id": c.id, "status": c.status, "currency": c.currency,
        "line_items": [{"id": li.id, "item": _item(li.product_id, li.title, li.unit_price, li.image_url),
                        "quantity": li.quantity,
                        "totals": [{"type": "subtotal", "amount": li.subtotal}, {"type": "total", "amount": li.subtotal}]}
                       for li in c.line_items],
        "totals": _totals(c.totals),
        "links": [{"type": "terms_of_service", "url": f"{base}/legal/terms"},
                  {"type": "privacy_policy", "url": f"{base}/legal/privacy"}],
        "expires_at": c.expires_at,
        "payment": {"handlers": [h.describe(base) for h in handlers], "instruments": [], **c.payment},
        "fulfillment": {"methods": [method]},
        "discounts": {"codes": list(c.discount_codes),
                      "applied": [{"title": d.title, "amount": d.amount, "automatic": d.automatic,
                                   **({"code": d.code} if d.code else {})} for d in c.discounts]},
    }
    if c.buyer is not None:
        out["buyer"] = {k: v for k, v in vars(c.buyer).items() if v is not None}
    if c.messages:
        out["messages"] = [dict(m, severity="recoverable") if m["type"] == "error" else dict(m) for m in c.messages]
    if c.status == "requires_escalation":
        out["continue_url"] = f"{base}/checkout/{c.id}"
    if c.order_id:
        out["order"] = {"id": c.order_id, "permalink_url": f"{base}/orders/{c.order_id}"}
    return out


def error_json(code: str, content: str) -> dict[str, Any]:
    """A failure as a UCP business outcome (the MCP binding's error result): the envelope and its messages."""
    return {"ucp": {"version": VERSION, "status": "error"},
            "messages": [{"type": "error", "code": code, "content": content, "severity": "recoverable"}]}


def order_json(o: Order, base: str) -> dict[str, Any]:
    expectation: dict[str, Any] = {"id": "exp_1", "method_type": "shipping",
                                   "line_items": [{"id": li.id, "quantity": li.quantity} for li in o.line_items],
                                   "destination": _address_json(o.destination, with_id=False) if o.destination else {}}
    if o.shipping is not None:
        expectation["description"] = o.shipping.title
    return {
        "ucp": {"version": VERSION, "capabilities": [{"name": "dev.ucp.shopping.order", "version": VERSION}]},
        "id": o.id, "checkout_id": o.checkout_id, "permalink_url": f"{base}/orders/{o.id}", "status": o.status,
        "created_at": o.created_at, "currency": o.currency,
        "line_items": [{"id": li.id, "item": _item(li.product_id, li.title, li.unit_price, li.image_url),
                        "quantity": {"total": li.quantity, "fulfilled": li.fulfilled},
                        "totals": [{"type": "subtotal", "amount": li.unit_price * li.quantity},
                                   {"type": "total", "amount": li.unit_price * li.quantity}],
                        "status": "fulfilled" if li.fulfilled >= li.quantity else
                        "partial" if li.fulfilled else "processing"} for li in o.line_items],
        "fulfillment": {"expectations": [expectation], "events": list(o.events)},
        "adjustments": list(o.adjustments),
        "totals": _totals(o.totals),
    }
