"""Search constraints as a Chroma `where` filter, shared by the store and the search engine."""

from __future__ import annotations

from typing import Any

__all__ = ["build_where"]


def build_where(max_price: float | None = None, min_price: float | None = None, category: str | None = None,
                brand: str | None = None, min_rating: float | None = None,
                in_stock: bool | None = None) -> dict[str, Any] | None:
    """A Chroma `where` filter for the given constraints (None when there are none).

    Per product, so with variants it lets through a superset (a cheap sold-out variant and a dear one in
    stock pass "under 60, in stock"): the lexical index's mask, per offer, has the last word."""
    clauses: list[dict[str, Any]] = []
    if max_price is not None:
        clauses.append({"price": {"$lte": float(max_price)}})
    if min_price is not None:
        clauses.append({"price_high": {"$gte": float(min_price)}})  # the dearest offer
    if min_rating is not None:
        clauses.append({"rating": {"$gte": float(min_rating)}})
    if in_stock is not None:
        clauses.append({"in_stock": {"$eq": bool(in_stock)}})
    if brand:
        clauses.append({"brand": {"$eq": brand.strip().lower()}})
    if category:
        # A shopper names a level ("laptops"), not the path: match it at any depth.
        cat = category.strip().lower()
        clauses.append({"$or": [{k: {"$eq": cat}} for k in ("cat0", "cat1", "cat2", "cat_leaf")]})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
