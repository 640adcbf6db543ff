"""The `ingest` and `search` subcommands: argparse wiring and rich rendering over the catalog engine."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from tools.render import escape  # strips control codes too
from rich.table import Table

from tools.app import add_catalog_args, open_catalog, progress_bars
from tools.catalog.embed import EmbedderUnavailable, make_embedder
from tools.catalog.feeds import FORMATS, FeedError, ReadOptions, parse_mapping
from tools.catalog.ingest import IngestReport, NothingIngested, ingest_file
from tools.catalog.store import EmbedderMismatch

__all__ = ["register", "cmd_ingest", "cmd_search"]

SHOWN_REJECTIONS = 20


def register(subparsers: Any) -> None:
    """Add `ingest` and `search` to the CLI's subparsers."""
    ingest = subparsers.add_parser(
        "ingest", help="add or update products from a feed file", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Ingest a product feed into a catalog; unchanged rows are skipped.", epilog=_FORMATS_HELP)
    ingest.add_argument("file", metavar="FILE", help="the feed file (formats below)")
    ingest.add_argument("--format", choices=FORMATS, default="auto", help="feed format (default: from the file)")
    ingest.add_argument("--map", metavar="SRC=DST,...", dest="mapping",
                        help="rename source fields to ours first, e.g. name=title,cost=price; dotted paths reach "
                             "into nested JSON: offers.price=price")
    ingest.add_argument("--currency", metavar="CODE", type=_currency_code,
                        help="currency of prices that name none (default: the file's one currency, else refused)")
    ingest.add_argument("--decimal", choices=[",", "."], metavar="{,|.}",
                        help="decimal mark, settles '4.500' (default: from the file's other prices or the currency)")
    ingest.add_argument("--delimiter", type=_delimiter, help="CSV delimiter: , ; tab | (default: sniffed)")
    ingest.add_argument("--encoding", help="text encoding, e.g. cp1252, utf-16 (default: byte-order mark, then detected)")
    ingest.add_argument("--shop-url", metavar="URL", help="the storefront (https://shop.example), for product page "
                                                          "links where the export has only handles (Shopify)")
    ingest.add_argument("--prune", action="store_true", help="delete catalog products absent from this file")
    ingest.add_argument("--report", metavar="FILE", help="where to write rejected rows (.jsonl or .csv)")
    _catalog_args(ingest, "(default: your default catalog, without the demo products)")
    ingest.set_defaults(func=cmd_ingest)

    search = subparsers.add_parser("search", help="search the catalog", description="Hybrid catalog search.")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--max-price", type=float)
    search.add_argument("--min-price", type=float)
    search.add_argument("--category")
    search.add_argument("--brand")
    search.add_argument("--min-rating", type=float)
    search.add_argument("--in-stock", action="store_true", default=None, help="only products in stock")
    search.add_argument("--limit", type=int, default=10)
    search.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    search.add_argument("--json", action="store_true", help="print the hits as a JSON list and nothing else")
    _catalog_args(search, "(default: the demo catalog)")
    search.set_defaults(func=cmd_search)


_FORMATS_HELP = """formats (--format auto tells them from the name and the header):
  json, jsonl      an array, a {"products": [...]} wrapper or one object per line; variants inline
                   (Medusa-style `prices` lists too); --map with dotted paths for other nesting
  jsonld           schema.org Product / ProductGroup (hasVariant) with Offer / AggregateOffer, in .jsonld,
                   .json or the ld+json blocks of a saved .html page
  csv              a header row (delimiter sniffed); English, pt, es, de, fr, it and nl column names
  merchant         Google Merchant Center TSV/CSV or RSS/Atom XML; item_group_id rows become variants
  shopify          Shopify product export (Handle, Variant Price, ...)
  woocommerce      WooCommerce product export: simple, variable + variations, grouped, external
  magento          Magento 2 import/export: configurables with their children, category paths
  vendure          Vendure product import: variant rows under their product, brand/category facets
drafts, unpublished and hidden products are kept but never shown in searches"""


def _currency_code(text: str) -> str:
    if not (len(text) == 3 and text.isalpha()):
        raise argparse.ArgumentTypeError(f"expected a three-letter currency code such as EUR, got {text!r}")
    return text.upper()


def _delimiter(text: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    text = named.get(text.lower(), text)
    if len(text) != 1:
        raise argparse.ArgumentTypeError(f"expected one character (or tab), got {text!r}")
    return text


def _catalog_args(parser: argparse.ArgumentParser, default: str) -> None:
    add_catalog_args(parser, default)
    embed = parser.add_argument_group("embeddings (default: local all-MiniLM-L6-v2, or what the catalog recorded)")
    embed.add_argument("--embed-base-url", metavar="URL", help="an OpenAI-compatible embeddings endpoint")
    embed.add_argument("--embed-model", metavar="NAME", help="the endpoint's embedding model")


def _embedder(args: argparse.Namespace) -> Any:
    if not (args.embed_base_url or args.embed_model):
        return None  # the store uses the catalog's recorded embedder, or MiniLM for a new one
    return make_embedder(args.embed_base_url, args.embed_model)


# Problems the user can fix: bad flags, an unreadable file, the wrong embedder, an unreachable server.
_USER_ERRORS = (FeedError, EmbedderMismatch, EmbedderUnavailable, ValueError, ConnectionError)


def cmd_ingest(args: argparse.Namespace, console: Console) -> int:
    """Ingest FILE; exit 0 when the catalog now holds its good rows, 1 when none was good, 2 on errors."""
    try:
        mapping = parse_mapping(args.mapping) if args.mapping else None
        store = open_catalog(args.catalog, args.chroma_url, None, _embedder(args), demo=False)
        options = ReadOptions(currency=args.currency, decimal=args.decimal, delimiter=args.delimiter,
                              encoding=args.encoding, shop_url=args.shop_url)
        report = ingest_file(store, args.file, format=args.format, mapping=mapping, prune=args.prune,
                             report_path=args.report, progress_factory=progress_bars(console), options=options)
    except NothingIngested as error:
        console.print(f"[bold red]Nothing ingested:[/] {escape(str(error))}")
        print_rejections(console, error.rejections)
        return 1
    except _USER_ERRORS as error:
        console.print(f"[bold red]Cannot ingest:[/] {escape(str(error))}")
        return 2
    _print_ingest(console, report, store.location)
    return 0


def _print_ingest(console: Console, report: IngestReport, location: str) -> None:
    colour = "green" if not report.rejected else "yellow"
    console.print(f"[{colour}]{escape(report.summary())}[/]", soft_wrap=True)  # keep the path copyable
    settled = f", prices in {report.currency}" if report.currency else ""
    console.print(f"[dim]{escape(report.file)} ({report.format}{escape(settled)}) → {escape(location)}[/]")
    print_rejections(console, report.rejections)
    print_rejections(console, report.notes, "Kept with a warning")


def print_rejections(console: Console, rejections: list[Any], title: str = "Rejected rows") -> None:
    if not rejections:
        return
    total = sum(r.count for r in rejections)  # a folded Rejection stands for many rows
    table = Table("line", "product id", "reason", title=f"{title} ({total})",
                  header_style="bold yellow", title_justify="left")
    for r in rejections[:SHOWN_REJECTIONS]:
        table.add_row(str(r.line), escape(r.product_id or ""), escape(r.reason))
    console.print(table)
    if total > SHOWN_REJECTIONS:
        console.print(f"[dim]… and {total - SHOWN_REJECTIONS} more in the report[/]")


def cmd_search(args: argparse.Namespace, console: Console) -> int:
    """Search a catalog; a table for people, or with --json a JSON list only."""
    try:
        # With --json stdout carries the JSON alone, so the first-use indexing bar is not drawn.
        progress = None if args.json else progress_bars(console)
        store = open_catalog(args.catalog, args.chroma_url, progress, _embedder(args))
        result = store.search(args.query, max_price=args.max_price, min_price=args.min_price,
                              category=args.category, brand=args.brand, min_rating=args.min_rating,
                              in_stock=args.in_stock, limit=args.limit, mode=args.mode)
    except _USER_ERRORS as error:
        console.print(f"[bold red]Cannot search:[/] {escape(str(error))}")
        return 2
    rows = [hit_row(hit) for hit in result.hits]
    if args.json:
        console.file.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return 0
    if result.understood:
        console.print("[dim]understood:[/] " + escape("; ".join(result.understood)))
    if result.corrections:
        console.print("[dim]spelling:[/] " + escape(", ".join(f"{a} → {b}" for a, b in result.corrections.items())))
    if not rows:
        console.print("[yellow]No products match.[/]")
        _print_alternatives(console, result.alternatives)
        return 0
    table = Table("id", "title", "price", "rating", "score", "why", header_style="bold cyan")
    for row in rows:
        table.add_row(escape(row["id"]), escape(row["title"]), f"{row['price']:.2f}",
                      "" if row["rating"] is None else f"{row['rating']:.1f}", f"{row['score']:.3f}",
                      escape(row["why"]))
    console.print(table)
    _print_alternatives(console, result.alternatives)
    return 0


def _print_alternatives(console: Console, hits: list[Any]) -> None:
    """Near misses in a table of their own, never among the matches."""
    if not hits:
        return
    over = all(m.startswith("price") for h in hits for m in h.unmet)
    table = Table("id", "title", "price", "misses", header_style="bold yellow", title_justify="left",
                  title="close, but over your budget" if over else "close, but not everything you asked for")
    for hit in hits:
        table.add_row(escape(hit.product.id), escape(hit.product.title), f"{hit.product.effective_price:.2f}",
                      escape("; ".join(hit.unmet)))
    console.print(table)


def hit_row(hit: Any) -> dict[str, Any]:
    """One search hit as plain JSON-able data."""
    product = hit.product
    summary = hit.summary()
    return {"id": product.id, "title": product.title, "price": summary["price"], "rating": product.rating,
            "score": round(float(hit.score), 4), "why": hit.why, "brand": product.brand,
            "category": product.category_path, "in_stock": summary["in_stock"], "currency": product.currency,
            "variant": summary.get("variant"),
            "dense": None if hit.dense is None else round(float(hit.dense), 4),
            "lexical": None if hit.lexical is None else round(float(hit.lexical), 4)}
