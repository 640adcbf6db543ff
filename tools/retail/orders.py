"""The order desk's write tools: cancel or modify pending orders, return or exchange delivered ones, move a
customer's default address. Each runs only after the customer's explicit yes (`writes=True`).

The arithmetic is the benchmark's, quirks included, because its final databases are defined by it:
- modify_pending_order_items appends the *unrounded* float sum of price differences to the payment history;
- when it modifies several items in one call, every modified item takes the price and options of the *last*
  new variant checked (the item ids are right).
Money is float here for the same reason; gift-card balances are rounded to cents after each change.
"""

from __future__ import annotations

from agent.tools import tool
from tools.retail.model import Address, GiftCard, Order, OrderItem, Payment, render
from tools.retail.policy import RetailContext, RetailError, db_of, own_order, own_user, payment_method, variant
from tools.retail.rules import (check_cancel, check_exchange, check_items_present, check_modify, check_modify_items,
                                check_return)

__all__ = ["cancel_pending_order", "exchange_delivered_order_items", "modify_pending_order_address",
           "modify_pending_order_items", "modify_pending_order_payment", "modify_user_address",
           "return_delivered_order_items"]

@tool(writes=True)
def cancel_pending_order(ctx: RetailContext, order_id: str, reason: str) -> str:
    """Cancel a pending order and refund every payment (gift cards at once, other methods in 5-7 business days).
    `reason` is 'no longer needed' or 'ordered by mistake'. Confirm the details with the customer first."""
    db, order = db_of(ctx), own_order(ctx, order_id)
    check_cancel(order.status, reason)
    refunds = []
    for paid in order.payment_history:
        refunds.append(Payment(transaction_type="refund", amount=paid.amount, payment_method_id=paid.payment_method_id))
        method = payment_method(db, order.user_id, paid.payment_method_id)
        if isinstance(method, GiftCard):
            method.balance = round(method.balance + paid.amount, 2)
    order.status = "cancelled"
    order.cancel_reason = reason  # type: ignore[assignment]  # checked by check_cancel
    order.payment_history.extend(refunds)
    return render(order)


@tool(writes=True)
def modify_pending_order_address(ctx: RetailContext, order_id: str, address1: str, address2: str, city: str,
                                 state: str, country: str, zip: str) -> str:
    """Change the shipping address of a pending order (address2 may be ''). Confirm with the customer first."""
    order = own_order(ctx, order_id)
    check_modify(order.status)
    order.address = Address(address1=address1, address2=address2, city=city, country=country, state=state, zip=zip)
    return render(order)


@tool(writes=True)
def modify_pending_order_items(ctx: RetailContext, order_id: str, item_ids: list[str], new_item_ids: list[str],
                               payment_method_id: str) -> str:
    """Swap items of a pending order for other available variants of the same products (position by position;
    ids may repeat), paying or refunding the difference with `payment_method_id`. Allowed once per order:
    collect every item first and confirm with the customer."""
    db, order = db_of(ctx), own_order(ctx, order_id)
    check_modify_items(order.status)
    _check_items_present(order, item_ids, lambda item_id: f"{item_id} not found")
    if len(item_ids) != len(new_item_ids):
        raise RetailError("The number of items to be exchanged should match")
    difference, new = 0, None
    for item_id, new_item_id in zip(item_ids, new_item_ids):
        if item_id == new_item_id:
            raise RetailError("The new item id should be different from the old item id")
        item = _first_item(order, item_id)
        new = variant(db, item.product_id, new_item_id)
        if not new.available:
            raise RetailError(f"New item {new_item_id} not found or available")
        difference += new.price - item.price
    method = payment_method(db, order.user_id, payment_method_id)
    if isinstance(method, GiftCard) and method.balance < difference:
        raise RetailError("Insufficient gift card balance to pay for the new item")
    order.payment_history.append(Payment(transaction_type="payment" if difference > 0 else "refund",
                                         amount=abs(difference), payment_method_id=payment_method_id))
    if isinstance(method, GiftCard):
        method.balance = round(method.balance - difference, 2)
    for item_id, new_item_id in zip(item_ids, new_item_ids):
        item = _first_item(order, item_id)
        item.item_id = new_item_id
        if new is not None:  # the benchmark's quirk: the last variant checked, for every item
            item.price, item.options = new.price, dict(new.options)
    order.status = "pending (item modified)"
    return render(order)


