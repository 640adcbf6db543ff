"""The checkout database's shop data: price rules, inventory, customers and their address books, handlers.

One SQLite file beside the shopper store (`checkout.db`). `ShopData` is the low-level half of the checkout
store: it reads and writes these tables and knows nothing of checkouts; `CheckoutStore` owns the locking and
transactions around it.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import asdict, replace
from typing import Any

from tools.checkout.model import Address
from tools.checkout.payments import PaymentHandler, SimulatedHandler
from tools.checkout.pricing import DiscountCode, Promotion, ShippingRate, ShopRules

__all__ = ["SCHEMA", "ShopData"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS checkouts (id TEXT PRIMARY KEY, customer_id TEXT, status TEXT NOT NULL,
    data TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, checkout_id TEXT NOT NULL, customer_id TEXT,
    status TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS orders_by_customer ON orders (customer_id, created_at);
CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, outcome TEXT NOT NULL,
    at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS discount_codes (code TEXT PRIMARY KEY, kind TEXT NOT NULL, value INTEGER NOT NULL,
    title TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS promotions (id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL,
    min_subtotal INTEGER, product_ids TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shipping_rates (id TEXT PRIMARY KEY, country TEXT NOT NULL, service_level TEXT NOT NULL,
    amount INTEGER NOT NULL, title TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inventory (product_id TEXT PRIMARY KEY, on_hand INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS customers (id TEXT PRIMARY KEY, email TEXT UNIQUE, name TEXT);
CREATE TABLE IF NOT EXISTS addresses (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, data TEXT NOT NULL,
    position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS payment_handlers (id TEXT PRIMARY KEY, name TEXT NOT NULL, config TEXT NOT NULL,
    position INTEGER NOT NULL);
"""

# The project's own shop when nothing else was loaded: what `serve` and the chat use with the demo catalog.
DEFAULT_RULES = ShopRules(
    codes={"WELCOME10": DiscountCode("WELCOME10", "percentage", 10, "10% off your first order"),
           "SAVE5": DiscountCode("SAVE5", "fixed_amount", 500, "5.00 off")},
    promotions=[Promotion("free_over_100", "free_shipping", "Free standard shipping over 100.00", 10000)],
    rates=[ShippingRate("standard", "default", "standard", 499, "Standard Shipping (3-5 days)"),
           ShippingRate("express", "default", "express", 1499, "Express Shipping (1-2 days)")])
DEFAULT_HANDLERS: tuple[PaymentHandler, ...] = (SimulatedHandler("simulated_card", "dev.shopagent.simulated_card"),)


