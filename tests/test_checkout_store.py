"""The checkout service over real SQLite and the real demo catalog: totals, statuses, stock, idempotency, orders."""

from __future__ import annotations

import pytest

from tools.catalog.store import CatalogStore
from tools.checkout import (
    Address, Buyer, CheckoutRequest, CheckoutStore, CheckoutUpdate, FulfillmentInput, IdempotencyConflict,
    InvalidRequest, LineItemInput, NotFound, NotModifiable, NotReady, OutOfStock, PaymentDeclined, PaymentInput)
from tools.checkout.money import format_minor, percent_of, to_minor

HOME = Address(street_address="1 Elm St", address_locality="Springfield", address_region="IL",
               postal_code="62704", address_country="US", full_name="Sam Shopper")
TOKEN = PaymentInput("simulated_card", {"type": "token", "token": "tok_ok"}, brand="Visa", last_digits="4242")


def cents(catalog: CatalogStore, product_id: str) -> int:
    return to_minor(catalog.get(product_id).effective_price, "USD")


@pytest.fixture()
def store(demo_catalog: CatalogStore, tmp_path) -> CheckoutStore:
    s = CheckoutStore(tmp_path / "checkout.db", demo_catalog)
    yield s
    s.close()


def ship_home(store: CheckoutStore, checkout_id: str, option: str = "standard") -> None:
    store.update(checkout_id, CheckoutUpdate(fulfillment=FulfillmentInput((HOME,), selected_option_id=option)))


def test_money_is_minor_units_rounded_half_up() -> None:
    assert to_minor(29.0, "USD") == 2900 and to_minor(0.1 + 0.2, "USD") == 30 and to_minor(1999, "JPY") == 1999
    assert percent_of(3505, 10) == 351 and format_minor(123456, "USD") == "1234.56 USD"


def test_checkout_to_order_with_exact_totals_and_stock_taken(store: CheckoutStore, demo_catalog) -> None:
    unit, stock = cents(demo_catalog, "P0011"), demo_catalog.get("P0011").stock
    assert 2 * unit < 10000 and stock >= 2  # below the free-shipping threshold, and in stock
    c = store.create(CheckoutRequest((LineItemInput("P0011", 2),)), customer_id="S001")
    assert (c.status, c.currency, c.totals.subtotal, c.totals.total) == ("incomplete", "USD", 2 * unit, 2 * unit)
    assert c.line_items[0].unit_price == unit and c.options == []  # no destination yet: nothing to price

    ship_home(store, c.id)
    c = store.get(c.id)
    assert c.status == "ready_for_complete" and c.destination.id and c.option.id == "standard"
    assert [o.id for o in c.options] == ["standard", "express"]  # cheapest first
    assert (c.totals.fulfillment, c.totals.total) == (499, 2 * unit + 499)  # the default standard rate

    done = store.complete(c.id, TOKEN)
    assert done.status == "completed" and done.order_id
    order = store.order(done.order_id)
    assert (order.status, order.totals.total, order.customer_id) == ("placed", 2 * unit + 499, "S001")
    assert order.destination.street_address == "1 Elm St" and order.payment["last_digits"] == "4242"
    assert store.shop.on_hand("P0011") == stock - 2  # the catalog's count, less what was sold
    assert [o.id for o in store.orders_for("S001")] == [order.id]

    shipped = store.ship(order.id)
    assert shipped.status == "shipped" and shipped.events[0]["type"] == "shipped"
    assert all(li.fulfilled == li.quantity for li in shipped.line_items)


def test_discount_codes_stack_in_order_and_unknown_ones_are_reported(store: CheckoutStore, demo_catalog) -> None:
    unit = cents(demo_catalog, "P0263")
    c = store.create(CheckoutRequest((LineItemInput("P0263", 1),), discount_codes=("welcome10", "SAVE5", "NOPE")))
    ten = percent_of(unit, 10)  # WELCOME10 first, then SAVE5 (5.00) off what is left
    assert c.totals.subtotal == unit and unit - ten > 500
    assert [(d.code, d.amount) for d in c.discounts] == [("WELCOME10", ten), ("SAVE5", 500)]
    assert (c.totals.discount, c.totals.total) == (ten + 500, unit - ten - 500)
    assert [m["code"] for m in c.messages] == ["discount_code_invalid"] and "NOPE" in c.messages[0]["content"]
    cleared = store.update(c.id, CheckoutUpdate(discount_codes=()))
    assert cleared.totals.total == unit and cleared.discounts == [] and cleared.messages == []


def test_free_standard_shipping_above_the_promotion_threshold(store: CheckoutStore, demo_catalog) -> None:
    unit = cents(demo_catalog, "P0001")
    assert unit >= 10000  # over the default shop's 100.00 threshold
    c = store.create(CheckoutRequest((LineItemInput("P0001", 1),)))
    ship_home(store, c.id)
    c = store.get(c.id)
    standard = next(o for o in c.options if o.id == "standard")
    assert standard.amount == 0 and "Free" in standard.title and c.totals.total == unit


