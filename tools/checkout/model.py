"""Checkout and order records, the typed inputs of the checkout service, and its errors.

Money is always an `int` in minor units (cents) beside a currency code. The records are plain dataclasses; they
round-trip through JSON (`to_json`/`from_json`) because the store keeps each checkout and order as one row.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Address", "AfterSale", "AppliedDiscount", "Buyer", "Checkout", "CheckoutError", "CheckoutRequest", "CheckoutUpdate",
    "FulfillmentInput", "IdempotencyConflict", "InvalidRequest", "LineItem", "LineItemInput", "NotFound",
    "NotModifiable", "NotReady", "Order", "OrderLine", "OutOfStock", "PaymentDeclined", "PaymentInput",
    "ShippingOption", "Status", "Totals", "from_json", "to_json",
]

Status = Literal["incomplete", "ready_for_complete", "requires_escalation", "completed", "canceled"]
# return_requested / exchange_requested: set by the after-sale desk (tools/retail/shop.py maps them to τ²'s)
OrderStatus = Literal["placed", "shipped", "delivered", "canceled", "return_requested", "exchange_requested"]


# -- errors: each kind is its own type; the REST layer maps types to HTTP codes, the chat tools to messages ------
class CheckoutError(Exception):
    """A problem the caller can act on; `code` is the UCP message code."""

    code = "invalid"


class NotFound(CheckoutError):
    """No checkout or order with that id (or not one this caller may see)."""

    code = "not_found"


class InvalidRequest(CheckoutError):
    """The request names an unknown product, handler or destination, or mixes currencies."""

    code = "invalid"


class OutOfStock(InvalidRequest):
    """More was asked for than the shop has."""

    code = "out_of_stock"


class NotReady(CheckoutError):
    """Completion was asked for before a shipping address and option were chosen."""

    code = "fulfillment_required"


class NotModifiable(CheckoutError):
    """The checkout is completed or canceled (or the order is closed)."""

    code = "not_modifiable"


class IdempotencyConflict(CheckoutError):
    """An idempotency key was reused for a different request."""

    code = "idempotency_conflict"


class PaymentDeclined(CheckoutError):
    """The payment handler declined the instrument."""

    code = "payment_declined"


ERRORS: dict[str, type[CheckoutError]] = {cls.__name__: cls for cls in (
    CheckoutError, NotFound, InvalidRequest, OutOfStock, NotReady, NotModifiable, IdempotencyConflict,
    PaymentDeclined)}


# -- inputs -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Address:
    """A postal address; `id` names it among a checkout's destinations and in a customer's address book."""

    id: str | None = None
    street_address: str | None = None
    extended_address: str | None = None
    address_locality: str | None = None
    address_region: str | None = None
    postal_code: str | None = None
    address_country: str | None = None
    full_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None

    def same_place(self, other: Address) -> bool:
        """The same delivery point, whatever the ids and names (for reusing a saved address)."""
        keys = ("street_address", "extended_address", "address_locality", "address_region", "postal_code",
                "address_country")
        return all((getattr(self, k) or "").strip().lower() == (getattr(other, k) or "").strip().lower()
                   for k in keys)

    def one_line(self) -> str:
        parts = [self.street_address, self.address_locality, self.address_region, self.postal_code,
                 self.address_country]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Buyer:
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    phone_number: str | None = None
    consent: dict[str, bool] | None = None  # marketing / analytics / preferences / sale_of_data


@dataclass(frozen=True)
class LineItemInput:
    product_id: str
    quantity: int = 1
    id: str | None = None  # an existing line's id, kept on update


@dataclass(frozen=True)
class FulfillmentInput:
    """Shipping choices; a field left None keeps what the checkout has."""

    destinations: tuple[Address, ...] | None = None
    selected_destination_id: str | None = None
    selected_option_id: str | None = None


@dataclass(frozen=True)
class CheckoutRequest:
    """What a new checkout is made of (from a cart or from explicit line items)."""

    line_items: tuple[LineItemInput, ...]
    currency: str | None = None  # None: the products' currency
    buyer: Buyer | None = None
    fulfillment: FulfillmentInput | None = None
    discount_codes: tuple[str, ...] | None = None
    payment: dict[str, Any] | None = None  # the platform's payment section, echoed back (instruments, selection)
    webhook_url: str | None = None  # where order events go (from the platform's profile)


@dataclass(frozen=True)
class CheckoutUpdate:
    """Changes to a checkout; None leaves a part as it is. `line_items` replaces every line."""

    line_items: tuple[LineItemInput, ...] | None = None
    currency: str | None = None
    buyer: Buyer | None = None
    fulfillment: FulfillmentInput | None = None
    discount_codes: tuple[str, ...] | None = None  # () clears the codes
    payment: dict[str, Any] | None = None


@dataclass(frozen=True)
class PaymentInput:
    """One instrument handed to a payment handler at completion (a token or a card, never stored in full)."""

    handler_id: str
    credential: dict[str, Any]
    instrument_id: str | None = None
    brand: str | None = None
    last_digits: str | None = None
    billing_address: Address | None = None
    mandate: str | None = None  # an AP2 checkout mandate, when the platform sends one


# -- records ------------------------------------------------------------------------------------------------
@dataclass
class LineItem:
    id: str
    product_id: str
    title: str
    unit_price: int
    quantity: int
    image_url: str | None = None

    @property
    def subtotal(self) -> int:
        return self.unit_price * self.quantity


@dataclass
class ShippingOption:
    id: str
    title: str
    amount: int
    service_level: str
    description: str | None = None


@dataclass
class AppliedDiscount:
    title: str
    amount: int
    code: str | None = None
    automatic: bool = False


@dataclass
class Totals:
    subtotal: int = 0
    discount: int = 0
    fulfillment: int | None = None  # None: no shipping option chosen yet
    tax: int = 0
    total: int = 0


@dataclass
class Checkout:
    id: str
    status: Status
    currency: str
    line_items: list[LineItem]
    totals: Totals
    created_at: str
    expires_at: str
    customer_id: str | None = None  # the signed-in shopper or the customer the buyer's email names
    buyer: Buyer | None = None
    destinations: list[Address] = field(default_factory=list)
    selected_destination_id: str | None = None
    options: list[ShippingOption] = field(default_factory=list)
    selected_option_id: str | None = None
    discount_codes: list[str] = field(default_factory=list)
    discounts: list[AppliedDiscount] = field(default_factory=list)
    messages: list[dict[str, str]] = field(default_factory=list)  # {type, code, content}
    payment: dict[str, Any] = field(default_factory=dict)
    webhook_url: str | None = None
    order_id: str | None = None

    @property
    def destination(self) -> Address | None:
        return next((d for d in self.destinations if d.id == self.selected_destination_id), None)

    @property
    def option(self) -> ShippingOption | None:
        return next((o for o in self.options if o.id == self.selected_option_id), None)


@dataclass
class OrderLine:
    id: str
    product_id: str
    title: str
    unit_price: int
    quantity: int
    fulfilled: int = 0
    image_url: str | None = None
    variant_id: str | None = None  # the catalog variant, once the after-sale desk swapped a unit for one
    options: dict[str, str] = field(default_factory=dict)  # that variant's options


@dataclass
class AfterSale:
    """What the after-sale desk recorded on an order: τ²'s order fields, money in minor units."""

    cancel_reason: str | None = None
    items_modified: bool = False  # items of a pending order change once
    return_items: list[str] | None = None
    exchange_items: list[str] | None = None
    exchange_new_items: list[str] | None = None
    exchange_price_difference: int | None = None  # minor units; negative: owed to the shopper


