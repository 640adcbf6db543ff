"""The τ²-bench retail database as typed records that round-trip to its canonical JSON.

Field order follows the source file (it is the order of τ²'s tool outputs). Optional order fields are None
until a tool sets them; the canonical JSON omits them, the tool output shows them as null.
Money stays `float` on purpose: the benchmark's final states are defined by float arithmetic (see ops.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CreditCard", "Fulfillment", "GiftCard", "Name", "Order", "OrderItem", "Payment", "PaymentMethod",
           "Paypal", "Product", "RetailDB", "Address", "User", "Variant", "canonical_hash", "render"]


class _Record(BaseModel):
    # forbid: a field this model does not know would be dropped silently and change the hash
    model_config = ConfigDict(extra="forbid")


class Variant(_Record):
    item_id: str
    options: dict[str, str]
    available: bool
    price: float


class Product(_Record):
    name: str
    product_id: str
    variants: dict[str, Variant]


class Name(_Record):
    first_name: str
    last_name: str


class Address(_Record):
    address1: str
    address2: str
    city: str
    country: str
    state: str
    zip: str


class CreditCard(_Record):
    source: Literal["credit_card"]
    id: str
    brand: str
    last_four: str


class Paypal(_Record):
    source: Literal["paypal"]
    id: str


class GiftCard(_Record):
    source: Literal["gift_card"]
    id: str
    balance: float


PaymentMethod = Annotated[Union[CreditCard, GiftCard, Paypal], Field(discriminator="source")]


class User(_Record):
    user_id: str
    name: Name
    address: Address
    email: str
    payment_methods: dict[str, PaymentMethod]
    orders: list[str]


class Fulfillment(_Record):
    tracking_id: list[str]
    item_ids: list[str]


class OrderItem(_Record):
    name: str
    product_id: str
    item_id: str
    price: float
    options: dict[str, str]


class Payment(_Record):
    transaction_type: Literal["payment", "refund"]
    amount: float
    payment_method_id: str


OrderStatus = Literal["processed", "pending", "pending (item modified)", "delivered", "cancelled",
                      "exchange requested", "return requested"]


class Order(_Record):
    order_id: str
    user_id: str
    address: Address
    items: list[OrderItem]
    status: OrderStatus
    fulfillments: list[Fulfillment]
    payment_history: list[Payment]
    cancel_reason: Literal["no longer needed", "ordered by mistake"] | None = None
    exchange_items: list[str] | None = None
    exchange_new_items: list[str] | None = None
    exchange_payment_method_id: str | None = None
    exchange_price_difference: float | None = None
    return_items: list[str] | None = None
    return_payment_method_id: str | None = None


class RetailDB(_Record):
    products: dict[str, Product]
    users: dict[str, User]
    orders: dict[str, Order]

    @classmethod
    def load(cls, path: str | Path) -> "RetailDB":
        """Parse a db.json; a malformed file raises pydantic's ValidationError naming the record and field."""
        return cls.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))

    def canonical(self) -> dict[str, Any]:
        """Plain data in the db.json shape: unset optional fields omitted."""
        return self.model_dump(exclude_none=True)

    def canonical_hash(self) -> str:
        return canonical_hash(self.canonical())

    def copy_fresh(self) -> "RetailDB":
        """An independent copy (through JSON: pydantic-core does it ~20x faster than copy.deepcopy)."""
        return type(self).model_validate_json(self.model_dump_json(exclude_none=True))


def canonical_hash(data: Any) -> str:
    """sha256 of sorted-key, compact JSON (the hash `expected_dev.jsonl` records)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def render(record: BaseModel) -> str:
    """A record as the agent sees it: every field, optional ones as null, `json.dumps` default spacing."""
    return json.dumps(record.model_dump(), default=str)
