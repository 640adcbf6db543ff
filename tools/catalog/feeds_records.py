"""One raw feed record (a dict of source fields) turned into a validated Product, or a readable reason."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .feeds_html import html_to_text, looks_like_html
from .money import MoneyError, parse_money
from .product import MAX_TEXT, Product, Variant

__all__ = ["FeedError", "Rejection", "RowError", "apply_mapping", "build_product", "field_of", "norm_key"]


class FeedError(Exception):
    """The whole file cannot be read (missing, not text, not the format it claims, unknown format)."""


@dataclass
class Rejection:
    """One row that did not become a product, and why."""

    file: str
    line: int
    reason: str
    product_id: str | None = None


class RowError(ValueError):
    """One record cannot become a product; the message is the human reason."""

    def __init__(self, reason: str, product_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.product_id = product_id


# Our field name -> the source names that mean it, best first. Keys are compared after norm_key().
_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "product_id", "item_id", "offer_id", "sku"),
    "title": ("title", "name", "product_name", "item_name"),
    "description": ("description", "body_html", "body", "long_description", "desc", "summary"),
    "brand": ("brand", "vendor", "manufacturer"),
    "category": ("category", "categories", "category_path", "product_type", "product_category",
                 "google_product_category", "type"),
    "price": ("price", "regular_price", "list_price"),
    "currency": ("currency", "currency_code", "price_currency"),
    "sale_price": ("sale_price", "special_price", "discount_price"),
    "rating": ("rating", "average_rating", "avg_rating", "stars"),
    "review_count": ("review_count", "reviews_count", "num_reviews", "number_of_reviews", "rating_count"),
    "stock": ("stock", "quantity", "qty", "inventory", "inventory_quantity", "stock_quantity"),
    "availability": ("availability", "availability_status", "available", "in_stock"),
    "tags": ("tags", "keywords"),
    "reviews": ("reviews",),
    "url": ("url", "link", "product_url"),
    "image_url": ("image_url", "image_link", "image", "images", "image_src", "thumbnail", "picture"),
    "variants": ("variants",),
    "attributes": ("attributes", "specs", "specifications"),
}
_FIELD_OF = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}
# A second image or link is noise in a descriptive attribute (it would pollute the search text).
_DROP_LOSERS = {"url", "image_url"}
_AVAILABLE = {"in stock", "instock", "available", "low stock", "limited availability", "preorder",
              "pre order", "backorder", "back order", "true", "yes", "y", "1"}
_UNAVAILABLE = {"out of stock", "outofstock", "sold out", "soldout", "discontinued", "unavailable",
                "not available", "false", "no", "n", "0"}
_PLAIN_AVAILABILITY = {"in stock", "instock", "available", "out of stock", "outofstock", "true", "false",
                       "yes", "no", "y", "n", "1", "0"}


@functools.lru_cache(maxsize=4096)  # every row repeats the same few keys
def norm_key(key: str) -> str:
    """'availabilityStatus', 'Review Count', 'g:image_link' -> 'availability_status', 'review_count', 'image_link'."""
    key = key.strip().rsplit(":", 1)[-1]  # XML-style namespace prefixes such as Merchant's "g:"
    key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key)
    return re.sub(r"[\s\-.]+", "_", key).lower()


def field_of(key: str) -> str | None:
    """Our field name for a source field name, if it is one we interpret."""
    return _FIELD_OF.get(norm_key(key))


def apply_mapping(record: dict[str, Any], mapping: dict[str, str] | None) -> dict[str, Any]:
    """Rename source fields to ours ('Item Name' matches item_name); a renamed field wins over its namesake."""
    if not mapping:
        return record
    by_norm = {norm_key(source): target for source, target in mapping.items()}
    kept: dict[str, Any] = {}
    renamed: dict[str, Any] = {}
    for key, value in record.items():
        target = mapping.get(key) or by_norm.get(norm_key(str(key)))
        if target:
            renamed[target] = value
        else:
            kept[key] = value
    return {**kept, **renamed}


def build_product(record: dict[str, Any]) -> Product:
    """Interpret one record's fields and validate the Product; raise RowError with a short reason."""
    fields, extras, blank = _canonical(record)
    product_id = _product_id(fields.get("id"), "id" in blank)
    try:
        kwargs = _product_kwargs(fields, extras, product_id)
        return Product(**kwargs)
    except RowError as error:
        raise RowError(error.reason, product_id) from None
    except ValidationError as error:
        raise RowError(validation_reason(error), product_id) from None


def validation_reason(error: ValidationError) -> str:
    """Pydantic's errors as 'price: must be >= 0; title: must not be blank'."""
    parts = []
    for item in error.errors():
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in item["loc"]).lstrip(".")
        parts.append(f"{where}: {_short_message(item)}" if where else _short_message(item))
    return "; ".join(parts)


