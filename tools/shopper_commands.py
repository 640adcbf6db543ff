"""The `ingest-shoppers` subcommand: shopper events (CSV/JSONL) into the shopper store, checked against a catalog."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console
from tools.render import escape  # strips control codes too

from tools.catalog.commands import print_rejections
from tools.catalog.embed import EmbedderUnavailable
from tools.catalog.feeds import FeedError
from tools.catalog.store import EmbedderMismatch
from tools import app
from tools.shoppers import EVENT_FORMATS, ShopperIngestReport, ShopperStore

__all__ = ["cmd_ingest_shoppers", "register"]

_USER_ERRORS = (FeedError, EmbedderMismatch, EmbedderUnavailable, ValueError, ConnectionError, OSError)


def register(subparsers: Any) -> None:
    """Add `ingest-shoppers` to the CLI's subparsers."""
    p = subparsers.add_parser(
        "ingest-shoppers", help="add shopper events (views, carts, purchases) from a CSV or JSONL file",
        description="Ingest shopper events: shopper_id, product_id, action (view|cart|purchase), timestamp "
                    "(ISO 8601), quantity, price. Rows already ingested are skipped.")
    p.add_argument("file", metavar="FILE", help="the events, CSV with a header or JSON Lines")
    p.add_argument("--format", choices=EVENT_FORMATS, default="auto", help="file format (default: from the file)")
    p.add_argument("--report", metavar="FILE",
                   help="where to write rejected rows and unknown products (.jsonl or .csv)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--catalog", metavar="DIR", help="the catalog whose product ids events must name "
                                                        "(default: the demo catalog); its shoppers live beside it")
    where.add_argument("--chroma-url", metavar="URL", help="a Chroma server holding the catalog")
    p.add_argument("--shoppers-db", metavar="FILE",
                   help="the shopper database (default: shoppers.db beside a --catalog DIR, else in SHOPAGENT_HOME)")
    p.set_defaults(func=cmd_ingest_shoppers)


def cmd_ingest_shoppers(args: argparse.Namespace, console: Console) -> int:
    """Ingest FILE; exit 0 when it held good rows (new or already stored), 1 when none was good, 2 on errors."""
    try:
        catalog = app.open_catalog(args.catalog, args.chroma_url, app.progress_bars(console))
        known = set(catalog.ids())  # one read, not a catalog lookup per row
        if not known:
            raise ValueError(f"the catalog at {catalog.location} holds no products; ingest a catalog first")
        path = Path(args.shoppers_db) if args.shoppers_db else app.shoppers_path(args.catalog, catalog)
        # The demo shoppers belong with the demo catalog only, never with a merchant's own.
        demo = not args.shoppers_db and app.is_demo_catalog(catalog)
        store = ShopperStore.open_default(path, catalog, app.demo_dir() if demo else None)
        report = store.ingest_events(args.file, format=args.format, known_product=known.__contains__,
                                     report_path=args.report)
    except _USER_ERRORS as error:
        console.print(f"[bold red]Cannot ingest shoppers:[/] {escape(str(error))}")
        return 2
    _print_report(console, report, store)
    return 0 if report.good else 1


def _print_report(console: Console, report: ShopperIngestReport, store: ShopperStore) -> None:
    colour = "green" if report.ingested and not (report.rejected or report.unknown_products) else "yellow"
    if not report.good:
        colour = "bold red"
        console.print("[bold red]Nothing ingested:[/] no row was a valid event for a known product")
    console.print(f"[{colour}]{escape(report.summary())}[/]", soft_wrap=True)  # keep the path copyable
    console.print(f"[dim]{escape(report.file)} ({report.format}) → {escape(str(store.path))}[/]")
    print_rejections(console, sorted(report.rejections + report.unknown_products, key=lambda r: r.line))
