"""One plain-text line per tool result, for small models: what the reply should say, already in words.

The grammar protocol shows it on a "Summary:" line after each "Result:" (see agent/models/grammar.py), in the
few-shot examples and live alike, so a small model that copies lines copies real titles, prices and ids
instead of inventing them. Built only from the result: nothing here is new information.
"""

from __future__ import annotations

import json
from typing import Any, Callable

__all__ = ["digest"]

SHOWN = 3  # products named per line: enough to answer, short enough to copy


def _price(item: dict[str, Any]) -> str:
    price = item.get("price", item.get("unit_price"))
    if price is None:
        return ""
    currency = item.get("currency", "USD")
    return f"${price:,.2f}" if currency == "USD" else f"{price:,.2f} {currency}"


def _item(item: dict[str, Any], extra: str = "") -> str:
    """"Audiora Pulse Headphones (P0001, $199.99, rated 4.5)"."""
    facts = [item.get("id") or item.get("product_id") or "", _price(item)]
    if item.get("rating") is not None:
        facts.append(f"rated {item['rating']}")
    if item.get("in_stock") is False:
        facts.append("out of stock")
    inner = ", ".join(f for f in facts if f)
    return f"{item.get('title', '?')} ({inner}){extra}"


def _alternatives(items: list[dict[str, Any]], shown: int) -> str:
    """"Hushpod Aria (P0029, $59.99, misses price ≤ 50)": each with the limit it misses."""
    return "; ".join(_item(i, "").rstrip(")") + (f", misses {', '.join(i['misses'])})" if i.get("misses") else ")")
                     for i in items[:shown])


def _search(r: dict[str, Any]) -> str:
    items, near = r.get("results") or [], r.get("alternatives") or []
    if not items and near:  # near misses are only ever offered as alternatives, with what they miss
        return f"Sorry, I found no matching products. Close alternatives: {_alternatives(near, SHOWN)}."
    if not items:
        return f"Sorry, I found no matching products. {r.get('note', '')}".strip()
    if r.get("weak"):
        return "Sorry, nothing here closely matches that; the nearest products are " + \
            "; ".join(_item(i) for i in items[:SHOWN]) + "."
    shown = "; ".join(_item(i) for i in items[:SHOWN])
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    also = f" Close alternatives: {_alternatives(near, 1)}." if near and len(items) < SHOWN else ""
    return f"I found {len(items)}: {shown}{more}.{also}"


def _product(r: dict[str, Any]) -> str:
    stock = "in stock" if r.get("available", r.get("in_stock")) else "out of stock"
    attrs = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in list((r.get("attributes") or {}).items())[:12])
    rating = f", rated {r['rating']} from {r.get('review_count', 0)} reviews" if r.get("rating") is not None else ""
    return f"{r.get('title')} ({r.get('id')}): {_price(r)}, {stock}{rating}." + (f" {attrs[:1].upper()}{attrs[1:]}."
                                                                                   if attrs else "")


def _recommend(r: dict[str, Any]) -> str:
    items = r.get("recommendations") or []
    if not items:
        return "I have no recommendations to show right now."
    return "You might like: " + "; ".join(_item(i, f" - {i['reason']}" if i.get("reason") else "")
                                         for i in items[:SHOWN]) + "."


def _compare(r: dict[str, Any]) -> str:
    titles = {p["id"]: p.get("title", p["id"]) for p in r.get("products") or []}
    best = [f"{b['need']}: {titles.get(b['product_id'], b['product_id'])} ({b['why']})" for b in r.get("best_for") or []]
    head = " vs ".join(_item(p) for p in r.get("products") or [])
    return f"{head}. " + ("Best for " + "; ".join(best[:4]) + "." if best else "")


