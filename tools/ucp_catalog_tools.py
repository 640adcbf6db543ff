"""The catalog under UCP's MCP binding names and shapes: `search_catalog`, `lookup_catalog`, `get_product`
(checkout's are in tools/ucp_checkout_tools.py).

Arguments nest under `catalog` as the binding says (`{"catalog": {"query": …, "filters": …, "pagination": …}}`),
prices are integer minor units, products are UCP product records. The shop's own tools serve the rest.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from agent.tools import ToolError, tool
from tools.catalog.product import Product
from tools.catalog_tools import resolve_product
from tools.deps import ShopContext

__all__ = ["UCP_CATALOG_TOOLS", "ucp_product"]

_DIGITS = {"JPY": 0, "KRW": 0}


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")  # the binding's optional context/signals we do not use


class PriceFilter(_Loose):
    min: Annotated[int | None, Field(ge=0, description="minor units, e.g. 1500 for 15.00")] = None
    max: Annotated[int | None, Field(ge=0, description="minor units")] = None


class SearchFilters(_Loose):
    categories: list[str] | None = None
    price: PriceFilter | None = None


class Pagination(_Loose):
    limit: Annotated[int, Field(ge=1, le=25)] = 10


class SearchRequest(_Loose):
    query: Annotated[str, Field(min_length=1, max_length=200, description="free-text search query")]
    filters: SearchFilters | None = None
    pagination: Pagination | None = None


class LookupRequest(_Loose):
    ids: Annotated[list[str], Field(min_length=1, max_length=50, description="product or variant ids")]


class ProductRequest(_Loose):
    id: Annotated[str, Field(min_length=1, description="a product or variant id")]


class Meta(BaseModel):
    """UCP request metadata: the calling agent's profile (accepted, not needed to answer)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    ucp_agent: dict[str, Any] | None = Field(default=None, alias="ucp-agent")


def _minor(amount: float, currency: str) -> int:
    digits = _DIGITS.get(currency.upper(), 2)
    return int((Decimal(str(amount)).scaleb(digits)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _money(amount: float, currency: str) -> dict[str, Any]:
    return {"amount": _minor(amount, currency), "currency": currency}


def ucp_product(p: Product) -> dict[str, Any]:
    """One catalog product as a UCP product record (prices in minor units)."""
    prices = [v.sale_price or v.price for v in p.variants if (v.sale_price or v.price) is not None] or \
        [p.effective_price]
    out: dict[str, Any] = {
        "id": p.id, "title": p.title, "description": {"plain": p.description},
        "price_range": {"min": _money(min(prices), p.currency), "max": _money(max(prices), p.currency)},
        "categories": [{"value": " > ".join(p.category), "taxonomy": "merchant"}] if p.category else [],
        "variants": [{"id": v.id, "title": ", ".join(v.options.values()) or p.title,
                      "price": _money(v.sale_price or v.price or p.effective_price, p.currency),
                      "availability": {"available": bool(v.available if v.available is not None else p.in_stock)}}
                     for v in p.variants[:20]] or
                    [{"id": p.id, "title": p.title, "price": _money(p.effective_price, p.currency),
                      "availability": {"available": p.in_stock}}],
    }
    if p.brand:
        out["metadata"] = {"brand": p.brand}
    if p.rating is not None:
        out["rating"] = {"value": p.rating, "scale_max": 5, "count": p.review_count}
    if p.url:
        out["url"] = p.url
    return out


def _envelope(capability: str, **body: Any) -> dict[str, Any]:
    return {"ucp": {"version": "2026-01-11", "capabilities": {capability: [{"version": "2026-01-11"}]}}, **body}


@tool(name="search_catalog")
def ucp_search_catalog(ctx: ShopContext, catalog: SearchRequest, meta: Meta | None = None) -> dict[str, Any]:
    """Search the catalog (UCP catalog.search): a query, optional category and price (minor units) filters."""
    filters = catalog.filters or SearchFilters()
    price = filters.price or PriceFilter()
    store = ctx.deps.catalog
    category = filters.categories[0] if filters.categories else None
    found = store.search(catalog.query, category=category,
                         min_price=price.min / 100 if price.min is not None else None,
                         max_price=price.max / 100 if price.max is not None else None,
                         limit=(catalog.pagination or Pagination()).limit)
    return _envelope("dev.ucp.shopping.catalog.search", products=[ucp_product(h.product) for h in found.hits],
                     pagination={"has_next_page": False, "total_count": len(found.hits)})


@tool(name="lookup_catalog")
def ucp_lookup_catalog(ctx: ShopContext, catalog: LookupRequest, meta: Meta | None = None) -> dict[str, Any]:
    """Look up products by id (UCP catalog.lookup); ids not found are listed in messages."""
    products, missing = [], []
    for pid in catalog.ids:
        try:
            products.append(ucp_product(resolve_product(ctx, pid)))
        except ToolError:
            missing.append(pid)
    return _envelope("dev.ucp.shopping.catalog.lookup", products=products,
                     messages=[{"type": "info", "code": "not_found", "content": m} for m in missing])


@tool(name="get_product")
def ucp_get_product(ctx: ShopContext, catalog: ProductRequest, meta: Meta | None = None) -> dict[str, Any]:
    """Full detail of one product (UCP catalog get_product)."""
    return _envelope("dev.ucp.shopping.catalog.lookup", product=ucp_product(resolve_product(ctx, catalog.id)))


UCP_CATALOG_TOOLS = [ucp_search_catalog, ucp_lookup_catalog, ucp_get_product]
