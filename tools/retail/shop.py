"""The τ² order desk on the shop's own orders: cancel or modify a pending checkout order, return or exchange a
delivered one, under the τ² retail policy (`tools/retail/rules.py`), in the shop's checkout store.

How the two order models were reconciled (τ²'s JSON database on the left, `tools/checkout` on the right):

| τ² retail                        | the shop's checkout order                                              |
|----------------------------------|------------------------------------------------------------------------|
| status `pending`                 | `placed` (paid, not shipped)                                           |
| `pending (item modified)`        | `placed` with `after_sale.items_modified`                              |
| `processed`                      | `shipped` (with the carrier: neither cancelled nor returned)           |
| `delivered`                      | `delivered` (a `delivered` fulfillment event; `tools/checkout/simulate`) |
| `cancelled`                      | `canceled`                                                             |
| `return requested`               | `return_requested`                                                     |
| `exchange requested`             | `exchange_requested`                                                   |
| one item per unit, `item_id`     | a line with a quantity; its item id is its variant's id, else its product id, once per unit |
| `price` float dollars            | `unit_price` integer minor units beside the order's currency          |
| `payment_history`                | UCP `adjustments` (refund / price_adjustment / exchange, minor units)  |
| cancel/return/exchange fields    | `Order.after_sale` (same names; the price difference in minor units)  |
| user's payment methods, gift cards | one card per order (the card on file): every refund and difference goes to it |

The policy is the same code on both sides: the shop's status is mapped to τ²'s (`service_status`) and checked
by the same rules, with τ²'s messages. What differs is only what the shop does not have or does in its own
units: no gift cards or second payment method (so no payment argument and no `modify_pending_order_payment`;
refunds go to the original card, as τ²'s policy requires for non-gift-card payments), exact minor-unit money
instead of τ²'s float quirks, and discounts: a return refunds the units' price less their share of the order's
discounts (rounded half up; shipping is not refunded). A modified or exchanged unit takes the catalog's current
price of its new variant; a product without variants can only be exchanged for the same item (a replacement).
Nothing here touches a payment network: money movements are recorded as adjustments on the order.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from tools.catalog.product import Offer, Product
from tools.checkout.model import Address, NotFound, Order, OrderLine
from tools.checkout.money import format_minor, to_minor
from tools.checkout.shopdb import ShopData
from tools.checkout.store import CheckoutStore
from tools.retail.model import Address as RetailAddress
from tools.retail.policy import RetailError
from tools.retail.rules import (ServiceStatus, check_cancel, check_exchange, check_items_present, check_modify,
                                check_modify_items, check_return)

__all__ = ["SERVICE_STATUS", "ShopOrderDesk", "item_id", "service_status", "unit_ids"]

SERVICE_STATUS: dict[str, ServiceStatus] = {
    "placed": "pending", "shipped": "processed", "delivered": "delivered", "canceled": "cancelled",
    "return_requested": "return requested", "exchange_requested": "exchange requested"}


def service_status(order: Order) -> ServiceStatus:
    """The order's status in τ²'s terms, the one the policy rules read."""
    if order.status == "placed" and order.after_sale.items_modified:
        return "pending (item modified)"
    return SERVICE_STATUS[order.status]


def item_id(line: OrderLine) -> str:
    return line.variant_id or line.product_id


def unit_ids(order: Order) -> list[str]:
    """τ²'s view of the items: one id per unit."""
    return [item_id(line) for line in order.line_items for _ in range(line.quantity)]


