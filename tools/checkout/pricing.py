"""The shop's price rules: discount codes, automatic promotions and shipping rates, and the totals they give.

All amounts are integer minor units. Discount codes apply in the order given, each to what the earlier ones
left of the items subtotal; shipping is priced per service level from the rate for the destination's country
(else the `default` rate), and a free-shipping promotion makes the standard service free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tools.checkout.model import Address, AppliedDiscount, LineItem, ShippingOption, Totals
from tools.checkout.money import percent_of

__all__ = ["DiscountCode", "Promotion", "ShippingRate", "ShopRules", "Pricing", "price"]

FREE_SERVICE_LEVEL = "standard"  # what a free-shipping promotion makes free


@dataclass(frozen=True)
class DiscountCode:
    code: str
    kind: Literal["percentage", "fixed_amount"]
    value: int  # a percentage (10 = 10 %) or an amount in minor units
    title: str


@dataclass(frozen=True)
class Promotion:
    """An automatic promotion: free standard shipping above a subtotal and/or for some products."""

    id: str
    kind: Literal["free_shipping"]
    title: str
    min_subtotal: int | None = None
    product_ids: tuple[str, ...] = ()

    def applies(self, lines: list[LineItem]) -> bool:
        if self.min_subtotal is not None and sum(li.subtotal for li in lines) < self.min_subtotal:
            return False
        return not self.product_ids or any(li.product_id in self.product_ids for li in lines)


@dataclass(frozen=True)
class ShippingRate:
    id: str
    country: str  # ISO country code, or "default"
    service_level: str
    amount: int
    title: str


@dataclass
class ShopRules:
    codes: dict[str, DiscountCode] = field(default_factory=dict)  # upper-cased code → rule
    promotions: list[Promotion] = field(default_factory=list)
    rates: list[ShippingRate] = field(default_factory=list)

    def options_for(self, destination: Address | None, lines: list[LineItem]) -> list[ShippingOption]:
        """The shipping options for a destination, cheapest first; none until a destination is chosen."""
        if destination is None or not lines:
            return []
        country = (destination.address_country or "").upper()
        chosen: dict[str, ShippingRate] = {}
        for rate in self.rates:
            if rate.country.upper() == country:
                chosen[rate.service_level] = rate
            elif rate.country == "default":
                chosen.setdefault(rate.service_level, rate)
        free = next((p for p in self.promotions if p.kind == "free_shipping" and p.applies(lines)), None)
        options = []
        for rate in chosen.values():
            if free is not None and rate.service_level == FREE_SERVICE_LEVEL:
                options.append(ShippingOption(rate.id, f"{rate.title} (Free)", 0, rate.service_level, free.title))
            else:
                options.append(ShippingOption(rate.id, rate.title, rate.amount, rate.service_level))
        return sorted(options, key=lambda o: (o.amount, o.id))


@dataclass
class Pricing:
    totals: Totals
    discounts: list[AppliedDiscount]
    rejected_codes: list[str]


def price(rules: ShopRules, lines: list[LineItem], codes: list[str], option: ShippingOption | None) -> Pricing:
    """Totals for these lines, discount codes (unknown ones rejected, repeats ignored) and shipping option."""
    subtotal = sum(li.subtotal for li in lines)
    remaining, applied, rejected, seen = subtotal, [], [], set()
    for raw in codes:
        code = raw.strip().upper()
        rule = rules.codes.get(code)
        if rule is None:
            rejected.append(raw)
            continue
        if code in seen:
            continue
        seen.add(code)
        off = percent_of(remaining, rule.value) if rule.kind == "percentage" else min(rule.value, remaining)
        remaining -= off
        applied.append(AppliedDiscount(rule.title, off, code=rule.code))
    shipping = option.amount if option is not None else None
    discount = subtotal - remaining
    totals = Totals(subtotal=subtotal, discount=discount, fulfillment=shipping,
                    total=remaining + (shipping or 0))
    return Pricing(totals, applied, rejected)