def _short_message(item: Any) -> str:
    kind, ctx, value = item["type"], item.get("ctx") or {}, item.get("input")
    if kind == "greater_than_equal":
        return f"must be >= {ctx['ge']} (got {value})"
    if kind == "less_than_equal":
        return f"must be <= {ctx['le']} (got {value})"
    if kind == "string_too_long":
        return f"too long ({len(value)} characters, max {ctx['max_length']})"
    if kind in ("string_too_short", "missing"):
        return "missing" if kind == "missing" else "must not be empty"
    if kind in ("float_parsing", "float_type"):
        return f"not a number: {value!r}"
    if kind == "value_error":
        return str(ctx.get("error", item["msg"]))
    return item["msg"][:1].lower() + item["msg"][1:]


def _canonical(record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], set[str]]:
    """Split a record into our fields (best alias wins), leftover source fields, and fields seen blank."""
    best: dict[str, tuple[int, str, Any]] = {}
    extras: dict[str, Any] = {}
    blank: set[str] = set()
    for key, value in record.items():
        alias = norm_key(str(key))
        field = _FIELD_OF.get(alias)
        if field is None:
            extras[str(key)] = value
            continue
        if _is_blank(value):
            blank.add(field)
            continue
        candidate = (_ALIASES[field].index(alias), str(key), value)
        loser = candidate
        if field not in best or candidate[0] < best[field][0]:
            loser, best[field] = best.get(field), candidate
        if loser is not None and field not in _DROP_LOSERS:
            extras[loser[1]] = loser[2]  # e.g. DummyJSON's "sku" beside its "id" is still worth keeping
    return {field: value for field, (_, _, value) in best.items()}, extras, blank


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _product_id(value: Any, seen_blank: bool) -> str:
    if value is None:
        raise RowError("blank id" if seen_blank else "missing id")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a JSON 1.0 id is the same product as 1
    return _text("id", value)


def _product_kwargs(fields: dict[str, Any], extras: dict[str, Any], product_id: str) -> dict[str, Any]:
    if "title" not in fields:
        raise RowError("missing title")
    if "price" not in fields:
        raise RowError("missing price")
    attributes: dict[str, str] = {}
    if "attributes" in fields:
        if not isinstance(fields["attributes"], dict):
            raise RowError(f"attributes: expected an object, got {_kind(fields['attributes'])}")
        _flatten("", fields["attributes"], attributes)
    for key, value in extras.items():
        _flatten(key, value, attributes)
    price, currency = _money("price", fields["price"], fields.get("currency"))
    kwargs: dict[str, Any] = {"id": product_id, "title": _text("title", fields["title"]),
                              "price": price, "currency": currency, "attributes": attributes}
    if "sale_price" in fields:
        sale, _ = _money("sale_price", fields["sale_price"], currency)
        if sale < price:  # a "sale" at or above the price is no sale: keep the row, drop the claim
            kwargs["sale_price"] = sale
    if "description" in fields:
        text = _text("description", fields["description"])
        kwargs["description"] = html_to_text(text) if looks_like_html(text) else text
    for name in ("brand", "url"):
        if name in fields:
            kwargs[name] = _text(name, fields[name])
    if "image_url" in fields:
        kwargs["image_url"] = _first_text("image_url", fields["image_url"])
    if "category" in fields:
        kwargs["category"] = _category(fields["category"])
    if "tags" in fields:
        kwargs["tags"] = _tags(fields["tags"])
    if "rating" in fields:
        kwargs["rating"] = _number("rating", fields["rating"])
    if "stock" in fields:
        kwargs["stock"] = _whole("stock", fields["stock"])
        if kwargs["stock"] < 0:
            raise RowError(f"stock: must be >= 0 (got {kwargs['stock']})")
    if "availability" in fields:
        kwargs["available"], label = _availability(fields["availability"])
        if label not in _PLAIN_AVAILABILITY:
            attributes["availability"] = label  # "preorder", "low stock": worth telling a shopper
    if "reviews" in fields:
        kwargs["reviews"] = _reviews(fields["reviews"])
    if "review_count" in fields:
        kwargs["review_count"] = _whole("review_count", fields["review_count"])
    elif kwargs.get("reviews"):
        kwargs["review_count"] = len(kwargs["reviews"])
    if "variants" in fields:
        kwargs["variants"] = _variants(fields["variants"], currency)
    return kwargs


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)


