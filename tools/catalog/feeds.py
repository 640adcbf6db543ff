"""Merchant feeds (JSON, JSON Lines, CSV, Google Merchant Center, Shopify) read into Products.

A bad row never stops a feed: it becomes a Rejection naming the file, the line and the reason, while the
good rows go in. Only a file that cannot be read as a whole raises FeedError.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .feeds_json import looks_like_jsonl, read_json, read_jsonl
from .feeds_records import FeedError, Rejection, RowError, apply_mapping, build_product
from .feeds_shopify import is_shopify_header, read_shopify
from .feeds_tabular import group_variants, is_merchant_header, read_merchant, read_table, sniff_delimiter
from .product import Product

__all__ = ["FORMATS", "FeedError", "FeedResult", "Rejection", "parse_mapping", "read_feed"]

FORMATS = ("auto", "json", "jsonl", "csv", "merchant", "shopify")
_BY_EXTENSION = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".xml": "merchant",
                 ".rss": "merchant", ".atom": "merchant", ".tsv": "merchant"}


@dataclass
class FeedResult:
    """What one feed file yielded: products with the line each starts on, and the rejected rows."""

    products: list[tuple[int, Product]]
    rejections: list[Rejection]
    format: str


def read_feed(path: str | Path, format: str = "auto", mapping: dict[str, str] | None = None) -> FeedResult:
    """Read one feed file; `mapping` renames source fields to ours first ({"name_of_item": "title"})."""
    if format not in FORMATS:
        raise FeedError(f"unknown feed format {format!r}; expected one of {', '.join(FORMATS)}")
    path, source = Path(path), str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FeedError(f"cannot read {source}: {error.strerror or error}") from None
    text = _decode(data)
    if text is None and not (format in ("auto", "merchant") and data.lstrip().startswith(b"<")):
        raise FeedError(f"{source}: not UTF-8 text")  # only XML may declare another encoding
    if format == "auto":
        format = _detect(path, text, source)
    if not data.strip() or (text is not None and not text.strip()):
        return FeedResult([], [], format)
    if format == "shopify":
        products, rejections = read_shopify(text or "", source, mapping)
    else:
        products, rejections = _read_records(format, data, text, source, mapping)
    products, duplicates = _without_duplicates(products, source)
    rejections = sorted(rejections + duplicates, key=lambda rejection: rejection.line)
    return FeedResult(products, rejections, format)


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


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")  # Excel writes a byte-order mark at the start of CSV exports
    except UnicodeDecodeError:
        return None


def _detect(path: Path, text: str | None, source: str) -> str:
    """Format from the extension; for .csv and .txt also from the header row."""
    suffix = path.suffix.lower()
    if suffix == ".json" and text is not None and looks_like_jsonl(text):
        return "jsonl"  # JSON Lines saved with a .json name
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    if suffix in (".csv", ".txt") and text is not None:
        header = next(csv.reader([next((line for line in text.splitlines() if line.strip()), "")],
                                 delimiter=sniff_delimiter(text)), [])
        if is_shopify_header(header):
            return "shopify"
        if is_merchant_header(text) or (suffix == ".txt" and "\t" in text.partition("\n")[0]):
            return "merchant"
        if suffix == ".csv":
            return "csv"
    raise FeedError(f"cannot tell the format of {source} from its name; pass a format, one of {', '.join(FORMATS[1:])}")


def _read_records(format: str, data: bytes, text: str | None, source: str,
                  mapping: dict[str, str] | None) -> tuple[list[tuple[int, Product]], list[Rejection]]:
    """The formats where each record is one product (Merchant groups variants afterwards)."""
    if format == "merchant":
        records, rejections = read_merchant(data, text, source)
    elif format == "json":
        records, rejections = read_json(text or "", source)
    elif format == "jsonl":
        records, rejections = read_jsonl(text or "", source)
    else:
        records, rejections = read_table(text or "", source)
    products = []
    for line, record in records:
        try:
            products.append((line, build_product(apply_mapping(record, mapping))))
        except RowError as error:
            rejections.append(Rejection(source, line, error.reason, error.product_id))
    if format == "merchant":
        # Row ids must be unique before rows are folded into variants of their item group.
        products, duplicates = _without_duplicates(products, source)
        products, bad_groups = group_variants(products, source)
        rejections += duplicates + bad_groups
    return products, rejections


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
