"""Magento 2's product import/export CSV: configurable products with their simple children
(`configurable_variations`), category paths, stock, website status and visibility."""

from __future__ import annotations

import re
from typing import Any

from .feeds_records import Note, ReadOptions, Rejection, RowError, build_product, money
from .product import Product, Variant

__all__ = ["is_magento_header", "read_magento"]

Records = list[tuple[int, dict[str, str]]]
_CONSUMED = {"sku", "store_view_code", "attribute_set_code", "product_type", "categories", "product_websites",
             "name", "description", "short_description", "product_online", "visibility", "price", "special_price",
             "special_price_from_date", "special_price_to_date", "base_image", "small_image", "thumbnail_image",
             "swatch_image", "additional_images", "qty", "is_in_stock", "allow_backorders", "additional_attributes",
             "configurable_variations", "configurable_variation_labels", "associated_skus", "base_image_label",
             "small_image_label", "thumbnail_image_label", "swatch_image_label", "additional_image_labels",
             "meta_title", "meta_keywords", "meta_description", "created_at", "updated_at", "new_from_date",
             "new_to_date", "display_product_options_in", "use_config_backorders", "use_config_min_qty",
             "out_of_stock_qty", "min_cart_qty", "max_cart_qty", "notify_on_stock_below", "manage_stock",
             "use_config_manage_stock", "qty_increments", "enable_qty_increments", "is_qty_decimal",
             "website_id", "related_skus", "crosssell_skus", "upsell_skus", "tax_class_name", "url_key",
             "custom_options", "bundle_price_type", "bundle_sku_type", "bundle_price_view", "bundle_weight_type",
             "bundle_values", "bundle_shipment_type", "map_price", "msrp_price", "map_enabled", "gift_message_available",
             "custom_design", "custom_design_from", "custom_design_to", "custom_layout_update", "page_layout",
             "product_options_container", "msrp_display_actual_price_type", "country_of_manufacture",
             "use_config_min_sale_qty", "use_config_max_sale_qty", "use_config_notify_stock_qty",
             "use_config_qty_increments", "use_config_enable_qty_inc", "is_decimal_divided", "hide_from_product_page",
             "related_position", "crosssell_position", "upsell_position", "weight", "product_type_id"}


def is_magento_header(names: list[str]) -> bool:
    """A Magento export names sku, product_type, attribute_set_code (or product_websites) and price."""
    keys = {name.strip().lower() for name in names}
    return {"sku", "product_type", "price"} <= keys and bool(keys & {"attribute_set_code", "product_websites"})


def read_magento(records: Records, source: str, options: ReadOptions,
                 notes: list[Note]) -> tuple[list[tuple[int, Product]], list[Rejection]]:
    """Products from Magento rows; the children a configurable names become its variants (not products)."""
    rows = [(line, {key.strip().lower(): value.strip() for key, value in record.items()}) for line, record in records]
    # Rows of a store view (store_view_code set) translate the default row; the default row is the product.
    rows = [(line, row) for line, row in rows if not row.get("store_view_code")]
    by_sku = {row["sku"]: (line, row) for line, row in rows if row.get("sku")}
    children: dict[str, list[tuple[dict[str, str], dict[str, str]]]] = {}  # parent sku -> (child row, options)
    consumed: set[str] = set()
    rejections: list[Rejection] = []
    for line, row in rows:
        if row.get("product_type") != "configurable":
            continue
        for entry in filter(None, row.get("configurable_variations", "").split("|")):
            values = _pairs(entry)
            sku = values.pop("sku", "")
            if sku in by_sku:
                children.setdefault(row["sku"], []).append((by_sku[sku][1], values))
                consumed.add(sku)
            else:
                rejections.append(Rejection(source, line, f"configurable_variations names unknown sku {sku!r}", row["sku"]))
    products: list[tuple[int, Product]] = []
    for line, row in rows:
        if row.get("sku") in consumed:
            continue
        try:
            product = _product(row, children.get(row.get("sku", ""), []), options, line, source, notes)
        except RowError as error:
            rejections.append(Rejection(source, line, error.reason, row.get("sku") or None))
            continue
        products.append((line, product))
    return products, rejections


def _pairs(text: str) -> dict[str, str]:
    """'sku=MH01-XS,size=XS,color=Black' -> {"sku": "MH01-XS", "size": "XS", "color": "Black"}.
    A value may hold a comma: only ',' followed by 'name=' starts a new pair."""
    pairs = {}
    for part in re.split(r",(?=[\w\- ]+=)", text):
        key, _, value = part.partition("=")
        if key.strip():
            pairs[key.strip().lower()] = value.strip()
    return pairs


