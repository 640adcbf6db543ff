"""The `describe` subcommand: one product's description, or `--missing` to fill empty ones in the catalog."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from tools.render import escape  # strips control codes too
from rich.table import Table

from agent.models import ModelError
from tools import app
from tools.catalog.embed import EmbedderUnavailable
from tools.catalog.store import EmbedderMismatch
from tools.copy_style import LENGTHS, TONES

__all__ = ["cmd_describe", "register"]

_USER_ERRORS = (ModelError, EmbedderMismatch, EmbedderUnavailable, ValueError, ConnectionError, OSError)


def register(subparsers: Any) -> None:
    """Add `describe` to the CLI's subparsers."""
    p = subparsers.add_parser(
        "describe", help="write grounded product descriptions (one product, or --missing ones)",
        description="Write a product description from the catalog record only: every number, brand and "
                    "attribute value is checked; a draft that fails twice is replaced by a template.")
    p.add_argument("product_id", metavar="PRODUCT_ID", nargs="?", help="print a description for this product")
    p.add_argument("--missing", action="store_true",
                   help="write descriptions for products that have none and save them to the catalog")
    p.add_argument("--limit", type=int, metavar="N", help="with --missing: at most N products")
    p.add_argument("--tone", default="neutral", metavar="TONE",
                   help=f"{', '.join(TONES)} (or another tone word, passed to the model as written)")
    p.add_argument("--length", choices=LENGTHS, default="medium")
    app.add_catalog_args(p)
    app.add_model_args(p)
    p.set_defaults(func=cmd_describe)


def cmd_describe(args: argparse.Namespace, console: Console) -> int:
    """Print one description, or fill the missing ones; exit 2 on a bad flag, catalog or model."""
    from agent.models import load_model
    from tools.describe import catalog_vocabulary, describe_missing, describe_product

    if args.missing == bool(args.product_id):
        console.print("[bold red]Cannot describe:[/] give a PRODUCT_ID or --missing (not both)")
        return 2
    if args.limit is not None and args.limit < 1:
        console.print("[bold red]Cannot describe:[/] --limit must be at least 1")
        return 2
    try:
        catalog = app.open_catalog(args.catalog, args.chroma_url)
        model = load_model(app.model_settings(args))
        if args.missing:
            results = describe_missing(catalog, model, args.limit, app.progress_bars(console, threshold=0),
                                       tone=args.tone, length=args.length)
        else:
            product = catalog.get(args.product_id)
            if product is None:
                console.print(f"[bold red]Cannot describe:[/] no product with id {escape(args.product_id)!r}")
                return 2
            results = [describe_product(product, model, args.tone, args.length, catalog_vocabulary(catalog))]
    except _USER_ERRORS as error:
        console.print(f"[bold red]Cannot describe:[/] {escape(str(error))}")
        return 2
    if args.missing:
        _print_summary(console, results)
    else:
        _print_one(console, results[0])
    return 0


def _print_one(console: Console, result: dict[str, Any]) -> None:
    console.print(f"[bold]{escape(result['title'])}[/] [dim]({escape(result['product_id'])}, {_how(result)})[/]")
    console.print(escape(result["description"]))


def _print_summary(console: Console, results: list[dict[str, Any]]) -> None:
    if not results:
        console.print("[green]Every product has a description.[/]")
        return
    table = Table("id", "title", "method", header_style="bold cyan", title_justify="left",
                  title=f"Descriptions written ({len(results)})")
    for r in results:
        table.add_row(escape(r["product_id"]), escape(r["title"]), escape(_how(r)))
    console.print(table)


def _how(result: dict[str, Any]) -> str:
    """'llm', 'llm-retry', or 'template (why)'."""
    if result["method"] != "template":
        return result["method"]
    return f"template ({result.get('reason', 'drafts rejected')})"
