"""Checkout and orders: the `CheckoutStore` service (SQLite) and the UCP merchant server built on it."""

from tools.checkout.model import (
    Address, Buyer, Checkout, CheckoutError, CheckoutRequest, CheckoutUpdate, FulfillmentInput, IdempotencyConflict,
    InvalidRequest, LineItemInput, NotFound, NotModifiable, NotReady, Order, OutOfStock, PaymentDeclined,
    PaymentInput)
from tools.checkout.money import format_minor, to_minor
from tools.checkout.store import CheckoutStore, checkout_path_for

__all__ = ["Address", "Buyer", "Checkout", "CheckoutError", "CheckoutRequest", "CheckoutStore", "CheckoutUpdate",
           "FulfillmentInput", "IdempotencyConflict", "InvalidRequest", "LineItemInput", "NotFound", "NotModifiable",
           "NotReady", "Order", "OutOfStock", "PaymentDeclined", "PaymentInput", "checkout_path_for",
           "format_minor", "to_minor"]