def categories(text: str) -> list[list[str]]:
    """Magento's category paths: 'Default Category/Men/Tops,Default Category/Collections/Hoodies & Sweatshirts'.
    Paths are split only where a comma starts another path from the same root (names may hold commas), and
    the root ('Default Category') is dropped."""
    if not text.strip():
        return []
    root = text.split("/", 1)[0]
    paths = re.split(rf",(?={re.escape(root)}/)", text) if "/" in text else [text]
    out = []
    for path in paths:
        levels = [level.strip() for level in path.split("/") if level.strip()]
        if len(levels) > 1 and levels[0] == root:
            levels = levels[1:]
        if levels:
            out.append(levels)
    return out


def _stock(row: dict[str, str]) -> int | None:
    text = row.get("qty", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise RowError(f"qty: not a number: {text!r}") from None
    return max(0, int(number))


def _flag(row: dict[str, str], name: str) -> bool | None:
    value = row.get(name, "")
    return None if value == "" else value in ("1", "yes", "true")


def _variant(child: dict[str, str], values: dict[str, str], options: ReadOptions, currencies: set[str]) -> Variant:
    price = sale = None
    if child.get("price"):
        price, currency = money("price", child["price"], options.currency, options)
        currencies.add(currency)
    if child.get("special_price"):
        sale, currency = money("special_price", child["special_price"], options.currency, options)
        currencies.add(currency)
    images = [child.get("base_image", ""), *child.get("additional_images", "").split(",")]
    return Variant(id=child["sku"], title=child.get("name") or None, options=values, price=price,
                   sale_price=sale if price is not None and sale is not None and sale < price else None,
                   stock=_stock(child), available=_flag(child, "is_in_stock"),
                   backorder=_flag(child, "allow_backorders") or False, sku=child["sku"],
                   image_url=next((i.strip() for i in images if i.strip()), None))


def _product(row: dict[str, str], kids: list[tuple[dict[str, str], dict[str, str]]], options: ReadOptions,
             line: int, source: str, notes: list[Note]) -> Product:
    paths = categories(row.get("categories", ""))
    attributes = {key: value for key, value in _pairs(row.get("additional_attributes", "")).items() if value}
    attributes.update({key: value for key, value in row.items() if value and key not in _CONSUMED})
    if len(paths) > 1:
        attributes["categories"] = "; ".join(" > ".join(path) for path in paths)
    images = [row.get("base_image", ""), *row.get("additional_images", "").split(",")]
    record: dict[str, Any] = {
        "id": row.get("sku"), "title": row.get("name"),
        "description": row.get("description") or row.get("short_description"),
        "category": paths[0] if paths else None, "brand": attributes.pop("manufacturer", None) or attributes.pop("brand", None),
        "images": [image.strip() for image in images if image.strip()] or None,
        "published": row.get("product_online"), "visibility": row.get("visibility"),
        "sale_dates": "/".join(filter(None, (row.get("special_price_from_date"), row.get("special_price_to_date")))),
        "attributes": attributes,
    }
    if row.get("url_key"):
        attributes["url_key"] = row["url_key"]
    if kids:
        currencies: set[str] = set()
        variants = [_variant(child, values, options, currencies) for child, values in kids]
        if len(currencies) > 1:
            raise RowError(f"children in several currencies: {', '.join(sorted(currencies))}")
        priced = [v for v in variants if v.price is not None]
        if not priced and not row.get("price"):
            raise RowError("missing price (on the configurable and all its children)")
        if priced:
            cheapest = min(priced, key=lambda v: v.sale_price if v.sale_price is not None else v.price or 0)
            record.update(price=cheapest.price, sale_price=cheapest.sale_price,
                          currency=next(iter(currencies), None) or options.currency)
        else:
            record.update(price=row["price"], sale_price=row.get("special_price"))
        stocks = [v.stock for v in variants if v.stock is not None]
        # The configurable's own is_in_stock is Magento's roll-up; the children carry the real stock.
        record.update(variants=variants, stock=sum(stocks) if stocks else None,
                      availability=any(v.available is not False for v in variants))
    else:
        record.update(price=row.get("price"), sale_price=row.get("special_price"), stock=_stock(row),
                      backorders="1" if _flag(row, "allow_backorders") else "0")
        if _flag(row, "is_in_stock") is not None:
            record["availability"] = _flag(row, "is_in_stock")
    said: list[str] = []
    product = build_product({k: v for k, v in record.items() if v not in (None, "")}, options, said)
    notes += [Note(source, line, message, product.id) for message in said]
    return product
