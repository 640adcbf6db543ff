"""Shared by the τ² retail tests: where the third-party data lives, and a tiny hand-made database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

# ../shared from the repo root; SHOPAGENT_SHARED points elsewhere (a git worktree sits one level deeper)
SHARED = Path(os.environ.get("SHOPAGENT_SHARED") or Path(__file__).resolve().parents[2] / "shared")
TAU = SHARED / "data" / "tau_retail"


def need_tau() -> Path:
    if not (TAU / "db.json").exists():
        pytest.skip(f"τ² retail data not present at {TAU} (the shared data folder is absent; "
                    "set SHOPAGENT_SHARED to the folder holding data/tau_retail)")
    return TAU


def _address(street: str, zip_code: str) -> dict[str, str]:
    return {"address1": street, "address2": "", "city": "Austin", "country": "USA", "state": "TX", "zip": zip_code}


def _order(order_id: str, user_id: str, status: str, method: str, price: float) -> dict[str, Any]:
    return {"order_id": order_id, "user_id": user_id, "address": _address("1 Main St", "78701"),
            "items": [{"name": "Mug", "product_id": "100", "item_id": "1001", "price": price,
                       "options": {"color": "red"}}],
            "status": status, "fulfillments": [],
            "payment_history": [{"transaction_type": "payment", "amount": price, "payment_method_id": method}]}


def tiny_db() -> dict[str, Any]:
    """Two customers with a pending and a delivered order each; one product with two colours."""
    users = {}
    for uid, first, email, zip_code in (("ana_1", "Ana", "ana@example.com", "78701"),
                                        ("bo_2", "Bo", "bo@example.com", "78702")):
        users[uid] = {"user_id": uid, "name": {"first_name": first, "last_name": "Lee"},
                      "address": _address("1 Main St", zip_code), "email": email,
                      "payment_methods": {f"gift_card_{uid}": {"source": "gift_card", "id": f"gift_card_{uid}",
                                                               "balance": 50.0}},
                      "orders": [f"#W{uid}P", f"#W{uid}D"]}
    orders = {}
    for uid in users:
        orders[f"#W{uid}P"] = _order(f"#W{uid}P", uid, "pending", f"gift_card_{uid}", 10.5)
        orders[f"#W{uid}D"] = _order(f"#W{uid}D", uid, "delivered", f"gift_card_{uid}", 10.5)
    products = {"100": {"name": "Mug", "product_id": "100", "variants": {
        "1001": {"item_id": "1001", "options": {"color": "red"}, "available": True, "price": 10.5},
        "1002": {"item_id": "1002", "options": {"color": "blue"}, "available": True, "price": 12.25}}}}
    return {"products": products, "users": users, "orders": orders}
