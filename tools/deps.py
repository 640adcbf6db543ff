"""The shop's typed dependencies: what its tools read from `ctx.deps` (pydantic-ai's `RunContext[Deps]`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from agent.tools import ToolContext

if TYPE_CHECKING:
    from agent.models.base import Model
    from tools.catalog.store import CatalogStore
    from tools.checkout.store import CheckoutStore
    from tools.shoppers import ShopperStore

__all__ = ["ShopContext", "ShopDeps"]


@dataclass
class ShopDeps:
    """The stores and helpers a shopping tool may use; whose data it is comes from the context, not from here."""

    catalog: "CatalogStore"
    shoppers: "ShopperStore"
    llm: "Model | None" = None  # write_description drafts with the model the conversation runs on
    checkout: "CheckoutStore | None" = None  # checkouts and orders (beside the shopper store); None: no checkout
    merchant_url: str = ""  # where this shop's UCP REST API answers: the base of links in UCP responses

    def close(self) -> None:
        """Close what these deps own for one conversation (the catalog and model are shared, and stay open)."""
        self.shoppers.close()
        if self.checkout is not None:
            self.checkout.close()


ShopContext = ToolContext[ShopDeps]
