"""Catalog search: constraint parsing, dense (Chroma) and lexical (BM25) ranking, and their fusion.

One query: read price/rating/stock/brand/category out of the text (explicit filters win), fix words
the catalog does not know ("protien" -> "protein"), fetch the best `pool` from each ranker under the
same filters, give BM25-only candidates their real cosine, then rank by cosine plus small lexical
bonuses (see `_fuse`). On the DummyJSON dev labels this beats dense alone, where rank fusion did not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from tools.catalog.filters import build_where
from tools.catalog.lexical import LexicalIndex, lexical_index
from tools.catalog.product import Product
from tools.catalog.query import ParsedQuery, describe, match_label, parse_query

__all__ = ["FUSION", "Fusion", "Hit", "Mode", "SearchResult", "search"]

Mode = Literal["dense", "lexical", "hybrid"]
Ranked = list[tuple[str, float, float | None, float | None]]  # id, score, cosine, bm25


@dataclass
class Hit:
    """One ranked product and why it is there."""

    product: Product
    score: float
    why: str
    dense: float | None = None
    lexical: float | None = None
    unmet: list[str] = field(default_factory=list)  # constraints read from the text it misses (relax)


@dataclass
class SearchResult:
    """Ranked hits plus what the query was understood to ask for."""

    hits: list[Hit]  # each meets every constraint, stated in the text or given
    alternatives: list[Hit] = field(default_factory=list)  # near misses (relax), `unmet` says what each misses
    understood: list[str] = field(default_factory=list)
    query: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    corrections: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fusion:
    """How the two rankings are combined (tuned on the dev labels, see bench/relevance.py)."""

    pool: int = 100  # candidates fetched from each ranker
    lexical_weight: float = 0.2  # the best BM25 match gains this much cosine similarity at most
    saturation: float = 0.5  # BM25 s counts as s / (s + saturation * best s): diminishing returns
    coverage_weight: float = 0.1  # bonus times the share of query terms the product contains
    support: float = 0.8  # lexical evidence counts fully within this share of the best cosine,
    outside: float = 0.3  # fading (power 4) to this much further away: often a shared stray word


FUSION = Fusion()


def _where(filters: dict[str, Any]) -> dict[str, Any] | None:
    return build_where(**filters)


def _dense(store: Any, index: LexicalIndex, vector: np.ndarray, filters: dict[str, Any],
           mask: np.ndarray | None, pool: int, limit: int) -> list[tuple[str, float]]:
    """The `pool` nearest products that pass the filters.

    Chroma's filtered query costs several times an unfiltered one at 10k+ products, so look wider
    unfiltered and filter here; the first passing products in cosine order are exactly the filtered
    top. Only when fewer than `limit` pass is Chroma asked with the `where` clause.
    """
    if mask is None:
        return list(store.dense_by_vector(vector, None, pool))
    wide = store.dense_by_vector(vector, None, _WIDEN * pool)
    kept = [(i, s) for i, s in wide if i in index.position and mask[index.position[i]]][:pool]
    if len(kept) >= min(limit, int(mask.sum())):
        return kept
    return list(store.dense_by_vector(vector, _where(filters), pool))


_WIDEN = 4  # unfiltered candidates fetched per filtered one wanted
_RELAX_FLOOR = 0.6  # a top-up needs this share of the best score


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1]


def _title_overlap(query_words: list[str], title: str) -> list[str]:
    """Query words that appear in the title (prefix match, so 'earbud' finds 'earbuds')."""
    title_words = re.findall(r"\w+", title.lower())
    return [q for q in query_words if any(t.startswith(q[:max(4, len(q) - 1)]) for t in title_words)]


def _fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], coverage: dict[str, float],
          fusion: Fusion) -> Ranked:
    """Cosine plus bounded lexical bonuses, trusted fully only on docs the embedding also finds close.

    Plain rank fusion lets BM25's stray single-word matches ("case" for "phone case") outvote a
    much better semantic ranking; bounded score bonuses only reorder near-ties in cosine, where
    the words (every query term present, a strong BM25 match) are the better judge.
    """
    d = dict(dense)
    lx = dict(lexical)
    best_dense = max(d.values(), default=0.0)
    floor = min(d.values(), default=0.0)  # only when a store could not return a vector
    best_lex = max(lx.values(), default=0.0)
    top_sat = 1 / (1 + fusion.saturation)  # the best document's saturated score, to scale to 1
    fused: Ranked = []
    for doc_id in d.keys() | lx.keys():
        cos = d.get(doc_id)
        base = cos if cos is not None else floor
        ratio = base / best_dense if best_dense > 0 else 1.0
        trust = min(1.0, max(fusion.outside, (ratio / fusion.support) ** 4))
        bonus = fusion.coverage_weight * coverage.get(doc_id, 0.0)
        s = lx.get(doc_id)
        if s is not None and best_lex > 0:
            bonus += fusion.lexical_weight * s / (s + fusion.saturation * best_lex) / top_sat
        fused.append((doc_id, base + trust * bonus, cos, s))
    fused.sort(key=lambda r: (-r[1], r[0]))
    return fused


_STOP = {"the", "a", "an", "for", "with", "and", "or", "of", "to", "in", "on", "my", "me", "i", "some",
         "something", "that", "is", "it", "which", "who", "someone", "want", "need", "looking"}


def _browse(index: LexicalIndex, mask: np.ndarray | None, limit: int) -> list[tuple[str, float]]:
    """No words to rank by: the best rated products that pass the filters."""
    rows = np.flatnonzero(mask) if mask is not None else np.arange(len(index))
    best = rows[np.argsort(-index.rating[rows], kind="stable")][:limit]
    return [(index.ids[i], float(max(index.rating[i], 0.0))) for i in best]


def _why(product: Product, query: str, cos: float | None, lex: float | None,
         filters: dict[str, Any], fixes: dict[str, str]) -> str:
    """A short reason: "title matches 'wireless earbuds'; semantic 0.62; price 49.99 ≤ 80"."""
    parts = []
    qwords = [w for w in _words(query) if w not in _STOP]
    matched = _title_overlap(qwords, product.title)
    if matched:
        parts.append(f"title matches '{' '.join(matched)}'")
    elif lex:
        parts.append(f"text matches (bm25 {lex:.1f})")
    if cos is not None:
        parts.append(f"semantic {cos:.2f}")
    if fixes:
        parts.append("spelling " + ", ".join(f"{a}→{b}" for a, b in fixes.items()))
    price = product.effective_price
    if "max_price" in filters and "min_price" in filters:
        parts.append(f"price {price:g} in {filters['min_price']:g}–{filters['max_price']:g}")
    elif "max_price" in filters:
        parts.append(f"price {price:g} ≤ {filters['max_price']:g}")
    elif "min_price" in filters:
        parts.append(f"price {price:g} ≥ {filters['min_price']:g}")
    if "min_rating" in filters and product.rating is not None:
        parts.append(f"rated {product.rating:g} ≥ {filters['min_rating']:g}")
    if "brand" in filters:
        parts.append(f"brand {product.brand}")
    if "category" in filters:
        parts.append(f"in {product.category_path}")
    if filters.get("in_stock"):
        parts.append("in stock")
    return "; ".join(parts) or "matches the filters"


def _rank(store: Any, index: LexicalIndex, text: str, vector: np.ndarray | None, filters: dict[str, Any],
          mode: Mode, limit: int, fusion: Fusion) -> Ranked:
    """The best `limit` products for `text` under `filters`, by one ranker or their fusion."""
    mask = index.mask(filters)
    pool = max(fusion.pool, limit)
    dense = _dense(store, index, vector, filters, mask, pool, limit) if vector is not None else []
    lexical = index.top(text, pool, mask) if mode != "dense" else []
    single: Ranked
    if mode == "dense":
        single = [(i, s, s, None) for i, s in dense]
        return single[:limit]
    if mode == "lexical":
        single = [(i, s, None, s) for i, s in lexical]
        return single[:limit]
    # Give BM25-only candidates their true cosine, so fusion compares like with like.
    seen = {doc_id for doc_id, _ in dense}
    extra = store.embeddings([doc_id for doc_id, _ in lexical if doc_id not in seen])
    dense += [(doc_id, float(vec @ vector)) for doc_id, vec in extra.items()]
    candidates = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in lexical]))
    return _fuse(dense, lexical, index.coverage(text, candidates), fusion)[:limit]


def _closeness(row: tuple[str, float, float | None, float | None]) -> float:
    """Cosine where there is one: an exact match's lexical bonus would put the bar above every alternative."""
    return row[2] if row[2] is not None else row[1]