@dataclass
class Order:
    id: str
    checkout_id: str
    status: OrderStatus
    currency: str
    line_items: list[OrderLine]
    totals: Totals
    created_at: str
    destination: Address | None
    shipping: ShippingOption | None
    customer_id: str | None = None
    buyer: Buyer | None = None
    discounts: list[AppliedDiscount] = field(default_factory=list)
    payment: dict[str, Any] = field(default_factory=dict)  # handler, brand, last digits, reference
    events: list[dict[str, Any]] = field(default_factory=list)  # fulfillment events (UCP shape)
    adjustments: list[dict[str, Any]] = field(default_factory=list)  # refunds, returns (UCP shape)
    after_sale: AfterSale = field(default_factory=AfterSale)


# -- JSON round trip ----------------------------------------------------------------------------------------
def to_json(record: Any) -> dict[str, Any]:
    return dataclasses.asdict(record)


def from_json(cls: type, data: dict[str, Any]) -> Any:
    """Rebuild a record written by `to_json` (nested records and lists of them included)."""
    return _build(cls, data)


_TYPES: dict[str, type] = {}


def _build(cls: type, data: Any) -> Any:
    if data is None:
        return None
    values = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        values[f.name] = _value(f.type, data[f.name])
    return cls(**values)


def _value(annotation: Any, value: Any) -> Any:
    # `from __future__ import annotations`: field types are strings such as "Address | None", "list[LineItem]".
    text = str(annotation)
    for name, cls in _TYPES.items():
        if text in (name, f"{name} | None"):
            return _build(cls, value)
        if text == f"list[{name}]":
            return [_build(cls, v) for v in value or []]
    return value


_TYPES.update({c.__name__: c for c in (Address, Buyer, LineItem, ShippingOption, AppliedDiscount, Totals,
                                      OrderLine, AfterSale)})
