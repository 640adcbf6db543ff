"""`compare_products`: an aligned table of 2–5 products, a pros/cons digest of each, and which suits which need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from agent.models.prepare import AID, ToolAid
from agent.tools import ToolError, tool
from tools.digest import compare_line
from tools.deps import ShopContext
from tools.catalog.product import Product
from tools.catalog_tools import ProductId, resolve_product
from tools.reviews import digest
from tools.units import align, format_number

__all__ = ["Direction", "DIRECTIONS", "compare", "compare_products"]

MISSING = "—"


@dataclass(frozen=True)
class Direction:
    """Which way an attribute is better, and the need that winning it answers."""

    more_is_better: bool
    need: str  # "longest battery life"


# Only attributes where better is clear for nearly every shopper; colour or firmness are matters of taste.
DIRECTIONS: dict[str, Direction] = {
    "price": Direction(False, "cheapest"),
    "rating": Direction(True, "best rated"),
    "review_count": Direction(True, "most reviewed"),
    "battery_life": Direction(True, "longest battery life"),
    "battery": Direction(True, "biggest battery"),
    "capacity": Direction(True, "largest capacity"),
    "ram": Direction(True, "most RAM"),
    "storage": Direction(True, "most storage"),
    "weight": Direction(False, "lightest"),
    "brightness": Direction(True, "brightest"),
    "camera": Direction(True, "highest camera resolution"),
    "refresh_rate": Direction(True, "smoothest display (refresh rate)"),
    "waterproof_rating": Direction(True, "most waterproof"),
    "water_resistance": Direction(True, "most water resistant"),
    "max_load": Direction(True, "highest load rating"),
    "max_child_weight": Direction(True, "highest child weight limit"),
    "fill_power": Direction(True, "highest fill power"),
    "keeps_cold": Direction(True, "keeps drinks cold longest"),
    "temperature_rating": Direction(False, "warmest (lowest temperature rating)"),
    "thread_count": Direction(True, "highest thread count"),
    "grind_settings": Direction(True, "most grind settings"),
}
_ALIASES = {"battery_life_hours": "battery_life", "memory": "ram", "ssd": "storage", "mass": "weight"}


def _unique(ctx: ShopContext, product_ids: list[str]) -> list[Product]:
    """Resolve every id, naming all unknown ones at once so the model can fix them in one retry."""
    products: dict[str, Product] = {}
    unknown: list[str] = []
    for raw in product_ids:
        try:
            product = resolve_product(ctx, raw)
        except ToolError:
            unknown.append(raw)
            continue
        products.setdefault(product.id, product)  # "P1" and "P0001" are one product
    if unknown:
        raise ToolError(f"unknown product id(s): {', '.join(repr(u) for u in unknown)}. "
                        f"Use search_catalog to find the right ids, then call compare_products again.")
    if len(products) < 2:
        raise ToolError("compare_products needs at least 2 different products; "
                        "use search_catalog to find alternatives to compare with.")
    return list(products.values())


def _best(bases: dict[str, float], direction: Direction) -> str | None:
    """The id with the best value, or None when fewer than two have one or the best is shared."""
    if len(bases) < 2:
        return None
    pick = max if direction.more_is_better else min
    top = pick(bases.values())
    winners = [pid for pid, v in bases.items() if v == top]
    return winners[0] if len(winners) == 1 else None


def _attribute_rows(products: list[Product]) -> list[dict[str, Any]]:
    names: list[str] = []
    for p in products:
        names += [k for k in p.attributes if k not in names]  # first-seen order keeps related rows together
    rows: list[dict[str, Any]] = []
    for name in names:
        present = {p.id: p.attributes[name] for p in products if name in p.attributes}
        shown, bases = align(present)
        direction = DIRECTIONS.get(_ALIASES.get(name, name))
        rows.append({"attribute": name, "values": {p.id: shown.get(p.id, MISSING) for p in products},
                     "best": _best(bases, direction) if direction else None, "_bases": bases})
    return rows


def _why(row: dict[str, Any], winner: str, products: list[Product]) -> str:
    others = [f"{row['values'][p.id]} ({p.id})" for p in products if p.id != winner and row["values"][p.id] != MISSING]
    return f"{row['values'][winner]} vs " + ", ".join(others)


def compare(products: list[Product]) -> dict[str, Any]:
    """The comparison of already-resolved products (the tool's result)."""
    ids = [p.id for p in products]
    head = [{"id": p.id, "title": p.title, "brand": p.brand, "price": p.effective_price, "currency": p.currency,
             "rating": p.rating, "review_count": p.review_count, "in_stock": p.in_stock} for p in products]
    same_currency = len({p.currency for p in products}) == 1
    rows: list[dict[str, Any]] = [
        {"attribute": "price",
         "values": {p.id: f"{p.effective_price:.2f} {p.currency}" for p in products},
         # Prices in different currencies are not comparable without rates we do not have.
         "best": _best({p.id: p.effective_price for p in products}, DIRECTIONS["price"]) if same_currency else None},
        {"attribute": "rating",
         "values": {p.id: f"{format_number(p.rating)}/5" if p.rating is not None else MISSING for p in products},
         "best": _best({p.id: p.rating for p in products if p.rating is not None}, DIRECTIONS["rating"])},
        {"attribute": "review_count", "values": {p.id: str(p.review_count) for p in products},
         "best": _best({p.id: float(p.review_count) for p in products}, DIRECTIONS["review_count"])},
        {"attribute": "in_stock", "values": {p.id: "yes" if p.in_stock else "no" for p in products}, "best": None},
    ]
    rows += _attribute_rows(products)
    best_for: list[dict[str, Any]] = []
    for row in rows:
        winner = row["best"]
        direction = DIRECTIONS.get(_ALIASES.get(row["attribute"], row["attribute"]))
        if winner is None or direction is None:
            continue
        best_for.append({"need": direction.need, "product_id": winner, "why": _why(row, winner, products)})
    if not any(b["need"] == "best rated" for b in best_for):
        _rating_tiebreak(products, best_for)
    for row in rows:
        row.pop("_bases", None)
    table = [{"attribute": r["attribute"], **{pid: r["values"][pid] for pid in ids}} for r in rows]
    return {"products": head, "rows": rows, "table": table,
            "digest": {p.id: digest(p) for p in products}, "best_for": best_for}


def _rating_tiebreak(products: list[Product], best_for: list[dict[str, Any]]) -> None:
    """Equal stars: the one more people rated is the safer pick, and saying why keeps that honest."""
    rated = [p for p in products if p.rating is not None]
    if len(rated) < 2:
        return
    top = max(p.rating or 0 for p in rated)
    tied = sorted((p for p in rated if p.rating == top), key=lambda p: -p.review_count)
    if len(tied) > 1 and tied[0].review_count > tied[1].review_count:
        best_for.append({"need": "best rated", "product_id": tied[0].id,
                         "why": f"tied at {format_number(top)}/5, from more reviews "
                                f"({tied[0].review_count} vs {tied[1].review_count})"})


@tool(metadata={AID: ToolAid(values={"product_ids": "id"}, summarize=compare_line)})
def compare_products(
    ctx: ShopContext,
    product_ids: Annotated[list[ProductId], Field(min_length=2, max_length=5, description="2 to 5 product ids")],
) -> dict[str, Any]:
    """Compare 2–5 products side by side: price, rating, attributes in common units, review pros/cons, best for what."""
    return compare(_unique(ctx, product_ids))