def _unmet(product: Product, filters: dict[str, Any]) -> list[str]:
    """The constraints `product` does not meet, described as in `understood`."""
    price, failed = product.effective_price, {}
    if filters.get("max_price") is not None and price > filters["max_price"]:
        failed["max_price"] = filters["max_price"]
    if filters.get("min_price") is not None and price < filters["min_price"]:
        failed["min_price"] = filters["min_price"]
    if filters.get("min_rating") is not None and (product.rating or 0) < filters["min_rating"]:
        failed["min_rating"] = filters["min_rating"]
    if filters.get("in_stock") is not None and product.in_stock != filters["in_stock"]:
        failed["in_stock"] = filters["in_stock"]
    if filters.get("brand") is not None and (product.brand or "").lower() != str(filters["brand"]).lower():
        failed["brand"] = filters["brand"]
    if filters.get("category") is not None and str(filters["category"]).lower() not in {
            c.lower() for c in product.category}:
        failed["category"] = filters["category"]
    return describe(failed)


def _catalog_spelling(explicit: dict[str, Any], index: LexicalIndex) -> list[str]:
    """Explicit brand/category filters in the catalog's spelling ("groceries" filters Grocery); notes what changed.
    One that names nothing in the catalog stays as given: it then matches nothing, which the result says."""
    notes = []
    for key, labels in (("brand", index.brands), ("category", index.categories)):
        value = explicit.get(key)
        if value is None or str(value).strip().lower() in {label.lower() for label in labels}:
            continue
        found = match_label(str(value), labels, key)
        if found is not None:
            explicit[key] = found
            notes.append(f"{key} {value!r} read as {found}")
    return notes