@tool(writes=True)
def modify_pending_order_payment(ctx: RetailContext, order_id: str, payment_method_id: str) -> str:
    """Pay a pending order with another of the customer's payment methods (a gift card must cover the total);
    the old method is refunded. Confirm with the customer first."""
    db, order = db_of(ctx), own_order(ctx, order_id)
    check_modify(order.status)
    method = payment_method(db, order.user_id, payment_method_id)
    history = order.payment_history
    if len(history) != 1 or history[0].transaction_type != "payment":
        raise RetailError("There should be exactly one payment for a pending order")
    old_id = history[0].payment_method_id
    if old_id == payment_method_id:
        raise RetailError("The new payment method should be different from the current one")
    amount = history[0].amount
    if isinstance(method, GiftCard) and method.balance < amount:
        raise RetailError("Insufficient gift card balance to pay for the order")
    history.extend([Payment(transaction_type="payment", amount=amount, payment_method_id=payment_method_id),
                    Payment(transaction_type="refund", amount=amount, payment_method_id=old_id)])
    if isinstance(method, GiftCard):
        method.balance = round(method.balance - amount, 2)
    old = payment_method(db, order.user_id, old_id)
    if isinstance(old, GiftCard):
        old.balance = round(old.balance + amount, 2)
    return render(order)


@tool(writes=True)
def modify_user_address(ctx: RetailContext, user_id: str, address1: str, address2: str, city: str, state: str,
                        country: str, zip: str) -> str:
    """Change the authenticated customer's default address (address2 may be ''). Confirm with them first."""
    user = own_user(ctx, user_id)
    user.address = Address(address1=address1, address2=address2, city=city, country=country, state=state, zip=zip)
    return render(user)


@tool(writes=True)
def return_delivered_order_items(ctx: RetailContext, order_id: str, item_ids: list[str],
                                 payment_method_id: str) -> str:
    """Request the return of items of a delivered order (ids may repeat); the refund goes to the original
    payment method or an existing gift card. Confirm the order, items and refund method with the customer."""
    db, order = db_of(ctx), own_order(ctx, order_id)
    check_return(order.status)
    method = payment_method(db, order.user_id, payment_method_id)
    if not order.payment_history:  # τ² fails here too (an IndexError); say it rather than crash
        raise RetailError("list index out of range")
    if not isinstance(method, GiftCard) and payment_method_id != order.payment_history[0].payment_method_id:
        raise RetailError("Payment method should be the original payment method")
    _check_items_present(order, item_ids, lambda item_id: "Some item not found")
    order.status = "return requested"
    order.return_items = sorted(item_ids)
    order.return_payment_method_id = payment_method_id
    return render(order)


@tool(writes=True)
def exchange_delivered_order_items(ctx: RetailContext, order_id: str, item_ids: list[str], new_item_ids: list[str],
                                   payment_method_id: str) -> str:
    """Exchange items of a delivered order for other available variants of the same products (position by
    position; ids may repeat), paying or refunding the difference with `payment_method_id`. Allowed once per
    order: collect every item first and confirm with the customer."""
    db, order = db_of(ctx), own_order(ctx, order_id)
    check_exchange(order.status)
    _check_items_present(order, item_ids, lambda item_id: f"Number of {item_id} not found.")
    if len(item_ids) != len(new_item_ids):
        raise RetailError("The number of items to be exchanged should match.")
    difference = 0
    for item_id, new_item_id in zip(item_ids, new_item_ids):
        item = _first_item(order, item_id)
        new = variant(db, item.product_id, new_item_id)
        if not new.available:
            raise RetailError(f"New item {new_item_id} not found or available")
        difference += new.price - item.price
    difference = round(difference, 2)
    method = payment_method(db, order.user_id, payment_method_id)
    if isinstance(method, GiftCard) and method.balance < difference:
        raise RetailError("Insufficient gift card balance to pay for the price difference")
    order.status = "exchange requested"
    order.exchange_items = sorted(item_ids)
    order.exchange_new_items = sorted(new_item_ids)
    order.exchange_payment_method_id = payment_method_id
    order.exchange_price_difference = difference
    return render(order)


def _check_items_present(order: Order, item_ids: list[str], message) -> None:
    check_items_present([item.item_id for item in order.items], item_ids, message)


def _first_item(order: Order, item_id: str) -> OrderItem:
    item = next((item for item in order.items if item.item_id == item_id), None)
    if item is None:
        raise RetailError(f"Item {item_id} not found")
    return item
