"""Checkout under UCP's MCP binding: `create_checkout`, `get_checkout`, `update_checkout`, `complete_checkout`,
`cancel_checkout` and `get_order`, over the same checkout store and wire format as the REST binding.

Where the names and shapes come from: UCP's MCP binding, `source/services/shopping/mcp.openrpc.json` and
`docs/specification/checkout-mcp.md` in github.com/Universal-Commerce-Protocol/ucp (tag v2026-04-08; the five
checkout names are already those at v2026-01-11, `spec/services/shopping/mcp.openrpc.json`). Every tool takes
`meta` (`ucp-agent`, `idempotency-key`); those on an existing resource take a top-level `id`; the payload rides
under `checkout` and is the REST body of the same operation at protocol 2026-01-11 (the version our REST binding
and the conformance suite speak), less its `id`. `complete_checkout` and `cancel_checkout` need
`meta["idempotency-key"]`, as the binding says. Results are the REST binding's JSON (`ucp_wire`); a failure is the
binding's error outcome (a UCP envelope with `messages`), marked as a tool error.

Whose checkout it is comes from the connection (the context's shopper), never from arguments: another shopper's
checkout or order is simply not found. Order webhooks stay with the REST binding (they need the platform profile
the `UCP-Agent` header names).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Callable

from pydantic import Field

from agent.tools import ToolError, tool
from tools.checkout.model import CheckoutError
from tools.checkout.money import format_minor
from tools.checkout.store import CheckoutStore
from tools.checkout.ucp_wire import (
    CompleteBody, CreateBody, McpUpdateBody, checkout_json, complete_input, create_input, error_json, order_json,
    update_input)
from tools.deps import ShopContext
from tools.history_tools import session_shopper
from tools.mcp_server import ASK
from tools.ucp_catalog_tools import Meta

__all__ = ["UCP_CHECKOUT_TOOLS", "UcpToolError"]

Id = Annotated[str, Field(min_length=1, max_length=100, description="the checkout's id")]


class CheckoutMeta(Meta):
    """Request metadata: the agent's profile and, for retry safety, an idempotency key (the REST header's)."""

    idempotency_key: Annotated[str | None, Field(alias="idempotency-key", min_length=1, max_length=200)] = None


class KeyedMeta(CheckoutMeta):
    """Request metadata for complete and cancel: the idempotency key is required."""

    idempotency_key: Annotated[str, Field(alias="idempotency-key", min_length=1, max_length=200,
                                          description="unique per operation, e.g. a UUID")]


class UcpToolError(ToolError):
    """A checkout failure; the client reads it as the binding's error outcome (UCP envelope + messages)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def for_model(self, tool_name: str) -> str:
        return json.dumps(error_json(self.code, str(self)), ensure_ascii=False)


def _store(ctx: ShopContext) -> CheckoutStore:
    if ctx.deps.checkout is None:
        raise UcpToolError("not_supported", "this shop takes no orders here (no checkout is configured)")
    return ctx.deps.checkout


def _key(meta: CheckoutMeta | None, shopper: str) -> str | None:
    # Keys are the client's, but the store's key table is the shop's: one shopper's key never replays another's.
    return f"mcp:{shopper}:{meta.idempotency_key}" if meta and meta.idempotency_key else None


def _checkout_call(ctx: ShopContext, op: Callable[[CheckoutStore, str], Any]) -> dict[str, Any]:
    """Run `op(store, shopper)` and answer with the REST binding's checkout JSON."""
    store = _store(ctx)
    try:
        result = op(store, session_shopper(ctx))
    except CheckoutError as error:
        raise UcpToolError(error.code, str(error)) from None
    return checkout_json(result, ctx.deps.merchant_url, store.handlers)


def _ask_complete(ctx: ShopContext, args: Any) -> str:
    """The consent question for complete_checkout: what is bought, and the exact total that will be charged."""
    store = _store(ctx)
    try:
        c = store.get(args.id, customer_id=session_shopper(ctx))
    except CheckoutError as error:
        raise UcpToolError(error.code, str(error)) from None
    lines = "; ".join(f"{li.quantity} x {li.title}" for li in c.line_items)
    shipping = f", shipping {c.option.title}" if c.option is not None else ""
    return (f"Place the order for checkout {c.id} ({lines}{shipping}) and pay "
            f"{format_minor(c.totals.total, c.currency)} with payment handler "
            f"{args.checkout.payment_data.root.handler_id}?")


@tool(writes=True)
def create_checkout(ctx: ShopContext, checkout: CreateBody, meta: CheckoutMeta | None = None) -> dict[str, Any]:
    """Create a checkout session for the signed-in shopper (UCP create_checkout): line items, currency, buyer,
    fulfillment, discount codes, payment; returns the checkout with its totals in minor units."""
    return _checkout_call(ctx, lambda store, shopper: store.create(
        create_input(checkout, None), customer_id=shopper, idempotency_key=_key(meta, shopper)))


@tool
def get_checkout(ctx: ShopContext, id: Id, meta: CheckoutMeta | None = None) -> dict[str, Any]:
    """The current state of one of the shopper's checkout sessions (UCP get_checkout)."""
    return _checkout_call(ctx, lambda store, shopper: store.get(id, customer_id=shopper))


@tool(writes=True)
def update_checkout(ctx: ShopContext, id: Id, checkout: McpUpdateBody,
                    meta: CheckoutMeta | None = None) -> dict[str, Any]:
    """Replace a checkout's line items, buyer, fulfillment (address, option) and discount codes (UCP
    update_checkout: the whole REST update body, without its id)."""
    if checkout.id is not None and checkout.id != id:
        raise UcpToolError("invalid", f"checkout.id {checkout.id!r} does not match id {id!r}")
    return _checkout_call(ctx, lambda store, shopper: store.update(
        id, update_input(checkout), customer_id=shopper, idempotency_key=_key(meta, shopper)))


@tool(writes=True, metadata={ASK: _ask_complete})
def complete_checkout(ctx: ShopContext, id: Id, checkout: CompleteBody, meta: KeyedMeta) -> dict[str, Any]:
    """Place the order: pay with the instrument in `checkout.payment_data` through one of the checkout's payment
    handlers (UCP complete_checkout); the result carries the order's id."""
    return _checkout_call(ctx, lambda store, shopper: store.complete(
        id, complete_input(checkout), customer_id=shopper, idempotency_key=_key(meta, shopper)))


@tool(writes=True)
def cancel_checkout(ctx: ShopContext, id: Id, meta: KeyedMeta) -> dict[str, Any]:
    """Cancel one of the shopper's open checkout sessions (UCP cancel_checkout)."""
    return _checkout_call(ctx, lambda store, shopper: store.cancel(
        id, customer_id=shopper, idempotency_key=_key(meta, shopper)))


@tool
def get_order(ctx: ShopContext, id: Annotated[str, Field(min_length=1, max_length=100, description="the order's id")],
              meta: CheckoutMeta | None = None) -> dict[str, Any]:
    """One of the shopper's orders (UCP get_order): lines, fulfillment events (shipping, tracking), totals."""
    store = _store(ctx)
    try:
        placed = store.order(id, customer_id=session_shopper(ctx))
    except CheckoutError as error:
        raise UcpToolError(error.code, str(error)) from None
    return order_json(placed, ctx.deps.merchant_url)


UCP_CHECKOUT_TOOLS = [create_checkout, get_checkout, update_checkout, complete_checkout, cancel_checkout, get_order]
