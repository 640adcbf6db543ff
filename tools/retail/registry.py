"""The retail pack's tools, in one list, and the registry an agent runs them from."""

from __future__ import annotations

from agent.tools import ToolRegistry
from tools.retail.lookups import (calculate, find_user_id_by_email, find_user_id_by_name_zip, get_item_details,
                                  get_order_details, get_product_details, get_user_details, list_all_product_types,
                                  transfer_to_human_agents)
from tools.retail.orders import (cancel_pending_order, exchange_delivered_order_items, modify_pending_order_address,
                                 modify_pending_order_items, modify_pending_order_payment, modify_user_address,
                                 return_delivered_order_items)

__all__ = ["RETAIL_TOOLS", "build_retail_registry"]

# τ²'s 15 task tools plus get_item_details, which τ²'s retail toolkit also offers (some of its tasks use it).
RETAIL_TOOLS = [find_user_id_by_email, find_user_id_by_name_zip, get_user_details, get_order_details,
                get_product_details, get_item_details, list_all_product_types, calculate, cancel_pending_order,
                modify_pending_order_items, modify_pending_order_address, modify_pending_order_payment,
                modify_user_address, return_delivered_order_items, exchange_delivered_order_items,
                transfer_to_human_agents]


def build_retail_registry() -> ToolRegistry:
    return ToolRegistry(RETAIL_TOOLS)