class ShopOrderDesk:
    """The after-sale operations on one checkout store; every one is for `customer_id`'s own orders only."""

    def __init__(self, store: CheckoutStore) -> None:
        self.store = store

    def order(self, customer_id: str, order_id: str) -> Order:
        try:
            return self.store.order(order_id, customer_id=customer_id)
        except NotFound:
            raise _not_yours(order_id) from None

    def cancel(self, customer_id: str, order_id: str, reason: str) -> Order:
        """Cancel a pending order: the whole amount paid is refunded to the card, the stock goes back."""

        def change(order: Order, shop: ShopData) -> None:
            check_cancel(service_status(order), reason)
            for line in order.line_items:
                left = shop.on_hand(line.product_id)
                if left is not None:  # counted stock: the units are for sale again
                    shop.set_on_hand(line.product_id, left + line.quantity)
            order.status = "canceled"
            order.after_sale.cancel_reason = reason
            _adjust(order, "refund", "completed", order.totals.total, _refs_all(order),
                    f"Order canceled ({reason}): {_money(order, order.totals.total)} refunded to {_card(order)}")

        return self._change(customer_id, order_id, change)

    def modify_address(self, customer_id: str, order_id: str, address: RetailAddress) -> Order:
        """Ship a pending order elsewhere; the shipping option (and price paid) stays, if it serves there."""

        def change(order: Order, shop: ShopData) -> None:
            check_modify(service_status(order))
            country = address.country.strip().upper()
            level = order.shipping.service_level if order.shipping else None
            if level and not any(r.service_level == level and r.country.upper() in (country, "DEFAULT")
                                 for r in shop.rules().rates):
                raise RetailError(f"This shop does not ship {order.shipping.title} to {country}")  # type: ignore[union-attr]
            old = order.destination or Address()
            order.destination = replace(old, id=None, street_address=address.address1,
                                        extended_address=address.address2 or None, address_locality=address.city,
                                        address_region=address.state or None, postal_code=address.zip or None,
                                        address_country=country)

        return self._change(customer_id, order_id, change)

    def modify_items(self, customer_id: str, order_id: str, item_ids: list[str], new_item_ids: list[str]) -> Order:
        """Swap units of a pending order for other available variants of the same products (once per order);
        the price difference is charged to or refunded on the card."""

        def change(order: Order, shop: ShopData) -> None:
            check_modify_items(service_status(order))
            swaps, difference = self._checked_swaps(order, item_ids, new_item_ids, False, lambda i: f"{i} not found",
                                                    "The number of items to be exchanged should match")
            for line, product, offer, price in swaps:
                _move_unit(order, line, product, offer, price)
            order.totals.subtotal += difference
            order.totals.total += difference
            order.after_sale.items_modified = True
            if difference:
                verb = "charged to" if difference > 0 else "refunded to"
                _adjust(order, "price_adjustment", "completed", abs(difference), None,
                        f"Items modified: {_money(order, abs(difference))} {verb} {_card(order)}")

        return self._change(customer_id, order_id, change)

    def return_items(self, customer_id: str, order_id: str, item_ids: list[str]) -> Order:
        """Request the return of delivered units; their refund (less their share of discounts) is recorded as
        pending, to the original card, until the items arrive."""

        def change(order: Order, shop: ShopData) -> None:
            check_return(service_status(order))
            check_items_present(unit_ids(order), item_ids, lambda i: "Some item not found")
            units = self._units(order, item_ids)
            returned = sum(line.unit_price for line in units)
            refund = returned - _share(order.totals.discount, returned, order.totals.subtotal)
            order.status = "return_requested"
            order.after_sale.return_items = sorted(item_ids)
            _adjust(order, "refund", "pending", refund, _refs(units),
                    f"Return requested: {_money(order, refund)} to be refunded to {_card(order)} when the items "
                    "arrive")

        return self._change(customer_id, order_id, change)

    def exchange_items(self, customer_id: str, order_id: str, item_ids: list[str],
                       new_item_ids: list[str]) -> Order:
        """Request an exchange of delivered units for available variants of the same products (once per
        order); the price difference is recorded against the card."""

        def change(order: Order, shop: ShopData) -> None:
            check_exchange(service_status(order))
            swaps, difference = self._checked_swaps(order, item_ids, new_item_ids, True,
                                                    lambda i: f"Number of {i} not found.",
                                                    "The number of items to be exchanged should match.")
            order.status = "exchange_requested"
            order.after_sale.exchange_items = sorted(item_ids)
            order.after_sale.exchange_new_items = sorted(new_item_ids)
            order.after_sale.exchange_price_difference = difference
            owed = ("no price difference" if not difference else
                    f"{_money(order, difference)} to be charged to {_card(order)}" if difference > 0 else
                    f"{_money(order, -difference)} to be refunded to {_card(order)}")
            _adjust(order, "exchange", "pending", abs(difference), _refs([s[0] for s in swaps]),
                    f"Exchange requested: {owed}")

        return self._change(customer_id, order_id, change)

    # -- internals ----------------------------------------------------------------------------------------
    def _change(self, customer_id: str, order_id: str, change: Callable[[Order, ShopData], None]) -> Order:
        try:
            order, _ = self.store.change_order(order_id, change, customer_id=customer_id)
        except NotFound:
            raise _not_yours(order_id) from None
        return order

    def _units(self, order: Order, item_ids: list[str]) -> list[OrderLine]:
        """The line of each unit asked for, in order (a repeated id takes the next unit of that item)."""
        taken: dict[str, int] = {}
        units = []
        for wanted in item_ids:
            skip = taken.get(wanted, 0)
            for line in order.line_items:
                if item_id(line) == wanted:
                    if skip < line.quantity:
                        units.append(line)
                        break
                    skip -= line.quantity
            taken[wanted] = taken.get(wanted, 0) + 1
        return units

    def _checked_swaps(self, order: Order, item_ids: list[str], new_item_ids: list[str], same_allowed: bool,
                       missing: Callable[[str], str], mismatch: str) -> tuple[list[Any], int]:
        """The swaps asked for, checked as τ² checks them (its messages differ by tool: `missing`, `mismatch`),
        and their price difference in minor units."""
        check_items_present(unit_ids(order), item_ids, missing)
        if len(item_ids) != len(new_item_ids):
            raise RetailError(mismatch)
        swaps = self._swaps(order, item_ids, new_item_ids, same_allowed=same_allowed)
        return swaps, sum(price - line.unit_price for line, _, _, price in swaps)

    def _swaps(self, order: Order, item_ids: list[str], new_item_ids: list[str],
               same_allowed: bool) -> list[tuple[OrderLine, Product, Offer, int]]:
        """(line, product, new offer, its price in minor units) per unit, checked like τ²'s variants."""
        lines = self._units(order, item_ids)
        products = {p.id: p for p in self.store.catalog.get_many(list({line.product_id for line in lines}))}
        swaps = []
        for line, old_id, new_id in zip(lines, item_ids, new_item_ids):
            if old_id == new_id and not same_allowed:
                raise RetailError("The new item id should be different from the old item id")
            product = products.get(line.product_id)
            if product is None:
                raise RetailError("Product not found")
            offer = _offer(product, new_id)
            if not offer.in_stock:
                raise RetailError(f"New item {new_id} not found or available")
            swaps.append((line, product, offer, to_minor(offer.price, order.currency)))
        return swaps


