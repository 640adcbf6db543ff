"""schema.org JSON-LD: Product, ProductGroup (hasVariant), Offer and AggregateOffer, in a .jsonld file, a
JSON document, or the <script type="application/ld+json"> blocks of a saved HTML page."""

from __future__ import annotations

import json
import re
from typing import Any

from .feeds_records import FeedError, Rejection

__all__ = ["is_jsonld", "read_jsonld"]

Records = list[tuple[int, dict[str, Any]]]
_SCRIPT = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_GTINS = ("gtin", "gtin13", "gtin12", "gtin14", "gtin8", "isbn")


def is_jsonld(text: str) -> bool:
    """A schema.org document: an @context or @type naming schema.org products."""
    head = text[:20_000]
    return ('"@context"' in head or '"@type"' in head) and bool(re.search(r'"@type"\s*:\s*"(Product|ProductGroup)"', head)) \
        or bool(_SCRIPT.search(head))


def read_jsonld(text: str, source: str) -> tuple[Records, list[Rejection]]:
    """One record per Product or ProductGroup node, a group's variants inline; each with its line."""
    blocks = [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in _SCRIPT.finditer(text)] or [(1, text)]
    records: Records = []
    rejections: list[Rejection] = []
    for first_line, block in blocks:
        try:
            document = json.loads(block)
        except json.JSONDecodeError as error:
            if len(blocks) == 1:
                raise FeedError(f"{source}: not valid JSON-LD: {error.msg} at line {error.lineno}") from None
            rejections.append(Rejection(source, first_line + error.lineno - 1, f"invalid JSON-LD block: {error.msg}"))
            continue
        for node in _nodes(document):
            kind = _types(node)
            if "ProductGroup" in kind or ("Product" in kind and not node.get("isVariantOf")):
                records.append((first_line + _line_of(block, node), _record(node)))
    if not records and not rejections:
        raise FeedError(f"{source}: no schema.org Product or ProductGroup in it")
    return records, rejections


def _nodes(value: Any) -> list[dict[str, Any]]:
    """Top-level nodes: a list, an @graph, or one object."""
    if isinstance(value, list):
        return [node for item in value for node in _nodes(item)]
    if isinstance(value, dict):
        if isinstance(value.get("@graph"), list):
            return _nodes(value["@graph"])
        return [value]
    return []


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    return {str(k).rsplit("/", 1)[-1] for k in (kind if isinstance(kind, list) else [kind])}


def _line_of(block: str, node: dict[str, Any]) -> int:
    """Line (from 0) where the node's name or sku first appears: JSON has no line numbers of its own."""
    for key in ("sku", "productGroupID", "name"):
        if isinstance(node.get(key), str):
            position = block.find(json.dumps(node[key])[1:-1])
            if position >= 0:
                return block.count("\n", 0, position)
    return 0


def _name(value: Any) -> Any:
    """A Brand/Thing may be {"@type": "Brand", "name": "Acme"} or just "Acme"."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value.get("name") if isinstance(value, dict) else value


def _images(value: Any) -> Any:
    items = value if isinstance(value, list) else [value]
    return [item.get("url") or item.get("contentUrl") if isinstance(item, dict) else item for item in items if item]


def _offer(node: dict[str, Any]) -> dict[str, Any]:
    """The price, currency and availability of a node's offers: the cheapest Offer, or an AggregateOffer's low price."""
    offers = node.get("offers")
    items = offers if isinstance(offers, list) else [offers] if isinstance(offers, dict) else []
    flat = []
    for item in items:
        if "AggregateOffer" in _types(item) and isinstance(item.get("offers"), list):
            flat += [o for o in item["offers"] if isinstance(o, dict)]
        flat.append(item)
    best: dict[str, Any] = {}
    for item in flat:
        spec = item.get("priceSpecification")
        spec = spec[0] if isinstance(spec, list) and spec else spec if isinstance(spec, dict) else {}
        price = item.get("price", item.get("lowPrice", spec.get("price")))
        if price in (None, ""):
            continue
        candidate = {"price": price, "currency": item.get("priceCurrency") or spec.get("priceCurrency"),
                     "availability": item.get("availability"), "condition": item.get("itemCondition"),
                     "url": item.get("url"), "sale_dates": item.get("priceValidUntil") and f"/{item['priceValidUntil']}"}
        if not best or _number(price) < _number(best["price"]):
            best = candidate
    return {key: value for key, value in best.items() if value not in (None, "")}


def _number(value: Any) -> float:
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return float("inf")


def _record(node: dict[str, Any]) -> dict[str, Any]:
    rating = node.get("aggregateRating") if isinstance(node.get("aggregateRating"), dict) else {}
    record: dict[str, Any] = {
        "id": node.get("sku") or node.get("productGroupID") or node.get("productID") or node.get("@id"),
        "title": node.get("name"), "description": node.get("description"), "brand": _name(node.get("brand")),
        "category": _name(node.get("category")), "image": _images(node.get("image")), "url": node.get("url"),
        "gtin": next((node[key] for key in _GTINS if node.get(key)), None), "mpn": node.get("mpn"),
        "color": node.get("color"), "size": _name(node.get("size")), "material": node.get("material"),
        "condition": node.get("itemCondition"), "rating": rating.get("ratingValue"), "review_count": rating.get("reviewCount") or rating.get("ratingCount"),
        **_offer(node),
    }
    variants = node.get("hasVariant")
    if isinstance(variants, list):
        varies = [str(v).rsplit("/", 1)[-1] for v in (node.get("variesBy") or [])]
        record["variants"] = [_variant(v, varies) for v in variants if isinstance(v, dict)]
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def _variant(node: dict[str, Any], varies: list[str]) -> dict[str, Any]:
    offer = _offer(node)
    options = {name.lower(): str(_name(node[name])) for name in varies or ("color", "size", "material", "pattern")
               if node.get(name) not in (None, "")}
    availability = offer.get("availability")
    variant = {"id": node.get("sku") or node.get("@id") or node.get("name"), "title": node.get("name"),
               "options": options, "price": offer.get("price"), "currency": offer.get("currency"),
               "gtin": next((node[key] for key in _GTINS if node.get(key)), None), "mpn": node.get("mpn"),
               "sku": node.get("sku"), "url": offer.get("url") or node.get("url"),
               "availability": availability, "image_url": (_images(node.get("image")) or [None])[0]}
    return {key: value for key, value in variant.items() if value not in (None, "", {})}