def _reviews(r: dict[str, Any]) -> str:
    product = r.get("product") or {}
    pros, cons = ", ".join(r.get("pros") or []) or "none stand out", ", ".join(r.get("cons") or []) or "none stand out"
    quote = next((q["text"] for q in r.get("quotes") or []), "")
    # The product's own rating and count; the mean of the few reviews read is not its rating.
    if product.get("rating") is not None:
        head = f"{product.get('title')} is rated {product['rating']} from {product.get('review_count', 0)} reviews"
    else:
        head = f"{product.get('title')} has no rating yet; {r.get('reviews_read', 0)} reviews read"
    return (f"{head}. Pros: {pros}. Cons: {cons}."
            + (f' One shopper wrote: "{quote}"' if quote else ""))


def _history(r: dict[str, Any]) -> str:
    parts = []
    for kind in ("purchases", "views", "cart"):
        items = r.get(kind) or []
        if items:
            parts.append(f"{kind}: " + "; ".join(_item(i) for i in items[:SHOWN]))
    return ("Your " + ". Your ".join(parts) + ".") if parts else "You have no purchases or views with us yet."


def _cart(r: dict[str, Any]) -> str:
    lines = r.get("lines") or []
    if not lines:
        return "Your cart is empty."
    shown = "; ".join(f"{line.get('quantity', 1)} x {_item(line)}" for line in lines[:SHOWN + 2])
    return f"Your cart has {r.get('item_count', len(lines))} item(s): {shown}. Total ${r.get('total', 0):,.2f}."


def _added(r: dict[str, Any]) -> str:
    return (f"Added {r.get('added')} x {r.get('title')} ({r.get('product_id')}) to your cart; "
            f"cart total ${r.get('cart_total', 0):,.2f}.")


def _removed(r: dict[str, Any]) -> str:
    return f"Removed {r['removed']} from your cart; {r.get('items_left', 0)} line(s) left."


def _description(r: dict[str, Any]) -> str:
    return f"Here is the description of {r.get('title')}: {r.get('description', '')}"


def _checkout(r: dict[str, Any]) -> str:
    shipping = r.get("shipping") or {}
    parts = [f"Checkout total {r['total']}"]
    if shipping:
        parts.append(f"with {shipping.get('title')} ({shipping.get('price')})")
    if r.get("discounts"):
        parts.append("after " + ", ".join(f"{d.get('code')} (-{d.get('amount')})" for d in r["discounts"]))
    options = "; ".join(f"{o['id']}: {o['title']} {o['price']}" for o in r.get("shipping_options") or [])
    return " ".join(parts) + "." + (f" Shipping options: {options}." if options and not shipping else "") + \
        (f" {r['next']}" if r.get("next") else "")


def _order(r: dict[str, Any]) -> str:
    return (f"Order {r['order_id']} is {r.get('status')}: total {r.get('total')}"
            + (f", charged to {r['payment']}" if r.get("payment") else "")
            + (f", tracking {r['tracking']}" if r.get("tracking") else "") + ".")


def _orders(r: dict[str, Any]) -> str:
    if "order_id" in r:
        return _order(r)
    orders = r.get("orders") or []
    if not orders:
        return "You have no orders yet."
    return "Your orders: " + "; ".join(f"{o['order_id']} ({o.get('status')}, {o.get('total')})" for o in orders[:5]) + "."


_BY_TOOL: dict[str, Callable[[dict[str, Any]], str]] = {
    "search_catalog": _search, "get_product": _product, "recommend_products": _recommend,
    "compare_products": _compare, "summarize_reviews": _reviews, "get_user_history": _history,
    "view_cart": _cart, "add_to_cart": _added, "remove_from_cart": _removed, "write_description": _description,
    "start_checkout": _checkout, "choose_shipping": _checkout, "apply_discount_code": _checkout,
    "place_order": _order, "view_order": _orders,
}


def digest(tool: str | None, result: str) -> str:
    """The summary line for `tool`'s result text ("" when there is nothing to say in words: unknown tool,
    or a result that is no JSON object, like an error message, which the model reads as it is)."""
    build = _BY_TOOL.get(tool or "")
    try:
        data = json.loads(result)
    except ValueError:
        return ""
    if build is None or not isinstance(data, dict):
        return ""
    try:
        return " ".join(build(data).split())
    except (KeyError, TypeError, ValueError, AttributeError):  # a result of another shape: no summary
        return ""
