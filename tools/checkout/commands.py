"""`python cli.py serve`: the shop as a UCP merchant server (FastAPI + uvicorn) on 127.0.0.1 until stopped."""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

__all__ = ["cmd_orders", "cmd_serve", "open_merchant", "register"]


def register(subparsers: Any) -> None:
    from tools.app import add_catalog_args

    serve = subparsers.add_parser(
        "serve", help="serve the shop over the Universal Commerce Protocol (REST)",
        description="Serve the catalog and checkout as a UCP merchant (protocol 2026-01-11) until Ctrl-C.")
    serve.add_argument("--ucp-shop", metavar="DIR",
                       help="load a UCP sample shop folder (products.csv, discounts.csv, …) into a fresh state dir "
                            "and serve it, e.g. ../shared/ucp/conformance/test_data/flower_shop")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8182, help="port (default 8182)")
    serve.add_argument("--simulation-secret", metavar="S",
                       help="turn on /testing/simulate-shipping/{order}, guarded by this shared secret")
    serve.add_argument("--state-dir", metavar="DIR",
                       help="where checkouts and orders live (default: beside the shopper store; with --ucp-shop "
                            "a fresh temporary folder, removed on exit)")
    serve.add_argument("--with-mcp", action="store_true",
                       help="also serve the shop's tools over MCP at /mcp (bearer tokens: `tokens add SHOPPER "
                            "--state-dir DIR`)")
    serve.add_argument("--allow-remote-webhooks", action="store_true",
                       help="post order webhooks to non-loopback hosts too (default: loopback only)")
    add_catalog_args(serve, "(default: the demo catalog; ignored with --ucp-shop)")
    serve.set_defaults(func=cmd_serve)

    orders = subparsers.add_parser(
        "orders", help="the shop's orders: list a shopper's, or simulate shipping and delivery",
        description="List a shopper's orders, or move one along as a warehouse would (simulated): shipped, then "
                    "delivered. A delivered order can be returned or exchanged by the shopper in the chat.")
    orders.add_argument("action", choices=["list", "ship", "deliver"])
    orders.add_argument("target", metavar="SHOPPER|ORDER", help="a shopper id (list) or an order id (ship, deliver)")
    orders.add_argument("--state-dir", metavar="DIR", help="where checkouts and orders live (default: the chat's)")
    add_catalog_args(orders)
    orders.set_defaults(func=cmd_orders)


def open_merchant(args: argparse.Namespace) -> tuple[Any, Any, str, Path | None]:
    """(catalog, checkout store, shop name, temporary dir to remove) for the serve arguments."""
    from tools.checkout.store import CheckoutStore

    if args.ucp_shop:
        from tools.catalog.store import CatalogStore
        from tools.checkout.ucp_shop import ShopLoadError, load_ucp_shop

        if not (Path(args.ucp_shop).expanduser() / "products.csv").is_file():
            raise ShopLoadError(f"{args.ucp_shop} has no products.csv: not a UCP sample shop folder")
        temp = None if args.state_dir else Path(tempfile.mkdtemp(prefix="shopagent-ucp-"))
        state = Path(args.state_dir).expanduser() if args.state_dir else temp
        assert state is not None
        try:
            catalog = CatalogStore.open(state / "catalog")
            store = CheckoutStore(state / "checkout.db", catalog)
            report = load_ucp_shop(args.ucp_shop, catalog, store)
        except BaseException:
            if temp is not None:
                shutil.rmtree(temp, ignore_errors=True)
            raise
        return catalog, store, f"{Path(args.ucp_shop).name} ({report.summary()})", temp
    from tools.app import open_deps

    deps = open_deps(args.catalog, args.chroma_url, state_dir=args.state_dir)
    return deps.catalog, deps.checkout, "the shop's catalog", None


def cmd_serve(args: argparse.Namespace, console: Console) -> int:
    import uvicorn

    from tools.checkout.ucp_app import ServerSettings, build_app
    from tools.checkout.ucp_shop import ShopLoadError

    try:
        catalog, store, name, temp = open_merchant(args)
    except (ShopLoadError, OSError, ValueError) as error:
        console.print(f"[bold red]Cannot serve:[/] {escape(str(error))}")
        return 2
    try:
        app = build_app(store, catalog, ServerSettings(shop_name=name, simulation_secret=args.simulation_secret,
                                                       allow_remote_webhooks=args.allow_remote_webhooks))
        url = f"http://{args.host}:{args.port}"
        if args.with_mcp:
            from tools.mcp_commands import mount_shop_mcp

            tokens = mount_shop_mcp(app, args, catalog, store, temp)
            console.print(f"MCP (streamable HTTP): {url}/mcp  (tokens: {escape(str(tokens))})", highlight=False)
        console.print(f"Serving {escape(name)}\nUCP discovery: {url}/.well-known/ucp  (Ctrl-C stops)",
                      highlight=False)
        # uvicorn re-raises the SIGTERM it caught once it has shut down; exiting through Python lets the
        # `finally` below remove the temporary state dir.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
        return 0
    finally:
        store.close()
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def cmd_orders(args: argparse.Namespace, console: Console) -> int:
    from rich.table import Table

    from tools.app import open_deps
    from tools.checkout.model import CheckoutError
    from tools.checkout.money import format_minor
    from tools.checkout.simulate import deliver

    deps = open_deps(args.catalog, args.chroma_url, state_dir=args.state_dir)
    store = deps.checkout
    assert store is not None
    try:
        if args.action == "list":
            table = Table("status", "placed at", "items", "total")
            table.add_column("order", no_wrap=True)  # an id to copy whole
            for o in store.orders_for(args.target):
                table.add_row(o.status, o.created_at, str(sum(li.quantity for li in o.line_items)),
                              format_minor(o.totals.total, o.currency), o.id)
            console.print(table)
            return 0
        done = store.ship(args.target) if args.action == "ship" else deliver(store, args.target)
    except CheckoutError as error:
        console.print(f"[bold red]Cannot {args.action} {escape(args.target)}:[/] {escape(str(error))}")
        return 2
    finally:
        deps.close()
    console.print(f"Order {escape(done.id)} is now {done.status} (simulated).", highlight=False)
    return 0
