"""The order desk's dependencies and its identity rules, enforced in code rather than left to the prompt.

A session starts unauthenticated. The two `find_user_id_*` tools bind the caller's identity in the context
(the model has no argument that could set it); every user- or order-scoped tool then serves only that user.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.tools import ToolContext, ToolError
from tools.retail.model import Order, PaymentMethod, Product, RetailDB, User, Variant

__all__ = ["RetailContext", "RetailDeps", "RetailError", "authenticate_session", "authenticated_user", "bind_customer", "db_of",
           "own_order", "own_user", "payment_method", "product", "retail_context", "session_user", "variant"]


@dataclass
class RetailDeps:
    """What the retail tools work on: one customer-service database (a fresh copy per conversation)."""

    db: RetailDB


class RetailError(ToolError):
    """A refusal or τ² validation error; the model sees it the way τ² shows it: `Error: <message>`."""

    def for_model(self, tool_name: str) -> str:
        return f"Error: {self}"


RetailContext = ToolContext[RetailDeps]


def db_of(ctx: RetailContext) -> RetailDB:
    return ctx.deps.db


def retail_context(db: RetailDB, session_id: str | None = None, user_id: str | None = None) -> RetailContext:
    """The context the retail tools run in: the database and (once authenticated) the customer."""
    return ToolContext(deps=RetailDeps(db), user_id=user_id, session_id=session_id)


def session_user(ctx: RetailContext) -> str | None:
    """Who the session is authenticated as (None: nobody yet)."""
    return ctx.user_id


def authenticate_session(ctx: RetailContext, user_id: str) -> None:
    """Set the customer from outside the model (a front end's sign-in, a harness); tools use bind_customer."""
    ctx.bind_user(user_id)


NOT_AUTHENTICATED = ("The customer is not authenticated yet. Ask for their email (or first name, last name and "
                     "zip code) and find their user id with find_user_id_by_email or find_user_id_by_name_zip "
                     "before looking at or changing any account or order.")


def authenticated_user(ctx: RetailContext) -> str:
    user_id = ctx.user_id
    if not user_id:
        raise RetailError(NOT_AUTHENTICATED)
    return user_id


def bind_customer(ctx: RetailContext, user_id: str) -> str:
    """Bind the session to the user an authentication tool found; one customer per conversation."""
    current = ctx.user_id
    if current and current != user_id:
        raise RetailError(f"This conversation is already authenticated as {current}. You can only help one user "
                          "per conversation: deny requests about any other account.")
    ctx.bind_user(user_id)
    return user_id


def own_user(ctx: RetailContext, user_id: str) -> User:
    """The user record, only if it is the authenticated customer's own."""
    me = authenticated_user(ctx)
    users = db_of(ctx).users
    if user_id not in users:
        raise RetailError("User not found")
    if user_id != me:
        raise RetailError(f"User {user_id} is not the authenticated customer ({me}). You can only help the "
                          "authenticated user with their own account.")
    return users[user_id]


def own_order(ctx: RetailContext, order_id: str) -> Order:
    """The order, only if it belongs to the authenticated customer."""
    me = authenticated_user(ctx)
    orders = db_of(ctx).orders
    if order_id not in orders:
        raise RetailError("Order not found")
    order = orders[order_id]
    if order.user_id != me:
        raise RetailError(f"Order {order_id} is not an order of the authenticated customer ({me}). You can only "
                          "help the authenticated user with their own orders.")
    return order


def product(db: RetailDB, product_id: str) -> Product:
    if product_id not in db.products:
        raise RetailError("Product not found")
    return db.products[product_id]


def variant(db: RetailDB, product_id: str, item_id: str) -> Variant:
    found = product(db, product_id)
    if item_id not in found.variants:
        raise RetailError("Variant not found")
    return found.variants[item_id]


def payment_method(db: RetailDB, user_id: str, method_id: str) -> PaymentMethod:
    if user_id not in db.users:
        raise RetailError("User not found")
    methods = db.users[user_id].payment_methods
    if method_id not in methods:
        raise RetailError("Payment method not found")
    return methods[method_id]