class ShopData:
    """Reads and writes the shop tables of one connection (the caller holds the lock and the transaction)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    # -- rules --------------------------------------------------------------------------------------------
    def rules(self) -> ShopRules:
        codes = {r[0]: DiscountCode(r[0], r[1], r[2], r[3])
                 for r in self.db.execute("SELECT code, kind, value, title FROM discount_codes")}
        promotions = [Promotion(r[0], r[1], r[2], r[3], tuple(json.loads(r[4]))) for r in self.db.execute(
            "SELECT id, kind, title, min_subtotal, product_ids FROM promotions ORDER BY id")]
        rates = [ShippingRate(*r) for r in self.db.execute(
            "SELECT id, country, service_level, amount, title FROM shipping_rates ORDER BY id")]
        if not (codes or promotions or rates):
            return DEFAULT_RULES
        return ShopRules(codes, promotions, rates)

    def set_rules(self, rules: ShopRules) -> None:
        for table in ("discount_codes", "promotions", "shipping_rates"):
            self.db.execute(f"DELETE FROM {table}")
        self.db.executemany("INSERT INTO discount_codes VALUES (?, ?, ?, ?)",
                            [(c.code.upper(), c.kind, c.value, c.title) for c in rules.codes.values()])
        self.db.executemany("INSERT INTO promotions VALUES (?, ?, ?, ?, ?)",
                            [(p.id, p.kind, p.title, p.min_subtotal, json.dumps(list(p.product_ids)))
                             for p in rules.promotions])
        self.db.executemany("INSERT INTO shipping_rates VALUES (?, ?, ?, ?, ?)",
                            [(r.id, r.country, r.service_level, r.amount, r.title) for r in rules.rates])

    # -- payment handlers (all simulated; the table only says which ids and names this shop advertises) -----
    def handlers(self) -> list[PaymentHandler]:
        rows = self.db.execute("SELECT id, name, config FROM payment_handlers ORDER BY position").fetchall()
        if not rows:
            return list(DEFAULT_HANDLERS)
        return [SimulatedHandler(r[0], r[1], config=json.loads(r[2])) for r in rows]

    def set_handlers(self, handlers: list[SimulatedHandler]) -> None:
        self.db.execute("DELETE FROM payment_handlers")
        self.db.executemany("INSERT INTO payment_handlers VALUES (?, ?, ?, ?)",
                            [(h.id, h.name, json.dumps(h.config), i) for i, h in enumerate(handlers)])

    # -- inventory ----------------------------------------------------------------------------------------
    def on_hand(self, product_id: str) -> int | None:
        """Units left by this store's count; None when it has not counted this product yet."""
        row = self.db.execute("SELECT on_hand FROM inventory WHERE product_id = ?", (product_id,)).fetchone()
        return None if row is None else int(row[0])

    def set_on_hand(self, product_id: str, quantity: int) -> None:
        self.db.execute("INSERT INTO inventory VALUES (?, ?) ON CONFLICT (product_id) DO UPDATE SET "
                        "on_hand = excluded.on_hand", (product_id, int(quantity)))

    # -- customers and address books ----------------------------------------------------------------------
    def add_customer(self, customer_id: str, *, email: str | None = None, name: str | None = None) -> None:
        self.db.execute("INSERT INTO customers VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                        "email = COALESCE(excluded.email, email), name = COALESCE(excluded.name, name)",
                        (customer_id, email.strip().lower() if email else None, name))

    def customer_by_email(self, email: str | None) -> str | None:
        if not email:
            return None
        row = self.db.execute("SELECT id FROM customers WHERE email = ?", (email.strip().lower(),)).fetchone()
        return row[0] if row else None

    def customer_for(self, email: str) -> str:
        """The customer this email names, created on first use (a new buyer's addresses need an owner)."""
        found = self.customer_by_email(email)
        if found:
            return found
        customer_id = "cust_" + uuid.uuid4().hex[:12]
        self.add_customer(customer_id, email=email)
        return customer_id

    def addresses(self, customer_id: str) -> list[Address]:
        rows = self.db.execute("SELECT data FROM addresses WHERE customer_id = ? ORDER BY position, id",
                               (customer_id,))
        return [Address(**json.loads(r[0])) for r in rows]

    def save_address(self, customer_id: str, address: Address) -> Address:
        """The saved address at the same place (its id), or this one saved under a new id."""
        for saved in self.addresses(customer_id):
            if saved.same_place(address):
                return replace(address, id=saved.id)
        stored = replace(address, id=address.id or "addr_" + uuid.uuid4().hex[:12])
        position = self.db.execute("SELECT COUNT(*) FROM addresses WHERE customer_id = ?", (customer_id,)).fetchone()[0]
        self.db.execute("INSERT OR REPLACE INTO addresses VALUES (?, ?, ?, ?)",
                        (stored.id, customer_id, json.dumps(asdict(stored)), position))
        return stored

    # -- idempotency records ------------------------------------------------------------------------------
    def outcome(self, key: str) -> tuple[str, dict[str, Any]] | None:
        row = self.db.execute("SELECT fingerprint, outcome FROM idempotency WHERE key = ?", (key,)).fetchone()
        return None if row is None else (row[0], json.loads(row[1]))

    def record(self, key: str, fingerprint: str, outcome: dict[str, Any], at: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?)",
                        (key, fingerprint, json.dumps(outcome, separators=(",", ":")), at))