def _offer(product: Product, wanted: str) -> Offer:
    for offer in product.offers():
        if (offer.variant.id if offer.variant else product.id) == wanted:
            return offer
    items = ", ".join(o.variant.id if o.variant else product.id for o in product.offers())
    raise RetailError(f"Variant not found: {product.title} ({product.id}) has the items {items}")


def _move_unit(order: Order, line: OrderLine, product: Product, offer: Offer, price: int) -> None:
    """One unit of `line` becomes a unit of the new variant (merged into a line of that variant at that price)."""
    line.quantity -= 1
    if line.quantity == 0:
        order.line_items.remove(line)
    variant = offer.variant
    new_id = variant.id if variant else None
    target = next((li for li in order.line_items if li.product_id == product.id and li.variant_id == new_id
                   and li.unit_price == price), None)
    if target is not None:
        target.quantity += 1
        return
    options = dict(variant.options) if variant else {}
    title = product.title + (f" ({', '.join(options.values())})" if options else "")
    title = (variant.title if variant and variant.title else None) or title
    order.line_items.append(OrderLine("li_" + uuid.uuid4().hex[:8], product.id, title, price, 1,
                                      image_url=line.image_url, variant_id=new_id, options=options))


def _share(discount: int, part: int, subtotal: int) -> int:
    """`part`'s share of the order's discount, rounded half up (a full return gets the whole discount back)."""
    if not discount or not subtotal:
        return 0
    return int((Decimal(discount) * part / subtotal).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _refs(lines: list[OrderLine]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.id] = counts.get(line.id, 0) + 1
    return [{"id": line_id, "quantity": n} for line_id, n in counts.items()]


def _refs_all(order: Order) -> list[dict[str, Any]]:
    return [{"id": line.id, "quantity": line.quantity} for line in order.line_items]


def _adjust(order: Order, kind: str, status: str, amount: int, lines: list[dict[str, Any]] | None,
            description: str) -> None:
    """Append a UCP adjustment (append-only money movement, minor units)."""
    entry: dict[str, Any] = {"id": "adj_" + uuid.uuid4().hex[:12], "type": kind,
                             "occurred_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds")
                             .replace("+00:00", "Z"), "status": status, "amount": amount, "description": description}
    if lines:
        entry["line_items"] = lines
    order.adjustments.append(entry)


def _card(order: Order) -> str:
    brand, digits = order.payment.get("brand"), order.payment.get("last_digits")
    return f"{brand or 'the card'} ending {digits}" if digits else "the original payment method"


def _money(order: Order, amount: int) -> str:
    return format_minor(amount, order.currency)


def _not_yours(order_id: str) -> RetailError:
    return RetailError(f"Order {order_id} is not one of the signed-in shopper's orders. You can only help the "
                       "shopper with their own orders (view_order lists them).")
