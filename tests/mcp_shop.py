"""Helpers for MCP tests: a shop folder (a copy of the demo catalog, a state dir with tokens) and our server as a
real process, over stdio (spawned by the SDK's client) or streamable HTTP (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.servers import free_port, serve
from tools.mcp_tokens import TokenStore

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Shop:
    catalog: Path
    state: Path
    tokens: dict[str, str]  # shopper id -> token

    def serve_argv(self, *extra: str) -> list[str]:
        return [sys.executable, str(ROOT / "cli.py"), "mcp-serve", "--catalog", str(self.catalog),
                "--state-dir", str(self.state), *extra]

    def stdio_command(self) -> str:
        """The command line an MCP client launches (its token comes through the environment)."""
        import shlex

        return shlex.join(self.serve_argv())


def make_shop(root: Path, catalog_dir: str, shoppers: tuple[str, ...] = ("S001", "S002")) -> Shop:
    """A private copy of an indexed catalog (its own process may open it) and a token per shopper."""
    catalog = root / "catalog"
    shutil.copytree(catalog_dir, catalog, ignore=shutil.ignore_patterns("shoppers.db"))
    state = root / "state"
    state.mkdir()
    store = TokenStore(state)
    return Shop(catalog, state, {s: store.add(s, label="test") for s in shoppers})


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


@contextlib.contextmanager
def http_server(shop: Shop) -> Iterator[str]:
    """Our MCP server over streamable HTTP on 127.0.0.1; yields its /mcp URL."""
    port = free_port()
    with serve(shop.serve_argv("--http", "--port", str(port)), lambda: _answers(port), name="mcp-serve --http",
               timeout=120):
        yield f"http://127.0.0.1:{port}/mcp"