def _text(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise RowError(f"{name}: expected text, got {_kind(value)}")


def _first_text(name: str, value: Any) -> str:
    """An image field may be one URL or a list of them (DummyJSON 'images'): take the first."""
    if isinstance(value, list):
        if not value:
            raise RowError(f"{name}: empty list")
        value = value[0]
    return _text(name, value)


def _money(name: str, value: Any, currency: Any) -> tuple[float, str]:
    default = _text("currency", currency).upper() if currency is not None else "USD"
    if not re.fullmatch(r"[A-Z]{3}", default):
        raise RowError(f"currency: expected a three-letter code such as USD, got {currency!r}")
    try:
        return parse_money(value, default)
    except MoneyError as error:
        raise RowError(f"{name}: {error}") from None


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise RowError(f"{name}: not a number: {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise RowError(f"{name}: not a number: {value!r}") from None
    if not math.isfinite(number):
        raise RowError(f"{name}: not a number: {value!r}")
    return number


def _whole(name: str, value: Any) -> int:
    try:
        number = _number(name, value.strip() if isinstance(value, str) else value)
    except RowError:
        number = math.nan  # reported below like any other non-integer
    if not number.is_integer():
        raise RowError(f"{name}: not a whole number: {value!r}")
    return int(number)


def _availability(value: Any) -> tuple[bool, str]:
    if isinstance(value, bool):
        return value, str(value).lower()
    label = _text("availability", value).rsplit("/", 1)[-1]  # schema.org URLs: ".../InStock"
    label = " ".join(re.sub(r"[_\-]", " ", label).lower().split())
    if label in _AVAILABLE:
        return True, label
    if label in _UNAVAILABLE:
        return False, label
    raise RowError(f"availability: unknown value {value!r} (expected e.g. 'in stock', 'out of stock', 'preorder')")


def _category(value: Any) -> list[str]:
    if isinstance(value, list):
        parts = [_text("category", part) for part in value]
    else:
        text = _text("category", value)
        separator = ">" if ">" in text else "/"  # "Home > Kitchen" or "home/kitchen"
        parts = text.split(separator)
    return [part.strip() for part in parts if part.strip()]


def _tags(value: Any) -> list[str]:
    if isinstance(value, list):
        tags = [_text("tags", tag) for tag in value]
    else:
        text = _text("tags", value)
        tags = text.split("|" if "|" in text else ",")
    return list(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))


def _reviews(value: Any) -> list[dict[str, Any]]:
    """Map review field names to ours; Product validation then checks the ratings."""
    if not isinstance(value, list):
        raise RowError(f"reviews: expected a list, got {_kind(value)}")
    reviews = []
    for index, review in enumerate(value):
        if not isinstance(review, dict):
            raise RowError(f"reviews[{index}]: expected an object, got {_kind(review)}")
        review = {norm_key(str(k)): v for k, v in review.items() if not _is_blank(v)}
        mapped = {"rating": _pick(review, "rating", "stars", "score"),
                  "text": _pick(review, "comment", "text", "body", "review", "content") or "",
                  "date": _pick(review, "date", "created_at", "submitted_at"),
                  "author": _pick(review, "reviewer_name", "author", "reviewer", "name", "user")}
        if mapped["rating"] is not None:
            mapped["rating"] = _number(f"reviews[{index}].rating", mapped["rating"])
        # Absent fields are left out so that a review without a rating reads "rating: missing".
        reviews.append({k: v if k == "rating" else str(v) for k, v in mapped.items() if v is not None})
    return reviews


def _pick(record: dict[str, Any], *names: str) -> Any:
    return next((record[name] for name in names if name in record), None)


def _variants(value: Any, currency: str) -> list[Variant | dict[str, Any]]:
    """Variants given inline in JSON; a feed reader may also pass ready Variant objects."""
    if not isinstance(value, list):
        raise RowError(f"variants: expected a list, got {_kind(value)}")
    variants: list[Variant | dict[str, Any]] = []
    for index, variant in enumerate(value):
        if isinstance(variant, Variant):
            variants.append(variant)
            continue
        if not isinstance(variant, dict):
            raise RowError(f"variants[{index}]: expected an object, got {_kind(variant)}")
        variant = dict(variant)
        for name in ("price", "sale_price"):
            if not _is_blank(variant.get(name)):
                variant[name] = _money(f"variants[{index}].{name}", variant[name], currency)[0]
        if variant.get("id") is None and variant.get("sku") is not None:
            variant["id"] = variant["sku"]
        variants.append(variant)
    return variants


def _flatten(key: str, value: Any, out: dict[str, str]) -> None:
    """Unknown fields become text attributes: nested objects as 'dimensions.width', lists joined."""
    if _is_blank(value):
        return
    if isinstance(value, dict):
        for sub_key, sub_value in value.items():
            _flatten(f"{key}.{sub_key}" if key else str(sub_key), sub_value, out)
        return
    if isinstance(value, list):
        items = [item for item in value if isinstance(item, (str, int, float)) and not _is_blank(item)]
        if not items or len(items) != len(value):
            return  # lists of objects have no sensible one-line text form
        text = ", ".join(_scalar(item) for item in items)
    else:
        text = _scalar(value)
    if text.startswith(("http://", "https://")):
        return  # URLs (QR codes, extra images) describe nothing a shopper searches for
    if len(text) > MAX_TEXT:
        raise RowError(f"{key}: too long ({len(text)} characters, max {MAX_TEXT})")
    out[key] = text


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
