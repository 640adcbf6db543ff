"""`CheckoutStore`: checkout sessions and orders in SQLite, used by the UCP REST server and the chat tools alike.

    store = CheckoutStore.open(state_dir / "checkout.db", catalog)
    c = store.create(CheckoutRequest((LineItemInput("P0011", 2),)), customer_id="S001", idempotency_key=k1)
    c = store.update(c.id, CheckoutUpdate(fulfillment=FulfillmentInput((address,), "home", "standard")))
    c = store.complete(c.id, PaymentInput("simulated_card", {"type": "token", "token": "tok"}))
    store.order(c.order_id)

Statuses: incomplete → ready_for_complete (items, a destination and a shipping option) → completed, or
canceled; requires_escalation when the payment handler needs the buyer. Every state-changing call takes an
idempotency key: a repeat with the same key and the same input returns the first outcome (result or error);
the same key with different input raises IdempotencyConflict. Prices come from the catalog on every change,
in integer minor units. Calls are serialised by one lock, so one store may serve a threaded web server.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import uuid
from dataclasses import asdict, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence, TypeVar

from tools.catalog.product import Product
from tools.checkout.model import (
    ERRORS, Checkout, CheckoutError, CheckoutRequest, CheckoutUpdate, FulfillmentInput, IdempotencyConflict,
    InvalidRequest, NotFound, NotModifiable, NotReady, Order, OrderLine, PaymentDeclined, PaymentInput, Totals,
    from_json, to_json)
from tools.checkout.lines import build_lines, check_stock, currency_of, fetch_products, take_stock
from tools.checkout.money import to_minor
from tools.checkout.payments import PaymentHandler
from tools.checkout.pricing import ShopRules, price
from tools.checkout.shopdb import SCHEMA, ShopData

__all__ = ["CheckoutStore", "ProductSource", "checkout_path_for"]

TTL = timedelta(hours=6)  # UCP's default checkout lifetime
T = TypeVar("T")


class ProductSource(Protocol):
    """Where prices, titles and stock come from: the catalog store (or anything with `get_many`)."""

    def get_many(self, ids: Sequence[str]) -> list[Product]:
        ...


def checkout_path_for(shoppers_db: str | Path) -> Path:
    """Checkouts and orders live beside the shopper store."""
    return Path(shoppers_db).expanduser().parent / "checkout.db"


class CheckoutStore:
    def __init__(self, path: str | Path, catalog: ProductSource) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.catalog = catalog
        self._db = sqlite3.connect(self.path, check_same_thread=False)  # every use is under self._lock
        # WAL + NORMAL: a commit is durable against a crash of this process without an fsync per request.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.RLock()
        self.shop = ShopData(self._db)

    @classmethod
    def open(cls, path: str | Path, catalog: ProductSource) -> CheckoutStore:
        return cls(path, catalog)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- shop configuration -------------------------------------------------------------------------------
    def configure(self, fn: Callable[[ShopData], T]) -> T:
        """Run `fn(shop_data)` in one transaction (loading rules, inventory, customers, handlers)."""
        with self._lock, self._db:
            return fn(self.shop)

    @property
    def rules(self) -> ShopRules:
        with self._lock:
            return self.shop.rules()

    @property
    def handlers(self) -> list[PaymentHandler]:
        with self._lock:
            return self.shop.handlers()

    # -- checkouts ----------------------------------------------------------------------------------------
    def create(self, request: CheckoutRequest, *, customer_id: str | None = None,
               idempotency_key: str | None = None) -> Checkout:
        """A new checkout; raises InvalidRequest (unknown product, currency), OutOfStock."""

        def run() -> Checkout:
            now = datetime.now(timezone.utc)
            checkout = Checkout(id="chk_" + uuid.uuid4().hex[:20], status="incomplete", currency="",
                                line_items=[], totals=Totals(), created_at=_iso(now), expires_at=_iso(now + TTL),
                                customer_id=customer_id, webhook_url=request.webhook_url,
                                payment=dict(request.payment or {}))
            self._change(checkout, CheckoutUpdate(line_items=request.line_items, currency=request.currency,
                                                  buyer=request.buyer, fulfillment=request.fulfillment,
                                                  discount_codes=request.discount_codes), created=True)
            return checkout

        return self._once(idempotency_key, "create", customer_id, request, Checkout, run)

    def get(self, checkout_id: str, *, customer_id: str | None = None) -> Checkout:
        """The checkout; NotFound when absent or, with `customer_id`, when it is someone else's."""
        with self._lock:
            return self._load(checkout_id, customer_id)

    def open_checkouts(self, customer_id: str) -> list[Checkout]:
        """A customer's checkouts that can still change, newest first."""
        with self._lock:
            rows = self._db.execute("SELECT data FROM checkouts WHERE customer_id = ? AND status NOT IN "
                                    "('completed', 'canceled') ORDER BY updated_at DESC, rowid DESC",
                                    (customer_id,)).fetchall()
        return [from_json(Checkout, json.loads(r[0])) for r in rows]

    def update(self, checkout_id: str, update: CheckoutUpdate, *, customer_id: str | None = None,
               idempotency_key: str | None = None) -> Checkout:
        """Apply changes; a part left None stays. NotModifiable once completed or canceled."""

        def run() -> Checkout:
            checkout = self._open_for_change(checkout_id, customer_id)
            self._change(checkout, update)
            return checkout

        return self._once(idempotency_key, "update", checkout_id, update, Checkout, run)

    def cancel(self, checkout_id: str, *, customer_id: str | None = None,
               idempotency_key: str | None = None) -> Checkout:
        def run() -> Checkout:
            checkout = self._open_for_change(checkout_id, customer_id)
            checkout.status = "canceled"
            self._save(checkout)
            return checkout

        return self._once(idempotency_key, "cancel", checkout_id, None, Checkout, run)

    def complete(self, checkout_id: str, payment: PaymentInput, *, customer_id: str | None = None,
                 idempotency_key: str | None = None) -> Checkout:
        """Charge through the payment handler and place the order (`checkout.order_id`).

        Raises NotReady (no shipping chosen), OutOfStock (sold out since), PaymentDeclined, InvalidRequest
        (unknown handler). A handler that needs the buyer leaves the checkout in requires_escalation.
        """

        def run() -> Checkout:
            checkout = self._open_for_change(checkout_id, customer_id)
            products = self._reprice(checkout, fetch_products(self.catalog, checkout.line_items))
            if checkout.destination is None or checkout.option is None:
                raise NotReady("Fulfillment address and option must be selected before completing the checkout")
            handler = next((h for h in self.shop.handlers() if h.id == payment.handler_id), None)
            if handler is None:
                known = ", ".join(h.id for h in self.shop.handlers())
                raise InvalidRequest(f"unknown payment handler {payment.handler_id!r} (this shop takes: {known})")
            result = handler.charge(payment, checkout.totals.total, checkout.currency, checkout.id)
            if result.status == "declined":
                raise PaymentDeclined(f"Payment declined: {result.message}")
            if result.status == "requires_action":
                checkout.status = "requires_escalation"
                checkout.messages = [{"type": "error", "code": "requires_buyer_authentication",
                                      "content": f"Payment needs the buyer: {result.message}"}]
                self._save(checkout)
                return checkout
            take_stock(self.shop, checkout.line_items, products)
            order = self._place(checkout, payment, result.reference)
            checkout.status, checkout.order_id, checkout.messages = "completed", order.id, []
            self._save(checkout)
            return checkout

        return self._once(idempotency_key, "complete", checkout_id, payment, Checkout, run)

    # -- orders -------------------------------------------------------------------------------------------
    def order(self, order_id: str, *, customer_id: str | None = None) -> Order:
        with self._lock:
            return self._load_order(order_id, customer_id)

    def orders_for(self, customer_id: str, limit: int = 20) -> list[Order]:
        """A customer's orders, newest first."""
        with self._lock:
            rows = self._db.execute("SELECT data FROM orders WHERE customer_id = ? ORDER BY created_at DESC, "
                                    "rowid DESC LIMIT ?", (customer_id, int(limit))).fetchall()
        return [from_json(Order, json.loads(r[0])) for r in rows]

    def update_order(self, order_id: str, *, events: list[dict[str, Any]] | None = None,
                     adjustments: list[dict[str, Any]] | None = None,
                     idempotency_key: str | None = None) -> Order:
        """Replace an order's fulfillment events and/or adjustments (the platform-visible history)."""

        def run() -> Order:
            order = self._load_order(order_id, None)
            if events is not None:
                order.events = list(events)
                shipped = any(e.get("type") == "shipped" for e in order.events)
                if shipped and order.status == "placed":
                    order.status = "shipped"
            if adjustments is not None:
                order.adjustments = list(adjustments)
            self._save_order(order)
            return order

        return self._once(idempotency_key, "update_order", order_id, [events, adjustments], Order, run)

    def ship(self, order_id: str, *, carrier: str = "Simulated Post",
             idempotency_key: str | None = None) -> Order:
        """Mark every line shipped (the simulation endpoint's job): a `shipped` event with a tracking number."""

        def run() -> Order:
            order = self._load_order(order_id, None)
            if order.status not in ("placed", "shipped"):
                raise NotModifiable(f"order {order_id} is {order.status}")
            now = _iso(datetime.now(timezone.utc))
            tracking = "TRK" + uuid.uuid4().hex[:10].upper()
            order.events.append({"id": "evt_" + uuid.uuid4().hex[:12], "occurred_at": now, "type": "shipped",
                                 "line_items": [{"id": li.id, "quantity": li.quantity} for li in order.line_items],
                                 "tracking_number": tracking, "carrier": carrier,
                                 "description": f"Shipped with {carrier}, tracking {tracking}"})
            for line in order.line_items:
                line.fulfilled = line.quantity
            order.status = "shipped"
            self._save_order(order)
            return order

        return self._once(idempotency_key, "ship", order_id, carrier, Order, run)

    def change_order(self, order_id: str, change: Callable[[Order, ShopData], T], *,
                     customer_id: str | None = None) -> tuple[Order, T]:
        """Load an order (NotFound unless it is `customer_id`'s), apply `change(order, shop)` and save it, in one
        transaction: a `change` that raises leaves the order as it was. The after-sale desk's one door in."""
        with self._lock, self._db:
            order = self._load_order(order_id, customer_id)
            outcome = change(order, self.shop)
            self._save_order(order)
            return order, outcome

    # -- internals: changing a checkout -------------------------------------------------------------------
    def _open_for_change(self, checkout_id: str, customer_id: str | None) -> Checkout:
        checkout = self._load(checkout_id, customer_id)
        if checkout.status in ("completed", "canceled"):
            raise NotModifiable(f"checkout {checkout_id} is {checkout.status} and can no longer change")
        return checkout

    def _change(self, checkout: Checkout, update: CheckoutUpdate, created: bool = False) -> None:
        if update.buyer is not None:
            checkout.buyer = update.buyer
        if update.payment is not None:
            checkout.payment = dict(update.payment)
        if update.discount_codes is not None:
            checkout.discount_codes = list(update.discount_codes)
        if update.line_items is not None:
            if not update.line_items:
                raise InvalidRequest("a checkout needs at least one line item")
            checkout.line_items = build_lines(update.line_items, checkout.line_items)
        products = fetch_products(self.catalog, checkout.line_items)
        currency = currency_of(products, update.currency or (checkout.currency or None))
        checkout.currency = currency
        if created or update.line_items is not None:
            check_stock(self.shop, checkout.line_items, products)
        if update.fulfillment is not None:
            self._fulfillment(checkout, update.fulfillment)
        self._reprice(checkout, products, requested_option=update.fulfillment.selected_option_id
                      if update.fulfillment else None)
        self._save(checkout)

    def _fulfillment(self, checkout: Checkout, wanted: FulfillmentInput) -> None:
        email = checkout.buyer.email if checkout.buyer else None
        known = checkout.customer_id or self.shop.customer_by_email(email)
        if wanted.destinations is not None:
            resolved = []
            for address in wanted.destinations:
                if address.id:  # the platform named it: keep it as given, on this checkout only
                    resolved.append(address)
                    continue
                owner = known or (self.shop.customer_for(email) if email else None)
                if owner is None:  # a guest: the address lives on this checkout only
                    resolved.append(replace(address, id="addr_" + uuid.uuid4().hex[:12]))
                    continue
                self.shop.add_customer(owner)
                known = owner
                resolved.append(self.shop.save_address(owner, address))  # reuses a saved address's id
            checkout.destinations = resolved
            if checkout.selected_destination_id not in {d.id for d in resolved}:
                checkout.selected_destination_id = resolved[0].id if len(resolved) == 1 else None
        elif not checkout.destinations and known:
            checkout.destinations = self.shop.addresses(known)  # a known customer's saved addresses
        if wanted.selected_destination_id is not None:
            if wanted.selected_destination_id not in {d.id for d in checkout.destinations}:
                raise InvalidRequest(f"unknown destination {wanted.selected_destination_id!r}")
            checkout.selected_destination_id = wanted.selected_destination_id

    def _reprice(self, checkout: Checkout, products: dict[str, Product],
                 requested_option: str | None = None) -> dict[str, Product]:
        rules = self.shop.rules()
        for line in checkout.line_items:
            product = products[line.product_id]
            line.title, line.image_url = product.title, product.image_url
            line.unit_price = to_minor(product.effective_price, checkout.currency)
        checkout.options = rules.options_for(checkout.destination, checkout.line_items)
        offered = {o.id for o in checkout.options}
        if requested_option is not None:
            if requested_option not in offered:
                raise InvalidRequest(f"unknown shipping option {requested_option!r}; offered: "
                                     f"{', '.join(sorted(offered)) or 'none until a destination is chosen'}")
            checkout.selected_option_id = requested_option
        elif checkout.selected_option_id not in offered:
            checkout.selected_option_id = None
        priced = price(rules, checkout.line_items, checkout.discount_codes, checkout.option)
        checkout.totals, checkout.discounts = priced.totals, priced.discounts
        checkout.messages = [{"type": "warning", "code": "discount_code_invalid",
                              "content": f"Discount code {code!r} is not valid in this shop"}
                             for code in priced.rejected_codes]
        if checkout.status not in ("completed", "canceled"):
            ready = checkout.line_items and checkout.destination is not None and checkout.option is not None
            checkout.status = "ready_for_complete" if ready else "incomplete"
        return products

    def _place(self, checkout: Checkout, payment: PaymentInput, reference: str | None) -> Order:
        now = _iso(datetime.now(timezone.utc))
        order = Order(id="ord_" + uuid.uuid4().hex[:20], checkout_id=checkout.id, status="placed",
                      currency=checkout.currency, totals=replace(checkout.totals), created_at=now,
                      line_items=[OrderLine(li.id, li.product_id, li.title, li.unit_price, li.quantity,
                                            image_url=li.image_url) for li in checkout.line_items],
                      destination=checkout.destination, shipping=checkout.option,
                      customer_id=checkout.customer_id or self.shop.customer_by_email(
                          checkout.buyer.email if checkout.buyer else None),
                      buyer=checkout.buyer, discounts=list(checkout.discounts),
                      payment={"handler_id": payment.handler_id, "brand": payment.brand,
                               "last_digits": payment.last_digits, "reference": reference})
        self._save_order(order)
        return order

    # -- internals: persistence and idempotency -----------------------------------------------------------
    def _once(self, key: str | None, op: str, target: Any, payload: Any, cls: type, run: Callable[[], T]) -> T:
        with self._lock:
            if key is None:
                with self._db:
                    return run()
            fingerprint = hashlib.sha256(json.dumps([op, target, _plain(payload)], sort_keys=True,
                                                    default=str).encode()).hexdigest()
            seen = self.shop.outcome(key)
            if seen is not None:
                if seen[0] != fingerprint:
                    raise IdempotencyConflict(f"idempotency key {key!r} was already used for a different request")
                if "error" in seen[1]:
                    error = seen[1]["error"]
                    raise ERRORS.get(error["type"], CheckoutError)(error["message"])
                return from_json(cls, seen[1]["ok"])  # type: ignore[no-any-return]
            try:
                with self._db:
                    result = run()
                    self.shop.record(key, fingerprint, {"ok": to_json(result)}, _iso(datetime.now(timezone.utc)))
                    return result
            except CheckoutError as error:
                with self._db:
                    self.shop.record(key, fingerprint, {"error": {"type": type(error).__name__,
                                                                  "message": str(error)}},
                                     _iso(datetime.now(timezone.utc)))
                raise

    def _load(self, checkout_id: str, customer_id: str | None) -> Checkout:
        row = self._db.execute("SELECT data, customer_id FROM checkouts WHERE id = ?", (checkout_id,)).fetchone()
        if row is None or (customer_id is not None and row[1] != customer_id):
            raise NotFound(f"no checkout {checkout_id!r}")
        return from_json(Checkout, json.loads(row[0]))

    def _save(self, checkout: Checkout) -> None:
        self._db.execute("INSERT OR REPLACE INTO checkouts VALUES (?, ?, ?, ?, ?)",
                         (checkout.id, checkout.customer_id, checkout.status, json.dumps(to_json(checkout)),
                          _iso(datetime.now(timezone.utc))))

    def _load_order(self, order_id: str, customer_id: str | None) -> Order:
        row = self._db.execute("SELECT data, customer_id FROM orders WHERE id = ?", (order_id,)).fetchone()
        if row is None or (customer_id is not None and row[1] != customer_id):
            raise NotFound(f"no order {order_id!r}")
        return from_json(Order, json.loads(row[0]))

    def _save_order(self, order: Order) -> None:
        self._db.execute("INSERT OR REPLACE INTO orders VALUES (?, ?, ?, ?, ?, ?)",
                         (order.id, order.checkout_id, order.customer_id, order.status,
                          json.dumps(to_json(order)), order.created_at))

    def __repr__(self) -> str:
        return f"CheckoutStore({str(self.path)!r})"


def _plain(value: Any) -> Any:
    """Typed inputs as JSON-able data, for the idempotency fingerprint."""
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return value


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
