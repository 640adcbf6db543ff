"""One raw feed record (a dict of source fields) turned into a validated Product, or a readable reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .feeds_fields import ReadOptions, availability, image_list, published, structured, visibility
from .feeds_html import html_to_text, looks_like_html
from .feeds_nested import reviews as _reviews
from .feeds_nested import variants as _variants
from .feeds_values import RowError, money, norm_key
from .feeds_values import as_list as _as_list
from .feeds_values import category as _category
from .feeds_values import flatten as _flatten
from .feeds_values import is_blank as _is_blank
from .feeds_values import kind as _kind
from .feeds_values import number as _number
from .feeds_values import tags as _tags
from .feeds_values import text as _text
from .feeds_values import whole as _whole
from .product import Product, Variant

__all__ = ["REPORTED_IN_FULL", "FeedError", "Note", "ReadOptions", "Rejection", "RejectionTally", "RowError",
           "apply_mapping", "build_product", "field_of", "money", "norm_key", "rejected_rows", "validation_reason"]


REPORTED_IN_FULL = 1000  # rejected rows kept and written one by one; the rest are counted by reason (a 50 MB
# file of junk must not hold millions of rows in memory nor write a 1 GB report)


class FeedError(Exception):
    """The whole file cannot be read (missing, not text, not the format it claims, unknown format)."""


@dataclass
class Rejection:
    """One row that did not become a product, and why; past the cap, one Rejection counts `count` rows."""

    file: str
    line: int
    reason: str
    product_id: str | None = None
    count: int = 1  # >1 only for RejectionTally's folded rows: `count` rows rejected for this reason


class Note(Rejection):
    """Something odd in a row that was kept anyway (an unknown availability, a broken image URL)."""


class RejectionTally:
    """Rejections as a reader meets them: the first `keep` in full, then one counting Rejection per reason, so
    a 50 MB file of junk rows holds a thousand rows in memory, not millions."""

    MAX_REASONS = 100  # reasons quoting a value ("invalid JSON … (column 17)") fold into one beyond this

    def __init__(self, keep: int = REPORTED_IN_FULL) -> None:
        self.keep, self.rows = keep, []
        self._folded: dict[str, Rejection] = {}

    def add(self, rejection: Rejection) -> None:
        if len(self.rows) < self.keep:
            self.rows.append(rejection)
            return
        reason = rejection.reason if len(self._folded) < self.MAX_REASONS or rejection.reason in self._folded \
            else "other reasons"
        if reason in self._folded:
            self._folded[reason].count += rejection.count
        else:
            self._folded[reason] = Rejection(rejection.file, rejection.line, reason, None, rejection.count)

    def result(self) -> list[Rejection]:
        return self.rows + list(self._folded.values())


def rejected_rows(rejections: list[Rejection]) -> int:
    """How many rows `rejections` stand for (folded ones count for many)."""
    return sum(r.count for r in rejections)


# Our field name -> the source names that mean it, best first. Keys are compared after norm_key().
_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "product_id", "item_id", "offer_id", "sku", "product_code", "handle"),
    "title": ("title", "name", "product_name", "item_name"),
    "description": ("description", "body_html", "body", "long_description", "desc", "summary"),
    "brand": ("brand", "vendor", "manufacturer", "brands"),
    "category": ("category", "categories", "category_path", "product_type", "product_category",
                 "google_product_category", "type"),
    "price": ("price", "regular_price", "list_price"),
    "currency": ("currency", "currency_code", "price_currency"),
    "sale_price": ("sale_price", "special_price", "discount_price"),
    "sale_dates": ("sale_price_effective_date", "sale_dates"),
    "gtin": ("gtin", "barcode", "ean", "upc", "isbn", "gtin13", "gtin12", "gtin14", "gtin8", "jan"),
    "mpn": ("mpn",),
    "condition": ("condition", "item_condition"),
    "shipping": ("shipping",),
    "tax": ("tax",),
    "published": ("published", "status", "product_online", "is_published", "enabled"),
    "visibility": ("visibility", "visibility_in_catalog", "catalog_visibility"),
    "backorder": ("backorders", "backorders_allowed", "allow_backorders", "backorder"),
    "rating": ("rating", "average_rating", "avg_rating", "stars"),
    "review_count": ("review_count", "reviews_count", "num_reviews", "number_of_reviews", "rating_count"),
    "stock": ("stock", "quantity", "qty", "inventory", "inventory_quantity", "stock_quantity"),
    "availability": ("availability", "availability_status", "available", "in_stock"),
    "tags": ("tags", "keywords"),
    "reviews": ("reviews",),
    "url": ("url", "link", "product_url"),
    "image_url": ("image_url", "image_link", "image", "images", "image_src", "thumbnail", "picture",
                  "base_image", "featured_asset", "additional_image_link", "additional_images"),
    "variants": ("variants",),
    "attributes": ("attributes", "specs", "specifications"),
}
_FIELD_OF = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}
# A second image or link is noise in a descriptive attribute (it would pollute the search text).
_DROP_LOSERS = {"url", "image_url"}


def field_of(key: str) -> str | None:
    """Our field name for a source field name, if it is one we interpret."""
    return _FIELD_OF.get(norm_key(key))


def apply_mapping(record: dict[str, Any], mapping: dict[str, str] | None) -> dict[str, Any]:
    """Rename source fields to ours ('Item Name' matches item_name); a renamed field wins over its namesake.

    A dotted source reaches into nested objects ("offers.price", "variants.0.sku"; in a list without an
    index, the first item), as in the JSON of Medusa or schema.org.
    """
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
    for source, target in mapping.items():
        if "." in source and source not in record and target not in renamed:
            value = _at_path(record, source.split("."))
            if value is not None:
                renamed[target] = value
    return {**kept, **renamed}


def _at_path(value: Any, path: list[str]) -> Any:
    for step in path:
        if isinstance(value, list):
            if step.isdigit():
                value = value[int(step)] if int(step) < len(value) else None
                continue
            value = value[0] if value else None
        if not isinstance(value, dict):
            return None
        value = value.get(step, next((v for k, v in value.items() if norm_key(str(k)) == norm_key(step)), None))
    return value


def build_product(record: dict[str, Any], options: ReadOptions = ReadOptions(),
                  notes: list[str] | None = None) -> Product:
    """Interpret one record's fields and validate the Product; raise RowError with a short reason.

    What is odd but harmless (an unknown availability value, a broken image URL) is appended to `notes`.
    """
    fields, extras, blank = _canonical(record)
    product_id = _product_id(fields.get("id"), "id" in blank)
    try:
        kwargs = _product_kwargs(fields, extras, product_id, options, notes if notes is not None else [])
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
    """Split a record into our fields (best alias wins), leftover source fields, and fields seen blank.

    Every image field counts (image_link, then additional_image_link ...): they are joined into one list.
    """
    best: dict[str, tuple[int, str, Any]] = {}
    extras: dict[str, Any] = {}
    blank: set[str] = set()
    images: list[tuple[int, Any]] = []
    for key, value in record.items():
        alias = norm_key(str(key))
        field = _FIELD_OF.get(alias)
        if field is None:
            extras[str(key)] = value
            continue
        if _is_blank(value):
            blank.add(field)
            continue
        if field == "image_url":
            images.append((_ALIASES[field].index(alias), value))
            continue
        candidate = (_ALIASES[field].index(alias), str(key), value)
        loser = candidate
        if field not in best or candidate[0] < best[field][0]:
            loser, best[field] = best.get(field), candidate
        if loser is not None and field not in _DROP_LOSERS:
            extras[loser[1]] = loser[2]  # e.g. DummyJSON's "sku" beside its "id" is still worth keeping
    fields = {field: value for field, (_, _, value) in best.items()}
    if images:
        fields["image_url"] = [item for _, value in sorted(images, key=lambda pair: pair[0])
                               for item in _as_list(value)]
    return fields, extras, blank


def _product_id(value: Any, seen_blank: bool) -> str:
    if value is None:
        raise RowError("blank id" if seen_blank else "missing id")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a JSON 1.0 id is the same product as 1
    return _text("id", value)


def _product_kwargs(fields: dict[str, Any], extras: dict[str, Any], product_id: str, options: ReadOptions,
                    notes: list[str]) -> dict[str, Any]:
    if "title" not in fields:
        raise RowError("missing title")
    stated = _text("currency", fields["currency"]).upper() if "currency" in fields else None
    if stated is not None and not re.fullmatch(r"[A-Z]{3}", stated):
        raise RowError(f"currency: expected a three-letter code such as USD, got {fields['currency']!r}")
    variants: list[Variant | dict[str, Any]] = []
    if "variants" in fields:
        variants, found = _variants(fields["variants"], stated or options.currency, options)
        stated = stated or found
    if "price" not in fields:
        priced = [v for v in variants if isinstance(v, dict) and isinstance(v.get("price"), float)]
        if not priced:
            raise RowError("missing price" + (" (on the product and on every variant)" if variants else ""))
        fields["price"] = min(v["price"] for v in priced)  # the "from" price
    attributes: dict[str, str] = {}
    if "attributes" in fields:
        if not isinstance(fields["attributes"], dict):
            raise RowError(f"attributes: expected an object, got {_kind(fields['attributes'])}")
        _flatten("", fields["attributes"], attributes)
    for key, value in extras.items():
        _flatten(key, value, attributes)
    price, currency = money("price", fields["price"], stated or options.currency, options)
    kwargs: dict[str, Any] = {"id": product_id, "title": _text("title", fields["title"], single_line=True),
                              "price": price, "currency": currency, "attributes": attributes}
    if "sale_price" in fields:
        sale, sale_currency = money("sale_price", fields["sale_price"], currency, options)
        if sale_currency != currency:
            notes.append(f"sale_price {fields['sale_price']!r} is in {sale_currency}, the price in {currency}: "
                         f"sale price ignored")
        elif sale < price:  # a "sale" at or above the price is no sale: keep the row, drop the claim
            kwargs["sale_price"] = sale
    if "description" in fields:
        text = _text("description", fields["description"])
        kwargs["description"] = html_to_text(text) if looks_like_html(text) else text
    for name in ("brand", "url", "gtin", "mpn", "condition", "sale_dates"):
        if name in fields:
            kwargs[name] = _text(name, fields[name], single_line=True)
    if "condition" in kwargs:
        kwargs["condition"] = kwargs["condition"].rsplit("/", 1)[-1].removesuffix("Condition").lower()
    if "image_url" in fields:
        good, bad = image_list(fields["image_url"])
        notes += [f"broken image URL {url!r} skipped" for url in bad]
        if good:
            kwargs["image_url"], kwargs["images"] = good[0], good
    for name in ("shipping", "tax"):
        if name in fields:
            kwargs[name] = structured(fields[name], name)
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
    _flags(fields, kwargs, attributes, notes)
    if "reviews" in fields:
        kwargs["reviews"] = _reviews(fields["reviews"])
    if "review_count" in fields:
        kwargs["review_count"] = _whole("review_count", fields["review_count"])
    elif kwargs.get("reviews"):
        kwargs["review_count"] = len(kwargs["reviews"])
    if variants:
        kwargs["variants"] = variants
    return kwargs


def _flags(fields: dict[str, Any], kwargs: dict[str, Any], attributes: dict[str, str], notes: list[str]) -> None:
    """Availability, backorder, publish and visibility; an unknown value is a note and the default stays."""
    if "availability" in fields:
        known = availability(fields["availability"])
        if known is None:
            notes.append(f"availability: unknown value {fields['availability']!r}, read as available")
        else:
            kwargs["available"], label = known
            kwargs["backorder"] = label == "backorder"
            if label in ("preorder", "backorder"):
                attributes["availability"] = label  # worth telling a shopper
    if "backorder" in fields:
        allowed = published(fields["backorder"])  # "yes"/"no"/"notify"/"1"
        if allowed is not None or str(fields["backorder"]).strip().lower() == "notify":
            kwargs["backorder"] = kwargs.get("backorder", False) or allowed is not False
    if "published" in fields:
        flag = published(fields["published"])
        if flag is None:
            notes.append(f"published/status: unknown value {fields['published']!r}, read as published")
        else:
            kwargs["published"] = flag
    if "visibility" in fields:
        shown = visibility(fields["visibility"])
        if shown is None:
            notes.append(f"visibility: unknown value {fields['visibility']!r}, read as visible")
        else:
            kwargs["visibility"] = shown


