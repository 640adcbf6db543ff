"""One plain-text line per tool result, for small models: what the reply should say, already in words.

Each tool declares its line in its ToolAid (`summarize`); the grammar protocol shows it on a "Summary:" line
after each "Result:" (see agent/models/grammar.py), in the few-shot examples and live alike, so a small model that copies lines copies real titles, prices and ids
instead of inventing them. Built only from the result: nothing here is new information.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["product_reply", "added_line", "cart_line", "checkout_line", "checkout_reply", "compare_line", "description_line",
           "history_line", "order_line", "orders_line", "product_line", "recommend_line", "removed_line", "reviews_line",
           "search_line"]

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


def search_line(r: dict[str, Any]) -> str:
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


def product_line(r: dict[str, Any]) -> str:
    # in_stock is whether it can be bought now (stock, or a backorder); "available" only says it is on sale
    # at all (published, not discontinued), so a product with no stock is still "available".
    if r.get("in_stock", r.get("available")):
        stock = "available on backorder" if r.get("backorder") and r.get("stock") == 0 else "in stock"
    else:
        stock = "out of stock"
    attrs = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in list((r.get("attributes") or {}).items())[:12])
    rating = f", rated {r['rating']} from {r.get('review_count', 0)} reviews" if r.get("rating") is not None else ""
    # The price a shopper pays now (a sale's), as search results show it; the list price only beside it.
    price = _price({**r, "price": r.get("effective_price", r.get("price"))})
    if r.get("effective_price") is not None and r.get("price") is not None and r["effective_price"] < r["price"]:
        price += f" (on sale from {_price(r)})"
    return f"{r.get('title')} ({r.get('id')}): {price}, {stock}{rating}." + (f" {attrs[:1].upper()}{attrs[1:]}."
                                                                             if attrs else "")


def recommend_line(r: dict[str, Any]) -> str:
    items = r.get("recommendations") or []
    if not items:
        return "I have no recommendations to show right now."
    return "You might like: " + "; ".join(_item(i, f" - {i['reason']}" if i.get("reason") else "")
                                         for i in items[:SHOWN]) + "."


def compare_line(r: dict[str, Any]) -> str:
    titles = {p["id"]: p.get("title", p["id"]) for p in r.get("products") or []}
    best = [f"{b['need']}: {titles.get(b['product_id'], b['product_id'])} ({b['why']})" for b in r.get("best_for") or []]
    head = " vs ".join(_item(p) for p in r.get("products") or [])
    return f"{head}. " + ("Best for " + "; ".join(best[:4]) + "." if best else "")


def reviews_line(r: dict[str, Any]) -> str:
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


def history_line(r: dict[str, Any]) -> str:
    parts = []
    for kind in ("purchases", "views", "cart"):
        items = r.get(kind) or []
        if items:
            parts.append(f"{kind}: " + "; ".join(_item(i) for i in items[:SHOWN]))
    return ("Your " + ". Your ".join(parts) + ".") if parts else "You have no purchases or views with us yet."


def cart_line(r: dict[str, Any]) -> str:
    lines = r.get("lines") or []
    if not lines:
        return "Your cart is empty."
    shown = "; ".join(f"{line.get('quantity', 1)} x {_item(line)}" for line in lines[:SHOWN + 2])
    return f"Your cart has {r.get('item_count', len(lines))} item(s): {shown}. Total ${r.get('total', 0):,.2f}."


def added_line(r: dict[str, Any]) -> str:
    return (f"Added {r.get('added')} x {r.get('title')} ({r.get('product_id')}) to your cart; "
            f"cart total ${r.get('cart_total', 0):,.2f}.")


def removed_line(r: dict[str, Any]) -> str:
    return f"Removed {r['removed']} from your cart; {r.get('items_left', 0)} line(s) left."


def description_line(r: dict[str, Any]) -> str:
    return f"Here is the description of {r.get('title')}: {r.get('description', '')}"


def checkout_line(r: dict[str, Any]) -> str:
    shipping = r.get("shipping") or {}
    parts = [f"Checkout total {r['total']}"]
    if shipping:
        parts.append(f"with {shipping.get('title')} ({shipping.get('price')})")
    if r.get("discounts"):
        parts.append("after " + ", ".join(f"{d.get('code')} (-{d.get('amount')})" for d in r["discounts"]))
    options = "; ".join(f"{o['id']}: {o['title']} {o['price']}" for o in r.get("shipping_options") or [])
    return " ".join(parts) + "." + (f" Shipping options: {options}." if options and not shipping else "") + \
        (f" {r['next']}" if r.get("next") else "")


def checkout_reply(r: dict[str, Any], question: str = "") -> str:
    """The checkout told to the shopper: what is in it, where it ships, the total, and the one thing still
    needed (an address, a shipping option, or their yes to place the order)."""
    lines = ", ".join(f"{li.get('quantity', 1)} × {li.get('title')} ({li.get('line_total')})" for li in r.get("lines") or [])
    parts = [f"Your checkout has {lines}." if lines else "Your checkout is open."]
    if r.get("discounts"):
        parts.append("Discount " + ", ".join(f"{d.get('code')} -{d.get('amount')}" for d in r["discounts"]) + ".")
    shipping = r.get("shipping") or {}
    if shipping and r.get("ship_to"):
        parts.append(f"{shipping.get('title')} ({shipping.get('price')}) to {r['ship_to']}.")
    elif r.get("ship_to"):
        parts.append(f"It ships to {r['ship_to']}.")
    parts.append(f"Total {r.get('total')}." if shipping else f"Subtotal {r.get('subtotal')}.")
    options = "; ".join(f"{o['title']} ({o['id']}) {o['price']}" for o in r.get("shipping_options") or [])
    if r.get("status") == "ready_for_complete":
        parts.append("Shall I place the order?")
    elif not r.get("ship_to"):
        parts.append("Where should it ship? Please give the street address, city, postal code and country.")
    elif not shipping:
        parts.append(f"Which shipping would you like? {options}." if options else "Which shipping would you like?")
    return " ".join(parts)


def order_line(r: dict[str, Any]) -> str:
    return (f"Order {r['order_id']} is {r.get('status')}: total {r.get('total')}"
            + (f", charged to {r['payment']}" if r.get("payment") else "")
            + (f", tracking {r['tracking']}" if r.get("tracking") else "") + ".")


def orders_line(r: dict[str, Any]) -> str:
    if "order_id" in r:
        return order_line(r)
    orders = r.get("orders") or []
    if not orders:
        return "You have no orders yet."
    return "Your orders: " + "; ".join(f"{o['order_id']} ({o.get('status')}, {o.get('total')})" for o in orders[:5]) + "."


_ASKED_STOP = frozenset("the a an of is it its does do has have how what which this that type".split())


def product_reply(r: dict[str, Any], question: str) -> str:
    """The product line, led by the specs the question asks about, from the record ("battery life 28 h")."""
    words = {w for w in re.findall(r"[a-z]+", question.lower()) if w not in _ASKED_STOP}
    words |= {w[:-1] for w in words if w.endswith("s")}
    asked = [(k, v) for k, v in (r.get("attributes") or {}).items()
             if any(w == part or (len(w) > 4 and part.startswith(w)) for part in k.lower().split("_") for w in words)]
    line = product_line(r)
    if not asked:
        return line
    facts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in asked[:3])
    return f"{r.get('title')} ({r.get('id')}): {facts}. {line}"