def search(store: Any, query: str, *, max_price: float | None = None, min_price: float | None = None,
           category: str | None = None, brand: str | None = None, min_rating: float | None = None,
           in_stock: bool | None = None, limit: int = 10, mode: Mode = "hybrid",
           parse_constraints: bool = True, relax: bool = True, fusion: Fusion = FUSION) -> SearchResult:
    """Rank the catalog for `query`; explicit filters win over those read from the text.

    With `relax`, when fewer than `limit` products meet every constraint, the next best products that
    miss some come back apart, as `alternatives`, with `Hit.unmet` saying what they miss: the same kind
    of product over the budget first ("running shoes under $10": running shoes that cost more), then
    others ("dell xps" finds the XPS, and other laptops). `hits` holds only products that meet every
    constraint.
    """
    if mode not in ("dense", "lexical", "hybrid"):
        raise ValueError(f"mode must be dense, lexical or hybrid, not {mode!r}")
    index = lexical_index(store)
    given = {"max_price": max_price, "min_price": min_price, "category": category, "brand": brand,
             "min_rating": min_rating, "in_stock": in_stock}
    explicit = {k: v for k, v in given.items() if v is not None}
    renamed = _catalog_spelling(explicit, index)
    if parse_constraints:
        parsed = parse_query(query, index.brands, index.categories, vocabulary=index.vocabulary)
    else:
        parsed = ParsedQuery(text=query)
    filters = {**parsed.filters(), **explicit}
    mask = index.mask(filters)
    dropped = []
    for key in ("brand", "category"):
        # A word read as a brand or category that leaves nothing to show was probably not meant as one; one that
        # only the price, rating or stock limits empty stays ("running shoes under $10": none, shoes as alternatives).
        named = {k: v for k, v in filters.items() if k in ("brand", "category")}
        if (mask is not None and not mask.any() and key in filters and key not in explicit
                and not index.mask(named).any()):
            dropped.append(f"{key} {filters.pop(key)} ignored: nothing matches")
            mask = index.mask(filters)
    understood = describe(filters, {k: v for k, v in parsed.said.items() if k not in explicit}) + renamed + dropped
    text, fixes = index.correct(parsed.text) if parsed.text.strip() else (parsed.text, {})

    ranked: Ranked
    extra: Ranked = []
    if not text.strip():
        ranked = [(doc_id, s, None, None) for doc_id, s in _browse(index, mask, limit)]
    else:
        vector = store.embedder.embed([text])[0] if mode != "lexical" else None
        ranked = _rank(store, index, text, vector, filters, mode, limit, fusion)
        if relax and len(ranked) < limit and filters:
            exact = {r[0] for r in ranked}
            # Alternatives never join the hits, so any limit may be relaxed: first the same kind of product
            # (brand and category kept) over the budget or rating, then what the explicit filters alone allow.
            kind = {k: v for k, v in filters.items() if k in ("brand", "category")}
            loose = _rank(store, index, text, vector, kind, mode, limit + len(ranked), fusion) if kind else []
            seen = {r[0] for r in loose}
            loose += [r for r in _rank(store, index, text, vector, explicit, mode, limit + len(ranked), fusion)
                      if r[0] not in seen]
            # Only close alternatives: a tent is no alternative to a coffee maker, even in a tiny shop.
            floor = _RELAX_FLOOR * max([_closeness(r) for r in ranked[:1] + loose[:1]], default=0.0)
            extra = [r for r in loose if r[0] not in exact and _closeness(r) >= floor][:limit - len(ranked)]
    products = {p.id: p for p in store.get_many([r[0] for r in ranked + extra])}
    hits = [Hit(products[i], s, _why(products[i], text, c, lx, filters, fixes), c, lx)
            for i, s, c, lx in ranked if i in products]
    for i, s, c, lx in extra:
        if i in products:
            unmet = _unmet(products[i], filters)
            why = f"close alternative, misses {', '.join(unmet)}; " + _why(products[i], text, c, lx, {}, fixes)
            hits.append(Hit(products[i], s, why, c, lx, unmet))
    exact = {r[0] for r in ranked}  # a near miss is never mixed into the hits
    return SearchResult(hits=[h for h in hits if h.product.id in exact],
                        alternatives=[h for h in hits if h.product.id not in exact],
                        understood=understood, query=text, filters=filters, corrections=fixes)
