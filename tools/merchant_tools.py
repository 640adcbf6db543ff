"""Shop tools for a remote UCP merchant (`--merchant URL`): checkout, shipping, discounts, the order and its status.

Every tool that changes the checkout is `writes`: it runs only after the shopper confirms. The buyer's address
and payment instrument come from the session (the signed-in shopper's saved details), never from the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, Field

from agent.tools import ToolContext, ToolError, ToolRegistry, tool
from tools.history_tools import session_shopper
from tools.ucp_client import Buyer, MerchantError, UCPMerchant, money

__all__ = ["AGENT_PROFILE", "MERCHANT_TOOLS", "MerchantContext", "MerchantDeps", "build_merchant_registry",
           "merchant_system_prompt", "open_merchant"]

# The UCP-Agent profile this client names when none is given: a URI nothing resolves, so no merchant fetches
# anything on our behalf (a deployment that wants order webhooks serves a real profile and passes its URL).
AGENT_PROFILE = "urn:shopagent:agent-profile"


class LineItem(BaseModel):
    product_id: Annotated[str, Field(min_length=1, description="the merchant's product id")]
    quantity: Annotated[int, Field(ge=1, le=20)] = 1


@dataclass
class MerchantDeps:
    """What the merchant tools read: the discovered merchant and the signed-in shopper's saved buyer details."""

    merchant: UCPMerchant
    buyer: Buyer

    def close(self) -> None:
        self.merchant.close()


MerchantContext = ToolContext[MerchantDeps]


def _merchant(ctx: MerchantContext) -> UCPMerchant:
    return ctx.deps.merchant


def _buyer(ctx: MerchantContext) -> Buyer:
    return ctx.deps.buyer


