"""Delimited feeds (generic CSV, Merchant Center TSV/CSV) and Merchant Center RSS/Atom XML."""

from __future__ import annotations

import csv
import io
import re
import xml.sax
from typing import Any
from xml.sax.handler import ContentHandler, feature_namespaces

from pydantic import ValidationError

from .feeds_records import FeedError, Rejection, norm_key, validation_reason
from .product import Product, Variant

__all__ = ["group_variants", "is_merchant_header", "read_merchant", "read_table", "sniff_delimiter"]

Records = list[tuple[int, dict[str, Any]]]
GOOGLE_NS = "http://base.google.com/ns/1.0"
# Merchant attributes that tell variants of one item group apart.
_OPTION_KEYS = ("color", "size", "material", "pattern", "gender", "age_group", "size_type", "size_system")
# Column names that only a Merchant Center feed uses; a CSV with any of them is read as one.
_MERCHANT_ONLY = {"image_link", "item_group_id", "google_product_category", "gtin", "mpn", "sale_price_effective_date"}
_MERCHANT_CORE = {"id", "title", "price", "availability", "link"}


def read_table(text: str, source: str, delimiter: str = ",") -> tuple[Records, list[Rejection]]:
    """Rows of a delimited file with a header, keyed by column name; physical line numbers kept."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: Records = []
    rejections: list[Rejection] = []
    end_of_previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # e.g. a field over csv's size limit; the reader goes on after it
            if header is None:
                raise FeedError(f"{source}: unreadable header at line {reader.line_num}: {error}") from None
            rejections.append(Rejection(source, end_of_previous + 1, f"unreadable row: {error}"))
            end_of_previous = reader.line_num
            continue
        line, end_of_previous = end_of_previous + 1, reader.line_num  # a quoted field may span lines
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = _header(row, source)
            continue
        if len(row) != len(header):
            much = "too many" if len(row) > len(header) else "too few"
            reason = f"{much} columns: expected {len(header)}, found {len(row)}"
            if reader.line_num > line:
                reason += f" (the row runs to line {reader.line_num}: is a quote left open?)"
            rejections.append(Rejection(source, line, reason))
            continue
        # Columns with an empty header (a trailing delimiter) carry nothing we could name.
        records.append((line, {name: cell for name, cell in zip(header, row) if name}))
    return records, rejections


def _header(row: list[str], source: str) -> list[str]:
    names = [cell.strip() for cell in row]
    duplicates = sorted({name for name in names if name and names.count(name) > 1})
    if duplicates:
        raise FeedError(f"{source}: duplicate column names in the header: {', '.join(duplicates)}")
    return names


_DELIMITERS = ("\t", ";", ",", "|")  # a tie goes to the earlier one


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most columns: tab (Merchant TSV), semicolon
    (Excel in most of Europe), comma, or pipe. Delimiters inside quoted header names do not count."""
    first = next((line for line in text[:100_000].splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', '""', first)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def is_merchant_header(names: list[str]) -> bool:
    """Whether a CSV header names Merchant Center attributes ("g:id", "image_link", ...)."""
    if any(name.strip().startswith("g:") for name in names):
        return True
    keys = {norm_key(name) for name in names}
    return bool(keys & _MERCHANT_ONLY) or _MERCHANT_CORE <= keys


def read_merchant(data: bytes, text: str | None, source: str,
                  delimiter: str | None = None) -> tuple[Records, list[Rejection]]:
    """Merchant Center feed: RSS/Atom XML when it starts with '<', else TSV (or CSV) with a header."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _read_xml(data, source), []
    if text is None:
        raise FeedError(f"{source}: a Merchant Center feed must be XML or text")
    records, rejections = read_table(text, source, delimiter or sniff_delimiter(text))
    # Headers may be "g:item_group_id" or "Item Group ID": one spelling, so grouping and options find them.
    return [(line, {norm_key(key): value for key, value in row.items()}) for line, row in records], rejections


class _ItemHandler(ContentHandler):
    """Collects each <item> (RSS) or <entry> (Atom) as a flat dict with the line it starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.items: Records = []
        self._locator: Any = None
        self._fields: tuple[dict[str, Any], dict[str, Any]] | None = None  # (plain, g:) elements
        self._line = 0
        self._path: list[str] = []
        self._texts: list[list[str]] = []
        self._google: list[bool] = []

    def setDocumentLocator(self, locator: Any) -> None:  # noqa: N802 (SAX names)
        self._locator = locator

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:  # noqa: N802
        uri, local = name
        if self._fields is None:
            if local in ("item", "entry"):
                self._fields, self._line = ({}, {}), self._locator.getLineNumber()
            return
        self._path.append(local)
        href = attrs.get((None, "href"))  # Atom: <link href="..."/>
        self._texts.append([href] if href else [])
        self._google.append(uri == GOOGLE_NS)

    def characters(self, content: str) -> None:
        if self._texts:
            self._texts[-1].append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:  # noqa: N802
        if self._fields is None:
            return
        if not self._path:
            plain, google = self._fields
            self.items.append((self._line, {**plain, **google}))  # g:id beats Atom's own <id>
            self._fields = None
            return
        key, text = ".".join(self._path), "".join(self._texts.pop()).strip()
        fields = self._fields[self._google.pop()]
        self._path.pop()
        if text:
            previous = fields.get(key)  # a repeated element (additional_image_link) becomes a list
            fields[key] = text if previous is None else [*previous, text] if isinstance(previous, list) else [previous, text]


def _read_xml(data: bytes, source: str) -> Records:
    # defusedxml is not available: refuse any DTD, which is where entity-expansion attacks live.
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise FeedError(f"{source}: XML with a DOCTYPE or ENTITY declaration is refused (entity expansion risk)")
    handler = _ItemHandler()
    parser = xml.sax.make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    try:
        parser.parse(io.BytesIO(data))
    except xml.sax.SAXParseException as error:
        raise FeedError(f"{source}: not well-formed XML: {error.getMessage()} "
                        f"at line {error.getLineNumber()} column {error.getColumnNumber()}") from None
    return [(line, _structured(item)) for line, item in handler.items]


def _structured(item: dict[str, Any]) -> dict[str, Any]:
    """<g:shipping><g:country>US</g:country><g:price>4.99 USD</g:price></g:shipping>, flattened by the
    parser to "shipping.country" ..., back into {"shipping": [{"country": "US", "price": "4.99 USD"}]}."""
    for name in ("shipping", "tax"):
        parts = {key.split(".", 1)[1]: value for key, value in item.items() if key.startswith(f"{name}.")}
        if not parts:
            continue
        for key in parts:
            del item[f"{name}.{key}"]
        count = max(len(v) if isinstance(v, list) else 1 for v in parts.values())
        columns = {k: v if isinstance(v, list) else [v] * count for k, v in parts.items()}
        item[name] = [{k: v[i] for k, v in columns.items() if i < len(v)} for i in range(count)]
    return item


def group_variants(products: list[tuple[int, Product]], source: str) -> tuple[list[tuple[int, Product]], list[Rejection]]:
    """Merchant rows sharing an item_group_id become one product with a variant per row."""
    out: list[tuple[int, Product]] = []
    groups: dict[str, list[tuple[int, Product]]] = {}
    for line, product in products:
        group_id = product.attributes.get("item_group_id")
        if group_id is None:
            out.append((line, product))
        else:
            groups.setdefault(group_id, []).append((line, product))
    rejections: list[Rejection] = []
    for group_id, members in groups.items():
        try:
            out.append((members[0][0], _merge(group_id, [product for _, product in members])))
        except ValueError as error:  # pydantic's ValidationError too
            reason = validation_reason(error) if isinstance(error, ValidationError) else str(error)
            rejections += [Rejection(source, line, f"item_group_id: {reason}", group_id) for line, _ in members]
    out.sort(key=lambda item: item[0])
    return out, rejections


def _merge(group_id: str, members: list[Product]) -> Product:
    first = members[0]
    if len({p.currency for p in members}) > 1:
        raise ValueError(f"item group {group_id!r} mixes currencies")
    variants = [Variant(id=p.id, title=p.title, options=_options(p), price=p.price, sale_price=p.sale_price,
                        stock=p.stock, available=p.available, backorder=p.backorder, gtin=p.gtin, mpn=p.mpn,
                        sku=p.mpn, image_url=p.image_url, url=p.url)
                for p in members]
    # Attributes every row agrees on describe the product; options are summarised ("Red, Blue").
    attributes = {key: value for key, value in first.attributes.items()
                  if key not in ("item_group_id", *_OPTION_KEYS)
                  and all(p.attributes.get(key) == value for p in members)}
    for key in _OPTION_KEYS:
        values = dict.fromkeys(v.options[key] for v in variants if key in v.options)
        if values:
            attributes[key] = ", ".join(values)
    cheapest = min(members, key=lambda p: p.effective_price)  # the "from" price a shopper sees
    stocks = [p.stock for p in members if p.stock is not None]
    images = list(dict.fromkeys(url for p in members for url in p.images))
    return Product.model_validate({
        **first.model_dump(), "id": group_id, "title": _group_title(first.title, variants[0].options),
        "price": cheapest.price, "sale_price": cheapest.sale_price, "currency": cheapest.currency,
        "stock": sum(stocks) if stocks else None, "available": any(p.available for p in members),
        "attributes": attributes, "variants": [v.model_dump() for v in variants], "images": images,
        "gtin": None, "mpn": None,  # per variant
        "published": any(p.published for p in members), "backorder": any(p.backorder for p in members),
    })


def _options(product: Product) -> dict[str, str]:
    return {key: product.attributes[key] for key in _OPTION_KEYS if key in product.attributes}


def _group_title(title: str, options: dict[str, str]) -> str:
    """The first item's title without its variant values: "Diesel Men's Jeans - Blue - 32" -> "Diesel Men's Jeans"."""
    stripped = title
    for value in sorted(options.values(), key=len, reverse=True):
        if len(value) >= 1:
            stripped = re.sub(rf"(?i)[\s,/|(\-–—:]*\b{re.escape(value)}\b\)?", "", stripped)
    stripped = " ".join(stripped.split()).strip(" -–—,/|(:")
    return stripped if len(stripped) >= 3 else title
