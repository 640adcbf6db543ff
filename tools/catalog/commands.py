"""The `ingest` and `search` subcommands: argparse wiring and rich rendering over the catalog engine."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tools.app import add_catalog_args, open_catalog, progress_bars
from tools.catalog.embed import EmbedderUnavailable, make_embedder
from tools.catalog.feeds import FORMATS, FeedError, parse_mapping
from tools.catalog.ingest import IngestReport, NothingIngested, ingest_file
from tools.catalog.store import EmbedderMismatch

__all__ = ["register", "cmd_ingest", "cmd_search"]

SHOWN_REJECTIONS = 20


def register(subparsers: Any) -> None:
    """Add `ingest` and `search` to the CLI's subparsers."""
    ingest = subparsers.add_parser("ingest", help="add or update products from a feed file",
                                   description="Ingest a product feed into a catalog; unchanged rows are skipped.")
    ingest.add_argument("file", metavar="FILE", help="the feed: JSON, JSON Lines, CSV, Merchant (TSV/XML), Shopify CSV")
    ingest.add_argument("--format", choices=FORMATS, default="auto", help="feed format (default: from the file)")
    ingest.add_argument("--map", metavar="SRC=DST,...", dest="mapping",
                        help="rename source fields to ours first, e.g. name=title,cost=price")
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
        report = ingest_file(store, args.file, format=args.format, mapping=mapping, prune=args.prune,
                             report_path=args.report, progress_factory=progress_bars(console))
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
    console.print(f"[dim]{escape(report.file)} ({report.format}) → {escape(location)}[/]")
    print_rejections(console, report.rejections)


def print_rejections(console: Console, rejections: list[Any]) -> None:
    if not rejections:
        return
    table = Table("line", "product id", "reason", title=f"Rejected rows ({len(rejections)})",
                  header_style="bold yellow", title_justify="left")
    for r in rejections[:SHOWN_REJECTIONS]:
        table.add_row(str(r.line), escape(r.product_id or ""), escape(r.reason))
    console.print(table)
    if len(rejections) > SHOWN_REJECTIONS:
        console.print(f"[dim]… and {len(rejections) - SHOWN_REJECTIONS} more in the report[/]")


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
    return {"id": product.id, "title": product.title, "price": product.effective_price, "rating": product.rating,
            "score": round(float(hit.score), 4), "why": hit.why, "brand": product.brand,
            "category": product.category_path, "in_stock": product.in_stock, "currency": product.currency,
            "dense": None if hit.dense is None else round(float(hit.dense), 4),
            "lexical": None if hit.lexical is None else round(float(hit.lexical), 4)}
