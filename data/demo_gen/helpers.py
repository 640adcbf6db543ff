"""Shared helpers for the product makers: retail-looking prices, price bands, yes/no values."""

from __future__ import annotations

import random


def pretty_price(x: float, r: random.Random) -> float:
    """Round to a retail-looking price: 79.99, 149.95, 24.50, 1299.00."""
    if x < 1:
        x = 1
    base = int(x)
    if base >= 300:
        base = int(round(x / 10.0)) * 10 - 1 if r.random() < 0.8 else int(round(x / 10.0)) * 10
        return float(base) + (0.99 if base % 10 == 9 else 0.0)
    cents = r.choice([0.99, 0.99, 0.99, 0.95, 0.49, 0.0])
    return round(base + cents, 2)


def band(lo: float, hi: float, t: float, r: random.Random) -> float:
    t = min(1.0, max(0.0, t + r.uniform(-0.08, 0.08)))
    return lo + (hi - lo) * (t ** 1.35)


def yn(b: bool) -> str:
    return "yes" if b else "no"