def _call(fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return fn(*args, **kwargs)
    except MerchantError as exc:
        raise ToolError(str(exc)) from None


def summary(state: dict[str, Any]) -> dict[str, Any]:
    """A checkout as the model needs it: lines, totals, choices left, in exact minor units and display strings."""
    currency = state.get("currency", "USD")
    out: dict[str, Any] = {"checkout_id": state.get("id"), "status": state.get("status"), "currency": currency}
    out["lines"] = [{"product_id": li["item"]["id"], "title": li["item"].get("title"), "quantity": li["quantity"],
                     "unit_price": money(li["item"].get("price", 0), currency)} for li in state.get("line_items", [])]
    out["totals"] = {t["type"]: money(t["amount"], currency) for t in state.get("totals", [])}
    out["total_minor"] = next((t["amount"] for t in state.get("totals", []) if t["type"] == "total"), None)
    applied = (state.get("discounts") or {}).get("applied") or []
    if applied:
        out["discounts"] = [{"code": d.get("code"), "title": d.get("title"), "amount": money(d["amount"], currency)}
                            for d in applied]
    for method in (state.get("fulfillment") or {}).get("methods", []):
        for group in method.get("groups", []):
            out["shipping_options"] = [{"id": o["id"], "title": o.get("title"),
                                        "price": money(_total(o.get("totals", [])), currency)}
                                       for o in group.get("options", [])]
            if group.get("selected_option_id"):
                out["shipping"] = group["selected_option_id"]
    if state.get("order"):
        out["order_id"] = state["order"].get("id")
    if state.get("messages"):
        out["messages"] = [m.get("content") for m in state["messages"]]
    return out


def _total(totals: list[dict[str, Any]]) -> int:
    return next((t["amount"] for t in totals if t["type"] == "total"), 0)


@tool(writes=True)
def start_checkout(ctx: MerchantContext, items: Annotated[list[LineItem], Field(min_length=1, max_length=20)],
                   currency: str = "USD") -> dict[str, Any]:
    """Start a checkout on the merchant's store with these products (replaces any checkout in progress)."""
    shopper = session_shopper(ctx)
    wanted = [(i.product_id.strip(), i.quantity, i.product_id.strip()) for i in items]
    return summary(_call(_merchant(ctx).start_checkout, shopper, wanted, currency.upper()))


@tool(writes=True)
def choose_shipping(ctx: MerchantContext, option: Annotated[str | None, Field(
        description="a shipping option id or its name (e.g. 'standard'); leave out to see the options")] = None
                    ) -> dict[str, Any]:
    """Ship the checkout to the shopper's saved address; with `option`, choose how (the options show prices)."""
    merchant, shopper, buyer = _merchant(ctx), session_shopper(ctx), _buyer(ctx)
    if not buyer.address:
        raise ToolError("the shopper has no saved shipping address; ask them to add one")
    co = merchant.checkout(shopper)
    if co is None:
        raise ToolError("there is no checkout in progress: call start_checkout first")
    state = co.state
    method = ((state.get("fulfillment") or {}).get("methods") or [None])[0]
    if method is None or not method.get("selected_destination_id"):
        destination = dict(buyer.address, id="dest_home")
        state = _call(merchant.update, shopper, fulfillment={"methods": [
            {"type": "shipping", "destinations": [destination], "selected_destination_id": "dest_home"}]})
        method = state["fulfillment"]["methods"][0]
    if option is None:
        return summary(state)
    group = method["groups"][0]
    chosen = _match_option(option, group.get("options", []))
    update = {"id": method["id"], "type": "shipping", "destinations": method["destinations"],
              "selected_destination_id": method["selected_destination_id"],
              "groups": [{"id": group["id"], "selected_option_id": chosen}]}
    return summary(_call(merchant.update, shopper, fulfillment={"methods": [update]}))


def _match_option(option: str, options: list[dict[str, Any]]) -> str:
    wanted = option.strip().lower()
    for o in options:
        if wanted == o["id"].lower():
            return o["id"]
    named = [o["id"] for o in options if wanted in (o.get("title") or "").lower() or wanted in o["id"].lower()]
    if len(named) == 1:
        return named[0]
    listing = ", ".join(f"{o['id']} ({o.get('title')})" for o in options) or "none yet"
    raise ToolError(f"no single shipping option matches {option!r}; the options are: {listing}")


@tool(writes=True)
def apply_discount(ctx: MerchantContext, code: Annotated[str, Field(min_length=1, max_length=64)]) -> dict[str, Any]:
    """Apply a discount code to the checkout in progress."""
    merchant, shopper = _merchant(ctx), session_shopper(ctx)
    co = merchant.checkout(shopper)
    if co is None:
        raise ToolError("there is no checkout in progress: call start_checkout first")
    code = code.strip()
    before = list(co.codes)
    state = _call(merchant.update, shopper, codes=before + [code] if code not in before else before)
    applied = {d.get("code", "").upper() for d in (state.get("discounts") or {}).get("applied") or []}
    if code.upper() not in applied:
        _call(merchant.update, shopper, codes=before)  # do not leave a refused code on the session
        raise ToolError(f"the merchant did not accept the code {code!r}; the total is unchanged")
    return summary(state)


@tool
def view_checkout(ctx: MerchantContext) -> dict[str, Any]:
    """The checkout in progress on the merchant's store: lines, shipping options, discounts and totals."""
    return summary(_call(_merchant(ctx).refresh, session_shopper(ctx)))


@tool(writes=True)
def place_order(ctx: MerchantContext, expected_total: Annotated[str, Field(
        description="the total the shopper agreed to, e.g. '54.50'; the order is refused if it differs")]
                ) -> dict[str, Any]:
    """Pay with the shopper's saved payment method and place the order (after they confirm the total)."""
    merchant, shopper, buyer = _merchant(ctx), session_shopper(ctx), _buyer(ctx)
    state = _call(merchant.refresh, shopper)
    current = summary(state)
    total = current["total_minor"]
    if _minor(expected_total, state.get("currency", "USD")) != total:
        raise ToolError(f"the total is now {current['totals'].get('total')}, not {expected_total}: "
                        "show the shopper the new total and ask again")
    if state.get("status") != "ready_for_complete":
        raise ToolError(f"the checkout is {state.get('status')}, not ready: choose shipping first")
    if not buyer.payment:
        raise ToolError("the shopper has no saved payment method")
    offered = {h.get("id") for h in merchant.handlers}
    if buyer.payment.get("handler_id") not in offered:
        raise ToolError(f"this merchant takes {', '.join(sorted(offered)) or 'no'} payments; the shopper's saved "
                        f"method uses {buyer.payment.get('handler_id')}")
    done = summary(_call(merchant.complete, shopper, buyer.payment, buyer.address))
    if done.get("status") != "completed":
        raise ToolError(f"the merchant did not complete the order (status {done.get('status')}): "
                        f"{'; '.join(done.get('messages', []))}")
    return done


def _minor(text: str, currency: str) -> int | None:
    try:
        value = Decimal(text.replace(currency, "").replace("$", "").replace(",", "").strip())
    except InvalidOperation:
        raise ToolError(f"expected_total must be an amount like '54.50', not {text!r}") from None
    digits = 0 if currency.upper() in ("JPY", "KRW") else 2
    return int(value.scaleb(digits))


@tool
def order_status(ctx: MerchantContext, order_id: Annotated[str, Field(min_length=1)]) -> dict[str, Any]:
    """Where an order placed on the merchant's store is now: its lines, shipping and status."""
    order = _call(_merchant(ctx).order, session_shopper(ctx), order_id.strip())
    currency = order.get("currency", "USD")
    lines = [{"product_id": li["item"]["id"], "title": li["item"].get("title"),
              "quantity": (li.get("quantity") or {}).get("total"), "status": li.get("status")}
             for li in order.get("line_items", [])]
    events = [e.get("type") for e in (order.get("fulfillment") or {}).get("events", [])]
    return {"order_id": order.get("id"), "lines": lines, "fulfillment_events": events,
            "totals": {t["type"]: money(t["amount"], currency) for t in order.get("totals", [])},
            "permalink_url": order.get("permalink_url")}


MERCHANT_TOOLS = [start_checkout, choose_shipping, apply_discount, view_checkout, place_order, order_status]


def build_merchant_registry() -> ToolRegistry:
    return ToolRegistry(MERCHANT_TOOLS)


def open_merchant(url: str, buyer_file: str | None = None, agent_profile: str | None = None) -> MerchantDeps:
    """The stores the merchant tools read: the discovered merchant and the shopper's saved buyer details."""
    import json
    from pathlib import Path

    try:
        buyer = Buyer.from_json(json.loads(Path(buyer_file).read_text(encoding="utf-8"))) if buyer_file else Buyer()
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the buyer details {buyer_file}: {exc}") from None
    try:
        merchant = UCPMerchant(url, agent_profile=agent_profile or AGENT_PROFILE)
    except MerchantError as exc:
        raise ValueError(str(exc)) from None
    return MerchantDeps(merchant, buyer)


def merchant_system_prompt(url: str, shopper_id: str | None) -> str:
    from tools.resources import render_prompt

    return render_prompt("merchant.md", merchant=url, shopper_id=shopper_id)
