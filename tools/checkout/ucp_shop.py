"""Load a UCP sample shop (the conformance suite's `test_data/<shop>/*.csv`) into a catalog and a checkout store.

The CSVs: products (id, title, price in minor units, image_url), inventory (product_id, quantity), discounts
(code, type percentage|fixed_amount, value, description), promotions (id, type free_shipping, min_subtotal,
eligible_item_ids as a JSON list, description), shipping_rates (id, country_code, service_level, price, title),
customers (id, name, email), addresses (id, customer_id, street_address, city, state, postal_code, country) and
payment_instruments (the platform's test wallet; its handler ids tell which handlers the shop must take).

Products go into the catalog through `CatalogStore.upsert`, not the feed ingest: these prices are minor units,
which the feed readers (rightly) read as major ones. Rows that cannot be used are reported, never fatal.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tools.catalog.product import Product
from tools.checkout.model import Address
from tools.checkout.money import minor_digits
from tools.checkout.payments import SimulatedHandler
from tools.checkout.pricing import DiscountCode, Promotion, ShippingRate, ShopRules
from tools.checkout.shopdb import ShopData
from tools.checkout.store import CheckoutStore

__all__ = ["ShopLoadError", "ShopLoadReport", "load_ucp_shop"]

CURRENCY = "USD"  # the sample shops price in US cents
# Wallets the UCP sample merchant advertises besides the handlers the test instruments name (all simulated here).
SAMPLE_WALLETS = (SimulatedHandler("google_pay", "google.pay", config={"merchant_id": "shopagent-sample"}),
                  SimulatedHandler("shop_pay", "com.shopify.shop_pay", config={"shop_id": "shopagent-sample"}))


class ShopLoadError(ValueError):
    """The folder is not a UCP sample shop (no products.csv, or no usable product)."""


@dataclass
class ShopLoadReport:
    products: int = 0
    discount_codes: int = 0
    promotions: int = 0
    shipping_rates: int = 0
    customers: int = 0
    addresses: int = 0
    handlers: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # "file:line: reason"

    def summary(self) -> str:
        line = (f"{self.products} products, {self.discount_codes} discount codes, {self.promotions} promotions, "
                f"{self.shipping_rates} shipping rates, {self.customers} customers, {self.addresses} addresses, "
                f"payment handlers {', '.join(self.handlers)}")
        return line + (f"; {len(self.rejected)} rows rejected" if self.rejected else "")


def _rows(folder: Path, name: str) -> list[tuple[int, dict[str, str]]]:
    path = folder / name
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [(n, {k.strip(): (v or "").strip() for k, v in row.items() if k}) for n, row in
                enumerate(csv.DictReader(f), start=2)]


def _minor(value: str) -> int:
    amount = int(value)
    if amount < 0:
        raise ValueError("negative amount")
    return amount


def load_ucp_shop(folder: str | Path, catalog: Any, store: CheckoutStore) -> ShopLoadReport:
    """Load every CSV of `folder` into `catalog` (products, with stock) and `store` (rules, customers…)."""
    root = Path(folder).expanduser()
    if not (root / "products.csv").is_file():
        raise ShopLoadError(f"{root} has no products.csv: not a UCP sample shop folder")
    report = ShopLoadReport()

    def bad(file: str, line: int, reason: str) -> None:
        report.rejected.append(f"{file}:{line}: {reason}")

    stock: dict[str, int] = {}
    for line, row in _rows(root, "inventory.csv"):
        try:
            stock[row["product_id"]] = int(row["quantity"])
        except (KeyError, ValueError):
            bad("inventory.csv", line, "needs product_id and a whole quantity")
    products = []
    for line, row in _rows(root, "products.csv"):
        try:
            price = Decimal(_minor(row["price"])) / (10 ** minor_digits(CURRENCY))
            products.append(Product(id=row["id"], title=row["title"], price=float(price), currency=CURRENCY,
                                    stock=stock.get(row["id"]), image_url=row.get("image_url") or None))
        except (KeyError, ValueError, ValidationError) as error:
            bad("products.csv", line, f"not a product: {str(error).splitlines()[0]}")
    if not products:
        raise ShopLoadError(f"{root}/products.csv holds no usable product ({'; '.join(report.rejected[:3])})")
    catalog.upsert(products)
    report.products = len(products)

    rules = ShopRules()
    for line, row in _rows(root, "discounts.csv"):
        kind = row.get("type", "")
        try:
            if kind not in ("percentage", "fixed_amount"):
                raise ValueError(f"unknown type {kind!r}")
            code = row["code"].upper()
            rules.codes[code] = DiscountCode(code, kind, _minor(row["value"]), row.get("description") or code)
        except (KeyError, ValueError) as error:
            bad("discounts.csv", line, str(error))
    for line, row in _rows(root, "promotions.csv"):
        try:
            if row.get("type") != "free_shipping":
                raise ValueError(f"unknown promotion type {row.get('type')!r}")
            ids = json.loads(row["eligible_item_ids"]) if row.get("eligible_item_ids") else []
            rules.promotions.append(Promotion(row["id"], "free_shipping", row.get("description") or row["id"],
                                              _minor(row["min_subtotal"]) if row.get("min_subtotal") else None,
                                              tuple(str(i) for i in ids)))
        except (KeyError, ValueError) as error:
            bad("promotions.csv", line, str(error))
    for line, row in _rows(root, "shipping_rates.csv"):
        try:
            rules.rates.append(ShippingRate(row["id"], row["country_code"] or "default", row["service_level"],
                                            _minor(row["price"]), row.get("title") or row["id"]))
        except (KeyError, ValueError) as error:
            bad("shipping_rates.csv", line, str(error))
    report.discount_codes, report.promotions, report.shipping_rates = (len(rules.codes), len(rules.promotions),
                                                                      len(rules.rates))

    def configure(shop: ShopData) -> None:
        shop.set_rules(rules)
        for product in products:
            if product.stock is not None:
                shop.set_on_hand(product.id, product.stock)
        for _, row in _rows(root, "customers.csv"):
            if row.get("id"):
                shop.add_customer(row["id"], email=row.get("email") or None, name=row.get("name") or None)
                report.customers += 1
        for line, row in _rows(root, "addresses.csv"):
            if not row.get("id") or not row.get("customer_id"):
                bad("addresses.csv", line, "needs id and customer_id")
                continue
            shop.save_address(row["customer_id"], Address(
                id=row["id"], street_address=row.get("street_address") or None,
                address_locality=row.get("city") or None, address_region=row.get("state") or None,
                postal_code=row.get("postal_code") or None, address_country=row.get("country") or None))
            report.addresses += 1
        named = dict.fromkeys(row["handler_id"] for _, row in _rows(root, "payment_instruments.csv")
                              if row.get("handler_id"))
        handlers = [SimulatedHandler(h, h) for h in named] + [w for w in SAMPLE_WALLETS if w.id not in named]
        shop.set_handlers(handlers)
        report.handlers = [h.id for h in handlers]

    store.configure(configure)
    return report
