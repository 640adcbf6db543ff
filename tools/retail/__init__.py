"""The τ²-bench retail order desk as a tool pack: its database, its 16 tools, policy enforced in code, and
the harnesses that replay its gold actions (`replay`) and run it against simulated customers (`bench`)."""

from __future__ import annotations

from agent.tools import ToolRegistry
from tools.retail.lookups import (calculate, find_user_id_by_email, find_user_id_by_name_zip, get_item_details,
                                  get_order_details, get_product_details, get_user_details, list_all_product_types,
                                  transfer_to_human_agents)
from tools.retail.model import RetailDB, canonical_hash
from tools.retail.orders import (cancel_pending_order, exchange_delivered_order_items, modify_pending_order_address,
                                 modify_pending_order_items, modify_pending_order_payment, modify_user_address,
                                 return_delivered_order_items)
from tools.retail.policy import RetailDeps, RetailError

__all__ = ["RETAIL_TOOLS", "RetailDB", "RetailDeps", "RetailError", "build_retail_registry", "canonical_hash"]

# τ²'s 15 task tools plus get_item_details, which τ²'s retail toolkit also offers (some of its tasks use it).
RETAIL_TOOLS = [find_user_id_by_email, find_user_id_by_name_zip, get_user_details, get_order_details,
                get_product_details, get_item_details, list_all_product_types, calculate, cancel_pending_order,
                modify_pending_order_items, modify_pending_order_address, modify_pending_order_payment,
                modify_user_address, return_delivered_order_items, exchange_delivered_order_items,
                transfer_to_human_agents]


def build_retail_registry() -> ToolRegistry:
    return ToolRegistry(RETAIL_TOOLS)
