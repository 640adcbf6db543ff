"""`recommend_products`: co-purchase, content similarity and category popularity, each pick with its reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from agent.models.prepare import AID, ToolAid
from agent.tools import ToolError, tool
from tools.digest import recommend_line
from tools.deps import ShopContext
from tools.catalog.product import Product
from tools.catalog_tools import resolve_product

__all__ = ["recommend", "recommend_products"]

CONSUMABLE = "consumable"
# How much each signal is worth. Being bought together by real shoppers is the strongest evidence of a good
# next buy; looking alike is next; popularity in a favourite category only fills the list.
W_COPURCHASE = 1.0
W_SIMILAR = 0.8
W_BUY_AGAIN = 0.6
W_POPULAR = 0.5
# An action says more about interest the more it cost the shopper: buying > carting > viewing.
ACTION_WEIGHT = {"purchase": 3.0, "cart": 2.0, "view": 1.0}
ACTION_VERB = {"purchase": "bought", "cart": "added to your cart", "view": "viewed"}
SIMILAR_SEEDS = 6  # most recent distinct products the shopper touched that seed "similar to" picks
MIN_SIMILARITY = 0.35  # below this MiniLM cosine, "similar" is not a reason a shopper would accept
FAVOURITE_CATEGORIES = 3


@dataclass
class _Candidate:
    """A product gathering score from several signals; its reason is the strongest signal's."""

    product_id: str
    score: float = 0.0
    reason: str = ""
    source: str = ""
    _best: float = 0.0

    def add(self, score: float, reason: str, source: str) -> None:
        self.score += score
        if score > self._best:
            self._best, self.reason, self.source = score, reason, source

    def pin(self, reason: str, source: str) -> None:
        """Fix the reason whatever signals come later."""
        self._best, self.reason, self.source = float("inf"), reason, source


class _Picks(dict[str, _Candidate]):
    """Candidates by product id, skipping ids that must not be recommended."""

    def __init__(self, excluded: set[str]) -> None:
        super().__init__()
        self.excluded = excluded

    def add(self, product_id: str, score: float, reason: str, source: str) -> None:
        if product_id not in self.excluded and score > 0:
            self.setdefault(product_id, _Candidate(product_id)).add(score, reason, source)


def _leaf(category_path: str) -> str:
    return category_path.rsplit(" > ", 1)[-1] if category_path else "the catalog"


def _bayes_rating(meta: dict[str, Any]) -> float:
    """Rating shrunk toward 4.0 by 10 phantom reviews: 5 stars from 2 reviews is not "top rated"."""
    rating, n = float(meta.get("rating", -1)), int(meta.get("review_count", 0))
    return 0.0 if rating < 0 else (rating * n + 4.0 * 10) / (n + 10)


def _co_purchase(picks: _Picks, seeds: list[Product], purchases: dict[str, list[str]], me: str | None) -> None:
    """Items other shoppers bought together with each seed."""
    for seed in seeds:
        together: Counter[str] = Counter()
        for shopper, bought in purchases.items():
            if shopper != me and seed.id in bought:
                together.update(p for p in set(bought) if p != seed.id)
        for product_id, n in together.items():
            shoppers = "shopper" if n == 1 else "shoppers"
            picks.add(product_id, W_COPURCHASE * n / (n + 1), f"bought with {seed.title} by {n} {shoppers}",
                      "co-purchase")


def _similar(picks: _Picks, catalog: Any, seeds: list[tuple[Product, str | None]], k: int) -> None:
    """Items whose embeddings are nearest to each seed's (the seed itself is skipped)."""
    vectors = catalog.embeddings([p.id for p, _ in seeds])
    for rank, (seed, action) in enumerate(seeds):
        if seed.id not in vectors:
            continue
        recency = 1.0 / (1 + 0.15 * rank)  # the latest interest counts most
        how = f" you {ACTION_VERB[action]}" if action else ""
        for product_id, cos in catalog.dense_by_vector(vectors[seed.id], k=k + 1):
            if product_id != seed.id and cos >= MIN_SIMILARITY:
                picks.add(product_id, W_SIMILAR * cos * recency, f"similar to {seed.title}{how}", "similar")


def _popular(picks: _Picks, metas: dict[str, dict[str, Any]], buyers: dict[str, int],
             categories: list[str], per_category: int) -> None:
    """The most bought, then best rated, items of each category, best categories first."""
    for rank, category in enumerate(categories):
        members = [pid for pid, m in metas.items() if m.get("category") == category]
        members.sort(key=lambda pid: (-buyers.get(pid, 0), -_bayes_rating(metas[pid]), pid))
        for pid in members[:per_category]:
            n = buyers.get(pid, 0)
            if n >= 2:
                reason = f"popular in {_leaf(category)}: bought by {n} shoppers"
            else:
                reason = f"top rated in {_leaf(category)} ({metas[pid].get('rating')}/5)"
            strength = 0.5 * n / (n + 2) + 0.5 * _bayes_rating(metas[pid]) / 5
            picks.add(pid, W_POPULAR * strength / (1 + 0.2 * rank), reason, "popular")


def _top_categories(metas: dict[str, dict[str, Any]], weights: Counter[str]) -> list[str]:
    by_category: Counter[str] = Counter()
    for pid, w in weights.items():
        if pid in metas and metas[pid].get("category"):
            by_category[str(metas[pid]["category"])] += w
    return [c for c, _ in by_category.most_common(FAVOURITE_CATEGORIES)]


@dataclass
class _Shop:
    """What one recommendation reads from the stores, read once."""

    catalog: Any
    metas: dict[str, dict[str, Any]]  # filter metadata (category, rating, stock…) of every product
    buyers: dict[str, int]  # product id -> distinct buyers
    purchases: dict[str, list[str]]  # shopper id -> products bought