def test_stock_is_checked_at_creation_and_again_at_completion(store: CheckoutStore, demo_catalog) -> None:
    assert demo_catalog.get("P0030").stock == 0 and demo_catalog.get("P0264").stock == 1
    with pytest.raises(OutOfStock, match="Insufficient stock"):
        store.create(CheckoutRequest((LineItemInput("P0030", 1),)))
    with pytest.raises(InvalidRequest, match="not found"):
        store.create(CheckoutRequest((LineItemInput("NO-SUCH", 1),)))

    c = store.create(CheckoutRequest((LineItemInput("P0264", 1),)), customer_id="S001")  # the last one
    ship_home(store, c.id)
    other = store.create(CheckoutRequest((LineItemInput("P0264", 1),)), customer_id="S002")
    ship_home(store, other.id)
    store.complete(other.id, TOKEN)  # someone else buys it first
    with pytest.raises(OutOfStock):
        store.complete(c.id, TOKEN)
    assert store.get(c.id).status == "ready_for_complete" and store.orders_for("S001") == []


def test_completion_needs_shipping_and_a_payment_that_goes_through(store: CheckoutStore) -> None:
    c = store.create(CheckoutRequest((LineItemInput("P0011", 1),)))
    with pytest.raises(NotReady, match="Fulfillment address and option must be selected"):
        store.complete(c.id, TOKEN)
    ship_home(store, c.id)
    with pytest.raises(PaymentDeclined):
        store.complete(c.id, PaymentInput("simulated_card", {"type": "token", "token": "fail_token"}))
    with pytest.raises(PaymentDeclined, match="not valid"):
        store.complete(c.id, PaymentInput("simulated_card", {"type": "card", "card_number_type": "fpan",
                                                             "number": "4242424242424241"}))
    with pytest.raises(InvalidRequest, match="unknown payment handler"):
        store.complete(c.id, PaymentInput("paypal", {"type": "token", "token": "t"}))
    escalated = store.complete(c.id, PaymentInput("simulated_card", {"type": "token", "token": "escalate_token"}))
    assert escalated.status == "requires_escalation" and escalated.order_id is None
    card = {"type": "card", "card_number_type": "fpan", "number": "4242424242424242", "expiry_month": 12,
            "expiry_year": 2099}
    assert store.complete(c.id, PaymentInput("simulated_card", card)).status == "completed"


def test_completed_and_canceled_checkouts_do_not_change(store: CheckoutStore) -> None:
    c = store.create(CheckoutRequest((LineItemInput("P0011", 1),)))
    store.cancel(c.id)
    for attempt in (lambda: store.cancel(c.id), lambda: store.update(c.id, CheckoutUpdate(discount_codes=("X",))),
                    lambda: store.complete(c.id, TOKEN)):
        with pytest.raises(NotModifiable):
            attempt()


def test_idempotency_replays_the_first_outcome_and_refuses_a_changed_request(store: CheckoutStore,
                                                                            demo_catalog) -> None:
    request = CheckoutRequest((LineItemInput("P0011", 1),))
    first = store.create(request, idempotency_key="k-create")
    again = store.create(request, idempotency_key="k-create")
    assert again == first
    with pytest.raises(IdempotencyConflict):
        store.create(CheckoutRequest((LineItemInput("P0011", 2),)), idempotency_key="k-create")
    with pytest.raises(NotReady):
        store.complete(first.id, TOKEN, idempotency_key="k-complete")
    ship_home(store, first.id)
    with pytest.raises(NotReady):  # the same key replays the first outcome, an error included
        store.complete(first.id, TOKEN, idempotency_key="k-complete")
    done = store.complete(first.id, TOKEN, idempotency_key="k-complete-2")
    assert store.complete(first.id, TOKEN, idempotency_key="k-complete-2") == done
    assert store.shop.on_hand("P0011") == demo_catalog.get("P0011").stock - 1  # sold (and charged) once


def test_a_shopper_sees_only_their_own_checkouts_and_orders(store: CheckoutStore) -> None:
    c = store.create(CheckoutRequest((LineItemInput("P0011", 1),)), customer_id="S001")
    ship_home(store, c.id)
    order_id = store.complete(c.id, TOKEN, customer_id="S001").order_id
    with pytest.raises(NotFound):
        store.get(c.id, customer_id="S002")
    with pytest.raises(NotFound):
        store.order(order_id, customer_id="S002")
    assert store.order(order_id, customer_id="S001").id == order_id and store.orders_for("S002") == []


def test_buyer_addresses_are_saved_and_offered_next_time(store: CheckoutStore) -> None:
    buyer = Buyer(email="New.Buyer@example.com")
    c = store.create(CheckoutRequest((LineItemInput("P0011", 1),), buyer=buyer,
                                     fulfillment=FulfillmentInput((HOME,))))
    saved_id = c.destinations[0].id
    assert saved_id.startswith("addr_") and c.selected_destination_id == saved_id  # the only one: chosen
    same_place = Address(street_address="1 elm st", address_locality="Springfield", address_region="IL",
                         postal_code="62704", address_country="us")
    again = store.create(CheckoutRequest((LineItemInput("P0011", 1),), buyer=Buyer(email="new.buyer@example.com"),
                                         fulfillment=FulfillmentInput((same_place,))))
    assert again.destinations[0].id == saved_id  # the saved address, recognised by its content
    offered = store.create(CheckoutRequest((LineItemInput("P0011", 1),), buyer=buyer,
                                           fulfillment=FulfillmentInput()))
    assert [d.id for d in offered.destinations] == [saved_id]
    with pytest.raises(InvalidRequest, match="unknown destination"):
        store.update(offered.id, CheckoutUpdate(fulfillment=FulfillmentInput(selected_destination_id="addr_x")))
