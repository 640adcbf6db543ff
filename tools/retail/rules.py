"""The after-sale policy both order stores enforce: which order status allows which change, the cancel reasons,
and the item-count check. Messages are τ²'s own, so the τ² tools keep their exact outputs.

The τ² database calls these with its order's status; the shop's checkout orders (tools/retail/shop.py) call them
with their status mapped onto τ²'s (`SERVICE_STATUS` there). One policy, two stores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from tools.retail.policy import RetailError

__all__ = ["CANCEL_REASONS", "CancelReason", "ServiceStatus", "check_cancel", "check_exchange",
           "check_items_present", "check_modify", "check_modify_items", "check_return"]

ServiceStatus = Literal["processed", "pending", "pending (item modified)", "delivered", "cancelled",
                        "exchange requested", "return requested"]
CancelReason = Literal["no longer needed", "ordered by mistake"]
CANCEL_REASONS: tuple[str, ...] = ("no longer needed", "ordered by mistake")


def check_cancel(status: str, reason: str) -> None:
    """Only a pending order (never one whose items were modified) cancels, for one of τ²'s two reasons."""
    if status != "pending":
        raise RetailError("Non-pending order cannot be cancelled")
    if reason not in CANCEL_REASONS:
        raise RetailError("Invalid reason")


def check_modify(status: str) -> None:
    """Address and payment of any pending order (modified items included) may change."""
    if "pending" not in status:
        raise RetailError("Non-pending order cannot be modified")


def check_modify_items(status: str) -> None:
    """Items change once: a pending order whose items were modified is no longer plain `pending`."""
    if status != "pending":
        raise RetailError("Non-pending order cannot be modified")


def check_return(status: str) -> None:
    if status != "delivered":
        raise RetailError("Non-delivered order cannot be returned")


def check_exchange(status: str) -> None:
    if status != "delivered":
        raise RetailError("Non-delivered order cannot be exchanged")


def check_items_present(have: Sequence[str], item_ids: Sequence[str], message: Callable[[str], str]) -> None:
    """Every id asked for is in the order at least as many times as it is asked for (ids repeat per unit)."""
    for item_id in item_ids:
        if list(item_ids).count(item_id) > list(have).count(item_id):
            raise RetailError(message(item_id))
