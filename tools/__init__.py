"""The shopping tools and their stores, registered with the framework like any third-party tool pack.

Wiring (home directory, deps, prompts) lives in `tools.app`."""

from __future__ import annotations

from tools.aftersale_tools import AFTER_SALE_TOOLS
from tools.cart_tools import add_to_cart, remove_from_cart, view_cart
from tools.catalog_tools import get_product, search_catalog
from tools.checkout_tools import apply_discount_code, choose_shipping, place_order, start_checkout, view_order
from tools.compare import compare_products
from tools.describe import write_description
from tools.history_tools import get_user_history
from tools.recommend import recommend_products
from tools.reviews import summarize_reviews

__all__ = ["SHOPPING_TOOLS"]

SHOPPING_TOOLS = [search_catalog, get_product, get_user_history, recommend_products, compare_products,
                  summarize_reviews, write_description, view_cart, add_to_cart, remove_from_cart,
                  start_checkout, choose_shipping, apply_discount_code, place_order, view_order, *AFTER_SALE_TOOLS]
