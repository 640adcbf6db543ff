"""Merchant feeds (JSON, JSON Lines, JSON-LD, CSV, Google Merchant Center, Shopify, WooCommerce, Magento 2)
read into Products.

A bad row never stops a feed: it becomes a Rejection naming the file, the line and the reason, while the
good rows go in; an odd but harmless value becomes a Note. Only a file that cannot be read as a whole raises
FeedError. Nothing is guessed silently: a price that names no currency takes the file's one currency or
--currency, and "4.500" takes the file's decimal mark, the currency's convention or --decimal.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .feeds_decode import BOMS as _BOMS
from .feeds_decode import decode
from .feeds_json import looks_like_jsonl, read_json, read_jsonl
from .feeds_jsonld import is_jsonld, read_jsonld
from .feeds_synonyms import header_synonyms
from .feeds_records import (FeedError, Note, ReadOptions, Rejection, RejectionTally, RowError, apply_mapping,
                            build_product, field_of)
from .feeds_settle import settle
from .feeds_shopify import is_shopify_header, read_shopify
from .feeds_tabular import group_variants, is_merchant_header, read_merchant, read_table, sniff_delimiter
from .feeds_magento import is_magento_header, read_magento
from .feeds_vendure import is_vendure_header, read_vendure
from .feeds_woo import is_woo_header, read_woo
from .product import Product

__all__ = ["FORMATS", "FeedError", "FeedResult", "Note", "ReadOptions", "Rejection", "parse_mapping", "read_feed"]

FORMATS = ("auto", "json", "jsonl", "jsonld", "csv", "merchant", "shopify", "woocommerce", "magento", "vendure")
_TABLES = {"shopify": read_shopify, "woocommerce": read_woo, "magento": read_magento, "vendure": read_vendure}
_HEAD_CHARS = 1 << 20  # what format detection looks at in a JSON file read as a stream
_BY_EXTENSION = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".jsonld": "jsonld", ".xml": "merchant",
                 ".rss": "merchant", ".atom": "merchant", ".tsv": "merchant"}


@dataclass
class FeedResult:
    """What one feed file yielded: products with the line each starts on, and the rejected rows."""

    products: list[tuple[int, Product]]
    rejections: list[Rejection]
    format: str
    notes: list[Note] = field(default_factory=list)
    options: ReadOptions = ReadOptions()  # as settled from the file (the currency and decimal mark it used)


def read_feed(path: str | Path, format: str = "auto", mapping: dict[str, str] | None = None,
              options: ReadOptions | None = None) -> FeedResult:
    """Read one feed file; `mapping` renames source fields to ours first ({"name_of_item": "title"}, and
    dotted paths into nested JSON: {"offers.price": "price"})."""
    if format not in FORMATS:
        raise FeedError(f"unknown feed format {format!r}; expected one of {', '.join(FORMATS)}")
    options = options or ReadOptions()
    path, source = Path(path), str(path)
    try:
        streamed = _read_streamed(path, format, mapping, options)
    except OSError as error:
        raise FeedError(f"cannot read {source}: {error.strerror or error}") from None
    if streamed is not None:
        return streamed
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FeedError(f"cannot read {source}: {error.strerror or error}") from None
    is_xml = format in ("auto", "merchant") and path.suffix.lower() not in (".html", ".htm") and \
        data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    text = None if is_xml and options.encoding is None else decode(data, options.encoding, source)
    if format == "auto":
        format = _detect(path, text, source, is_xml, options)
    if not data.strip() or (text is not None and not text.strip()):
        return FeedResult([], [], format, [], options)
    notes: list[Note] = []
    if format in _TABLES:
        records, rejections = read_table(text or "", source, options.delimiter or sniff_delimiter(text or ""))
        records = [(line, apply_mapping(header_synonyms(record), mapping)) for line, record in records]
        options = settle(records, options)
        products, more = _TABLES[format](records, source, options, notes)
        rejections += more
    else:
        products, rejections, options = _read_records(format, data, text, source, mapping, options, notes)
    return _result(products, rejections, format, notes, options, source)


def _result(products: list[tuple[int, Product]], rejections: list[Rejection], format: str, notes: list[Note],
            options: ReadOptions, source: str) -> FeedResult:
    products, duplicates = _without_duplicates(products, source)
    rejections = sorted(rejections + duplicates, key=lambda rejection: rejection.line)
    return FeedResult(products, rejections, format, sorted(notes, key=lambda note: note.line), options)


def _read_streamed(path: Path, format: str, mapping: dict[str, str] | None, options: ReadOptions) -> FeedResult | None:
    """JSON and JSON Lines read from the open file, never whole (a 50 MB array is held row by row); None when the
    file needs the in-memory reader (JSON-LD, not UTF-8 or the named encoding, or another format)."""
    suffix = path.suffix.lower()
    if not (format in ("json", "jsonl") or format == "auto" and suffix in (".json", ".jsonl", ".ndjson")):
        return None
    with path.open("rb") as raw:
        start = raw.read(4)
    encoding = options.encoding or next((name for bom, name in _BOMS if start.startswith(bom)), "utf-8")
    try:
        with path.open(encoding=encoding) as stream:
            head = stream.read(_HEAD_CHARS)
            if format == "auto":
                format = "jsonld" if is_jsonld(head) else "jsonl" if suffix != ".json" or looks_like_jsonl(head) \
                    else "json"
            if format == "jsonld":
                return None
            if not head.strip() and len(head) < _HEAD_CHARS:
                return FeedResult([], [], format, [], options)
            stream.seek(0)
            notes: list[Note] = []
            products, rejections, options = _read_records(format, b"", stream, str(path), mapping, options, notes)
    except (UnicodeDecodeError, LookupError):  # read it whole: decode() names the problem or finds the encoding
        return None
    return _result(products, rejections, format, notes, options, str(path))


def parse_mapping(text: str) -> dict[str, str]:
    """Parse the --map option, "SRC=DST,SRC2=DST2", into {"SRC": "DST", ...}; ValueError when malformed."""
    mapping: dict[str, str] = {}
    if not text.strip():
        return mapping
    for entry in next(csv.reader([text])):  # csv, so a quoted "Name, long" source may hold a comma
        if not entry.strip():
            continue  # "a=b," : a trailing comma is harmless
        source, equals, target = (part.strip() for part in entry.partition("="))
        if not equals or not source or not target or "=" in target:
            raise ValueError(f"bad mapping entry {entry.strip()!r}: expected SOURCE=TARGET, e.g. name_of_item=title")
        if source in mapping:
            raise ValueError(f"bad mapping: source field {source!r} is mapped twice")
        mapping[source] = target
    return mapping


def _detect(path: Path, text: str | None, source: str, is_xml: bool, options: ReadOptions) -> str:
    """Format from the extension; for .csv and .txt also from the header row."""
    suffix = path.suffix.lower()
    if suffix in (".json", ".html", ".htm") and text is not None and is_jsonld(text):
        return "jsonld"
    if suffix == ".json" and text is not None and looks_like_jsonl(text):
        return "jsonl"  # JSON Lines saved with a .json name
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    if is_xml and suffix in (".txt", ""):
        return "merchant"
    if suffix in (".csv", ".txt") and text is not None:
        delimiter = options.delimiter or sniff_delimiter(text)
        header = next(csv.reader([next((line for line in text.splitlines() if line.strip()), "")],
                                 delimiter=delimiter), [])
        for name, test in (("shopify", is_shopify_header), ("woocommerce", is_woo_header),
                           ("magento", is_magento_header), ("vendure", is_vendure_header)):
            if test(header):
                return name
        if is_merchant_header(header) or (suffix == ".txt" and delimiter == "\t"):
            return "merchant"
        if suffix == ".csv":
            return "csv"
    raise FeedError(f"cannot tell the format of {source} from its name; pass a format, one of {', '.join(FORMATS[1:])}")


def _read_records(format: str, data: bytes, text: str | TextIO | None, source: str, mapping: dict[str, str] | None,
                  options: ReadOptions, notes: list[Note]) -> tuple[list[tuple[int, Product]], list[Rejection], ReadOptions]:
    """The formats where each record is one product (Merchant groups variants afterwards)."""
    records: list[tuple[int, dict[str, Any]]]
    if format == "merchant":
        records, rejections = read_merchant(data, text, source, options.delimiter)
    elif format == "json":
        records, rejections = read_json(text or "", source)
    elif format == "jsonl":
        records, rejections = read_jsonl(text or "", source)
    elif format == "jsonld":
        records, rejections = read_jsonld(text or "", source)
    else:
        records, rejections = read_table(text or "", source, options.delimiter or sniff_delimiter(text or ""))
        records = [(line, header_synonyms(record)) for line, record in records]
    records = [(line, apply_mapping(record, mapping)) for line, record in records]
    if format == "csv" and records:
        _check_columns(list(records[0][1]), source)
    options = settle(records, options)
    products = []
    tally = RejectionTally()  # bounded: a million rows of junk keep a thousand in full
    for rejection in rejections:
        tally.add(rejection)
    for line, record in records:
        said: list[str] = []
        try:
            product = build_product(record, options, said)
        except RowError as error:
            tally.add(Rejection(source, line, error.reason, error.product_id))
            continue
        products.append((line, product))
        notes += [Note(source, line, message, product.id) for message in said]
    rejections = tally.result()
    if format == "merchant":
        # Row ids must be unique before rows are folded into variants of their item group.
        products, duplicates = _without_duplicates(products, source)
        products, bad_groups = group_variants(products, source)
        rejections += duplicates + bad_groups
    return products, rejections, options


def _check_columns(columns: list[str], source: str) -> None:
    """A header with no column we read as id, title or price is a file to map, not rows to reject one by one."""
    found = {field_of(column) for column in columns}
    missing = [name for name in ("id", "title", "price") if name not in found]
    if missing:
        example = ",".join(f"{column}={name}" for column, name in zip(
            [c for c in columns if field_of(c) is None], missing))
        raise FeedError(f"{source}: no column is read as {', '.join(missing)} (columns: {', '.join(columns)}); "
                        f"name them with --map, e.g. --map '{example}'")


def _without_duplicates(products: list[tuple[int, Product]], source: str) -> tuple[list[tuple[int, Product]], list[Rejection]]:
    """The first product with an id wins; later ones are rejected naming the first one's line."""
    first_line: dict[str, int] = {}
    kept, rejected = [], []
    for line, product in products:
        if product.id in first_line:
            reason = f"duplicate id {product.id!r} (first on line {first_line[product.id]})"
            rejected.append(Rejection(source, line, reason, product.id))
        else:
            first_line[product.id] = line
            kept.append((line, product))
    return kept, rejected
