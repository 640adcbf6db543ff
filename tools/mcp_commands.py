"""`mcp-serve` (the shop's tools over MCP: stdio or streamable HTTP) and `tokens` (who an MCP client acts for)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tools.mcp_tokens import TokenStore

__all__ = ["mount_shop_mcp", "register", "state_dir_for"]

TOKEN_ENV = "SHOPAGENT_MCP_TOKEN"


def state_dir_for(args: argparse.Namespace) -> Path:
    """Where the shopper store (and so the token table naming its shoppers) lives."""
    from tools import app

    return Path(args.state_dir).expanduser() if args.state_dir else app.shoppers_path(args.catalog).parent


def _where(p: argparse.ArgumentParser) -> None:
    from tools import app

    app.add_catalog_args(p)
    p.add_argument("--state-dir", metavar="DIR", help="where shoppers, carts and tokens live (default: beside "
                                                      "the catalog)")


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "mcp-serve", help="serve the shop's tools over MCP (stdio, or streamable HTTP with --http)",
        description="Serve the shop's tools to MCP clients. Over stdio the shopper comes from --token (or "
                    f"${TOKEN_ENV}); over HTTP each request's bearer token names it. Make tokens with "
                    "`tokens add SHOPPER`.")
    serve.add_argument("--http", action="store_true", help="streamable HTTP at /mcp instead of stdio")
    serve.add_argument("--host", default="127.0.0.1", help="HTTP address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    serve.add_argument("--token", help=f"stdio: the client's token (default: ${TOKEN_ENV})")
    _where(serve)
    serve.set_defaults(func=cmd_mcp_serve)

    tokens = subparsers.add_parser("tokens", help="bearer tokens that let an MCP client act for a shopper")
    tsub = tokens.add_subparsers(dest="tokens_command", required=True)
    add = tsub.add_parser("add", help="make a token for a shopper (printed once)")
    add.add_argument("shopper", metavar="SHOPPER_ID")
    add.add_argument("--label", default="", help="a note on who holds it")
    lst = tsub.add_parser("list", help="list tokens (their keys, never the tokens)")
    rev = tsub.add_parser("revoke", help="revoke a token by its key (from `tokens list`) or the token itself")
    rev.add_argument("key")
    for p in (add, lst, rev):
        p.add_argument("--state-dir", metavar="DIR", help="where the token table lives (default: beside the "
                                                          "demo catalog's shoppers)")
        p.add_argument("--catalog", metavar="DIR", help="the catalog whose shoppers the tokens name")
    tokens.set_defaults(func=cmd_tokens)


def cmd_tokens(args: argparse.Namespace, console: Console) -> int:
    store = TokenStore(state_dir_for(args))
    try:
        if args.tokens_command == "add":
            token = store.add(args.shopper, label=args.label)
            print(token)  # plain, alone on stdout: scripts capture it
            Console(stderr=True).print(f"[dim]token for {escape(args.shopper)} saved in "
                                       f"{escape(str(store.path))} (shown once)[/]")
            return 0
        if args.tokens_command == "revoke":
            gone = store.revoke(args.key)
            console.print(f"revoked {gone} token(s)" if gone else f"[yellow]no token matches {escape(args.key)}[/]")
            return 0 if gone else 1
        table = Table("key", "shopper", "created", "label", header_style="bold cyan")
        for r in store.list():
            table.add_row(r.key, r.shopper_id, time.strftime("%Y-%m-%d %H:%M", time.localtime(r.created)), r.label)
        console.print(table)
        return 0
    except ValueError as exc:
        console.print(f"[bold red]Cannot use the token table:[/] {escape(str(exc))}")
        return 2


def cmd_mcp_serve(args: argparse.Namespace, console: Console) -> int:
    from tools.mcp_server import mount_mcp, run_stdio

    err = Console(stderr=True)  # over stdio, stdout belongs to the protocol
    tokens = TokenStore(state_dir_for(args))
    stdio_shopper = None
    if not args.http:
        stdio_shopper = tokens.shopper_for(args.token or os.environ.get(TOKEN_ENV))
        if stdio_shopper is None:
            err.print(f"[bold red]Refused:[/] no valid token (pass --token or set ${TOKEN_ENV}; make one with "
                      "`python cli.py tokens add SHOPPER`)")
            return 2
    try:
        with contextlib.redirect_stdout(sys.stderr):  # nothing the stores print may reach the protocol stream
            shop = build_shop(args, stdio_shopper)
    except (ValueError, OSError, ConnectionError) as exc:
        err.print(f"[bold red]Cannot open the shop:[/] {escape(str(exc))}")
        return 2
    if not args.http:
        run_stdio(shop)
        return 0
    import uvicorn
    from starlette.applications import Starlette

    err.print(f"MCP (streamable HTTP) on http://{args.host}:{args.port}/mcp · tokens: {tokens.path}")
    # the same mounting the UCP REST app uses, here on an otherwise empty host app
    uvicorn.run(mount_mcp(Starlette(), shop, tokens, bind=args.host, port=args.port), host=args.host, port=args.port,
                log_level="warning")
    return 0


def mount_shop_mcp(app: Any, args: argparse.Namespace, catalog: Any, checkout: Any, temp: Path | None) -> Path:
    """`serve --with-mcp`: the same shop (catalog, checkout store) over MCP at /mcp beside the UCP REST API.
    The shopper store and token table live in the serve command's state dir; returns the token table's path."""
    from tools import app as shop_app
    from tools.deps import ShopDeps
    from tools.mcp_server import ShopMCP, mount_mcp
    from tools.shoppers import ShopperStore

    state = Path(args.state_dir).expanduser() if args.state_dir else (temp or state_dir_for(args))
    deps = ShopDeps(catalog=catalog, shoppers=ShopperStore(state / "shoppers.db"), checkout=checkout,
                    merchant_url=f"http://{args.host}:{args.port}")  # the REST API beside /mcp: links resolve
    tokens = TokenStore(state)
    shop = ShopMCP(shop_app.build_mcp_registry(), lambda shopper: shop_app.shop_context(deps, shopper, f"mcp:{shopper}"))
    mount_mcp(app, shop, tokens, bind=args.host, port=args.port)
    return tokens.path


def build_shop(args: argparse.Namespace, stdio_shopper: str | None) -> Any:
    """The shop's registry and stores behind an MCP server."""
    from tools import app
    from tools.mcp_server import ShopMCP

    deps = app.open_deps(args.catalog, args.chroma_url, state_dir=args.state_dir)
    return ShopMCP(app.build_mcp_registry(), lambda shopper: app.shop_context(deps, shopper, f"mcp:{shopper}"),
                   stdio_shopper=stdio_shopper)