def recommend(catalog: Any, shoppers: Any | None, shopper_id: str | None, based_on: str | Product,
              limit: int) -> dict[str, Any]:
    """Recommendations for a shopper (None: a guest) from their history or from one product."""
    events = shoppers.events(shopper_id) if shoppers is not None and shopper_id else []
    owned = catalog.get_many(sorted({e.product_id for e in events if e.action == "purchase"}))
    # Bought once is enough for durable goods; consumables (coffee, dog food) are bought again.
    excluded = {p.id for p in owned if CONSUMABLE not in p.tags}
    if shoppers is not None and shopper_id:
        excluded |= {line.product_id for line in shoppers.cart(shopper_id)}  # already on their way to buying it
    ids, _, metas = catalog.documents()
    shop = _Shop(catalog, dict(zip(ids, metas)), shoppers.purchase_counts() if shoppers is not None else {},
                 shoppers.all_purchases() if shoppers is not None else {})
    note = None
    if isinstance(based_on, Product):
        picks = _Picks(excluded | {based_on.id})
        _co_purchase(picks, [based_on], shop.purchases, shopper_id)
        _similar(picks, catalog, [(based_on, None)], max(10, 3 * limit))
        _popular(picks, shop.metas, shop.buyers, [based_on.category_path], limit)
    else:
        picks = _Picks(excluded)
        note = _from_history(picks, shop, events, owned, shopper_id, limit)

    ranked = sorted(picks.values(), key=lambda c: (not shop.metas.get(c.product_id, {}).get("in_stock", False),
                                                   -c.score, c.product_id))
    chosen = _diverse(ranked, shop.metas, limit)
    products = {p.id: p for p in catalog.get_many([c.product_id for c in chosen])}
    results = [dict(products[c.product_id].summary(), reason=c.reason, source=c.source)
               for c in chosen if c.product_id in products]
    out: dict[str, Any] = {"based_on": based_on.id if isinstance(based_on, Product) else "history",
                           "recommendations": results}
    if not results:
        note = "nothing to recommend yet; try search_catalog"
    if note:
        out["note"] = note
    return out


def _from_history(picks: _Picks, shop: _Shop, events: list[Any], owned: list[Product], shopper_id: str | None,
                  limit: int) -> str | None:
    """Score candidates from a shopper's events; returns a note when there were none to go on."""
    interest: Counter[str] = Counter()
    for e in events:
        interest[e.product_id] += ACTION_WEIGHT.get(e.action, 1.0)
    # The latest distinct products (events come newest first), each named by the most it was done with.
    recent: dict[str, str] = {}
    for e in events:
        if e.product_id in recent or len(recent) < SIMILAR_SEEDS:
            held = recent.get(e.product_id)
            if held is None or ACTION_WEIGHT.get(e.action, 0) > ACTION_WEIGHT.get(held, 0):
                recent[e.product_id] = e.action
    seeds = {p.id: p for p in shop.catalog.get_many(list(recent))}
    _co_purchase(picks, owned, shop.purchases, shopper_id)
    _similar(picks, shop.catalog, [(seeds[pid], act) for pid, act in recent.items() if pid in seeds],
             max(10, 3 * limit))
    for p in owned:
        if CONSUMABLE in p.tags:
            times = sum(1 for e in events if e.product_id == p.id and e.action == "purchase")
            picks.add(p.id, W_BUY_AGAIN * times / (times + 1), "", "buy again")
            # Whatever else points at a repeat item, the honest reason to show it is that they buy it.
            picks[p.id].pin(f"buy again: you bought it {times} time{'s' if times > 1 else ''}", "buy again")
    categories = _top_categories(shop.metas, interest)
    note = None
    if not categories:
        # No history (a guest, a new visitor): the shop's most bought categories stand in for theirs.
        note = "no shopping history yet: these are popular picks from the shop's busiest categories"
        categories = (_top_categories(shop.metas, Counter(shop.buyers))
                      or sorted({str(m.get("category")) for m in shop.metas.values()}))
    _popular(picks, shop.metas, shop.buyers, categories, per_category=max(2, limit))
    return note


def _diverse(ranked: list[_Candidate], metas: dict[str, dict[str, Any]], limit: int) -> list[_Candidate]:
    """The best `limit`, at most about half from one category unless nothing else is left."""
    cap = max(2, (limit + 1) // 2)
    per_category: Counter[str] = Counter()
    chosen: list[_Candidate] = []
    for c in ranked:
        category = str(metas.get(c.product_id, {}).get("category", ""))
        if len(chosen) < limit and per_category[category] < cap:
            chosen.append(c)
            per_category[category] += 1
    chosen += [c for c in ranked if c not in chosen][:limit - len(chosen)]
    order = {id(c): i for i, c in enumerate(ranked)}
    return sorted(chosen, key=lambda c: order[id(c)])


@tool(metadata={AID: ToolAid(values={"based_on": "id", "limit": "count"}, governed=frozenset({"limit"}),
                             summarize=recommend_line)})
def recommend_products(
    ctx: ShopContext,
    based_on: Annotated[str, Field(min_length=1, max_length=64, description='"history" (this shopper\'s activity) or a product id')]
    = "history",
    limit: Annotated[int, Field(ge=1, le=20, strict=True)] = 5,
) -> dict[str, Any]:
    """Personalised recommendations with a one-line reason each: from the shopper's history or related to a product."""
    try:
        shoppers = ctx.deps.shoppers
    except ToolError:
        shoppers = None  # a catalog-only deployment still gets similar and top-rated items
    target: str | Product = "history" if based_on.strip().lower() == "history" else resolve_product(ctx, based_on)
    return recommend(ctx.deps.catalog, shoppers, ctx.user_id, target, limit)
