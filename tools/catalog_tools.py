"""`search_catalog` and `get_product`: the agent's view of the catalog engine."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from agent.tools import ToolError, tool
from agent.models.prepare import AID, ToolAid
from tools.digest import product_line, product_reply, search_line
from tools.deps import ShopContext
from tools.catalog.lexical import lexical_index
from tools.catalog.product import Product
from tools.catalog.query import match_label
from tools.ids import MAX_ID_LENGTH, id_candidates
from tools.lexicon import to_english

__all__ = ["MAX_ID_LENGTH", "ProductId", "get_product", "product_detail", "resolve_product", "search_catalog"]

Price = Annotated[float | None, Field(ge=0, description="in the catalog's currency")]
ProductId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH, description="the product id, e.g. P0042")]


def resolve_product(ctx: ShopContext, product_id: str) -> Product:
    """Find a product by id, forgiving how people write ids ("P42", "product 42", "p0042")."""
    catalog = ctx.deps.catalog
    if len(product_id.strip()) > MAX_ID_LENGTH:  # a 4,300-digit "id" is an attack, not a typo: say so plainly
        raise ToolError(f"a product id is at most {MAX_ID_LENGTH} characters; this one has "
                        f"{len(product_id.strip())}. Use search_catalog to find products and their ids.")
    for cid in id_candidates(product_id):
        product = catalog.get(cid)
        if product is not None:
            return product
    raise ToolError(f"no product with id {product_id.strip()!r}. Use search_catalog to find products and their ids.")


def product_detail(product: Product, reviews: int = 3) -> dict[str, Any]:
    """The full record minus bulk: a few reviews are enough for the model to quote."""
    data = product.model_dump(mode="json", exclude_none=True, exclude={"reviews", "variants"})
    data.update(effective_price=product.effective_price, in_stock=product.in_stock)
    if product.variants:
        data["variants"] = [v.model_dump(mode="json", exclude_none=True) for v in product.variants[:10]]
    if product.reviews:
        data["reviews"] = [{"rating": r.rating, "text": r.text[:300]} for r in product.reviews[:reviews]]
    return data


# Below this cosine, with no query word in a product's text, a hit is the nearest of unrelated products
# ("snowmobile" -> running shoes at 0.31; related hits on the demo catalog score 0.4 and up).
WEAK_MATCH = 0.36


# Bounds, brand, category, stock and limit only from the shopper's words: a small model otherwise invents them
# ("brand": "Office Chair"); what it leaves in the query words, the search's own parser still reads.
@tool(metadata={AID: ToolAid(
    values={"max_price": "max_price", "min_price": "min_price", "min_rating": "min_rating", "category": "category",
            "limit": "count"},
    governed=frozenset({"max_price", "min_price", "min_rating", "brand", "category", "in_stock", "limit"}),
    summarize=search_line, text_arg="query")})
def search_catalog(
    ctx: ShopContext,
    query: Annotated[str, Field(min_length=1, max_length=200,
                                description="what the shopper is looking for, in words")],
    max_price: Price = None,
    min_price: Price = None,
    category: Annotated[str | None, Field(max_length=100)] = None,
    brand: Annotated[str | None, Field(max_length=100)] = None,
    min_rating: Annotated[float | None, Field(ge=0, le=5)] = None,
    in_stock: bool | None = None,
    limit: Annotated[int, Field(ge=1, le=25, strict=True)] = 5,
) -> dict[str, Any]:
    """Search the catalog. Price, rating, brand and category limits written in the query are understood too.
    `results` meet every limit; near misses come apart as `alternatives`, each with what it `misses`."""
    if min_price is not None and max_price is not None and min_price > max_price:
        raise ToolError(f"min_price {min_price} is above max_price {max_price}; swap or drop one")
    # The catalog is English: a Spanish, French, German or Chinese query's words in English, the catalog's own kept.
    query = to_english(query, keep=lexical_index(ctx.deps.catalog).vocabulary)
    found = ctx.deps.catalog.search(query, max_price=max_price, min_price=min_price, category=category,
                                        brand=brand, min_rating=min_rating, in_stock=in_stock, limit=limit)
    results = [dict(hit.summary(), score=round(hit.score, 3), why=hit.why) for hit in found.hits]
    out: dict[str, Any] = {"query": found.query, "understood": found.understood, "results": results}
    if found.alternatives:  # never among the results: the shopper asked for what they miss
        out["alternatives"] = [dict(hit.product.summary(), misses=hit.unmet) for hit in found.alternatives]
    if results and all(not h.lexical for h in found.hits) and max(h.dense or 0.0 for h in found.hits) < WEAK_MATCH:
        out["weak"] = True
        out["note"] = (f"Nothing in the catalog closely matches {query!r}; these are only the nearest products. "
                       "Say so rather than presenting them as a match.")
    if not results:
        out["note"] = _no_results_note(ctx.deps.catalog, category, brand, bool(found.alternatives))
    return out


def _no_results_note(catalog: Any, category: str | None, brand: str | None, alternatives: bool = False) -> str:
    """Why nothing came back, when a filter names something this shop does not carry."""
    if category and match_label(category, catalog.categories(), "category") is None:
        shown = ", ".join(sorted({c.split(">")[-1].strip() for c in catalog.categories()})[:40])
        return f"This shop has no category {category!r}. Its categories: {shown}."
    if brand and match_label(brand, catalog.brands(), "brand") is None:
        return f"This shop carries no brand {brand!r}. Search without the brand, or name another."
    if alternatives:
        return ("No matching products meet every limit. Say so; offer the alternatives only as alternatives, "
                "each missing what its 'misses' says.")
    return "No matching products. Suggest loosening a filter or different words."


@tool(metadata={AID: ToolAid(values={"product_id": "id"}, summarize=product_line, present=product_reply)})
def get_product(ctx: ShopContext, product_id: ProductId) -> dict[str, Any]:
    """Full details of one product: price, stock, rating, attributes, variants and a few reviews."""
    return product_detail(resolve_product(ctx, product_id))
