"""One raw feed record (a dict of source fields) turned into a validated Product, or a readable reason."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .feeds_fields import ReadOptions, availability, clean_text, image_list, published, structured, visibility
from .feeds_html import html_to_text, looks_like_html
from .money import MoneyError, parse_money
from .product import MAX_TEXT, Product, Variant

__all__ = ["FeedError", "Note", "ReadOptions", "Rejection", "RowError", "apply_mapping", "build_product",
           "field_of", "norm_key"]


class FeedError(Exception):
    """The whole file cannot be read (missing, not text, not the format it claims, unknown format)."""


@dataclass
class Rejection:
    """One row that did not become a product, and why."""

    file: str
    line: int
    reason: str
    product_id: str | None = None


class Note(Rejection):
    """Something odd in a row that was kept anyway (an unknown availability, a broken image URL)."""


class RowError(ValueError):
    """One record cannot become a product; the message is the human reason."""

    def __init__(self, reason: str, product_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.product_id = product_id


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


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)


def _text(name: str, value: Any, single_line: bool = False) -> str:
    if isinstance(value, str):
        return clean_text(value, single_line=single_line)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise RowError(f"{name}: expected text, got {_kind(value)}")


def money(name: str, value: Any, currency: str | None, options: ReadOptions) -> tuple[float, str]:
    """A price and its currency (written, else `currency`); a price in no known currency is a RowError."""
    try:
        amount, found = parse_money(value, currency, options.decimal)
    except MoneyError as error:
        raise RowError(f"{name}: {error}") from None
    if found is None:
        raise RowError(f"{name}: no currency (the price names none, nor does the file): pass --currency, "
                       f"e.g. --currency EUR")
    return amount, found


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


_VARIANT_STOCK = ("stock", "inventory_quantity", "quantity", "qty", "stock_on_hand")


def _variants(value: Any, currency: str | None, options: ReadOptions) -> tuple[list[Variant | dict[str, Any]], str | None]:
    """Variants given inline in JSON (Medusa's `prices` lists, schema.org's per-variant offers); a feed reader
    may also pass ready Variant objects. Returns them and the currency their prices are in."""
    if not isinstance(value, list):
        raise RowError(f"variants: expected a list, got {_kind(value)}")
    variants: list[Variant | dict[str, Any]] = []
    for index, variant in enumerate(value):
        if isinstance(variant, Variant):
            variants.append(variant)
            continue
        if not isinstance(variant, dict):
            raise RowError(f"variants[{index}]: expected an object, got {_kind(variant)}")
        variant = {norm_key(str(k)): v for k, v in variant.items()}
        where = f"variants[{index}]"
        if _is_blank(variant.get("price")) and isinstance(variant.get("prices"), list):
            variant["price"], variant["currency"] = _price_in(variant.pop("prices"), currency or options.currency, where)
        stated = variant.pop("currency", None) or variant.pop("currency_code", None)
        for name in ("price", "sale_price"):
            if not _is_blank(variant.get(name)):
                amount, found = money(f"{where}.{name}", variant[name], stated or currency, options)
                if currency is not None and found != currency:
                    raise RowError(f"{where}.{name}: in {found}, the product in {currency}")
                variant[name], currency = amount, found
        for name in ("barcode", "ean", "upc", "gtin13", "gtin12"):
            variant.setdefault("gtin", variant.get(name))
        for name in _VARIANT_STOCK:
            if not _is_blank(variant.get(name)) and not isinstance(variant.get("stock"), int):
                variant["stock"] = max(0, _whole(f"{where}.{name}", variant[name]))
        if "availability" in variant:
            known = availability(variant.pop("availability"))
            if known is not None:
                variant["available"], variant["backorder"] = known[0], known[1] == "backorder"
        if variant.get("allow_backorder") is True:
            variant["backorder"] = True
        if isinstance(variant.get("options"), list):  # Medusa: [{"option": "Size", "value": "M"}]
            variant["options"] = {str(o.get("option") or o.get("name") or o.get("title") or i).lower():
                                  str(o.get("value")) for i, o in enumerate(variant["options"])
                                  if isinstance(o, dict) and o.get("value") is not None}
        elif isinstance(variant.get("options"), dict):
            variant["options"] = {str(k).lower(): _scalar(v) for k, v in variant["options"].items() if not _is_blank(v)}
        if variant.get("id") is None:
            variant["id"] = variant.get("sku") or variant.get("title")
        if variant.get("id") is None:
            raise RowError(f"{where}: missing id (and sku)")
        variant["id"] = _text(f"{where}.id", variant["id"], single_line=True)
        variants.append(variant)
    return variants, currency


def _price_in(prices: list[Any], currency: str | None, where: str) -> tuple[Any, str | None]:
    """Medusa's [{"amount": 10, "currency_code": "eur"}, ...]: the one in `currency`, or the only one."""
    found = {str(p.get("currency_code") or p.get("currency") or "").upper(): p.get("amount")
             for p in prices if isinstance(p, dict) and p.get("amount") is not None}
    if currency is not None and currency in found:
        return found[currency], currency
    if len(found) == 1:
        code, amount = found.popitem()
        return amount, code or None
    if not found:
        return None, None
    raise RowError(f"{where}: prices in several currencies ({', '.join(sorted(found))}): pass --currency")


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
        text = clean_text(_scalar(value))
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
