"""The shopping tools and their stores, registered with the framework like any third-party tool."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from agent.tools import ToolRegistry
from tools.cart_tools import add_to_cart, remove_from_cart, view_cart
from tools.catalog_tools import get_product, search_catalog
from tools.checkout_tools import apply_discount_code, choose_shipping, place_order, start_checkout, view_order
from tools.compare import compare_products
from tools.describe import write_description
from tools.history_tools import get_user_history
from tools.recommend import recommend_products
from tools.reviews import summarize_reviews

__all__ = ["SHOPPING_TOOLS", "build_registry", "open_stores"]

SHOPPING_TOOLS = [search_catalog, get_product, get_user_history, recommend_products, compare_products,
                  summarize_reviews, write_description, view_cart, add_to_cart, remove_from_cart,
                 start_checkout, choose_shipping, apply_discount_code, place_order, view_order]


def build_registry() -> ToolRegistry:
    return ToolRegistry(SHOPPING_TOOLS)


def open_stores(catalog: str | None = None, chroma_url: str | None = None,
                progress: Callable[[str, int], Any] | None = None, state_dir: str | Path | None = None,
                catalog_store: Any = None) -> dict[str, Any]:
    """Open what the tools need: the catalog (the demo one, indexed on first use, unless one is named), the
    shopper store (histories, carts) beside it, or in `state_dir` when given (fresh state per eval case), and
    the checkout store (checkouts, orders) next to the shopper store."""
    from tools.catalog.demo import open_catalog
    from tools.checkout.store import CheckoutStore, checkout_path_for
    from tools.shoppers import ShopperStore, shoppers_path_for

    store = catalog_store or open_catalog(path=catalog, url=chroma_url, progress_factory=progress)
    path = Path(state_dir) / "shoppers.db" if state_dir else shoppers_path_for(catalog)
    # Only the default catalog's shoppers start with the demo histories: their product ids name demo products.
    shoppers = ShopperStore.open_default(path, store, demo=catalog is None and chroma_url is None)
    return {"catalog": store, "shoppers": shoppers, "checkout": CheckoutStore(checkout_path_for(path), store)}
