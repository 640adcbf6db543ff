"""CLI subcommands contributed by the shopping tools (catalog ingest/search, shoppers, descriptions, τ² retail)."""

from __future__ import annotations

from typing import Any

__all__ = ["register_all"]


def register_all(subparsers: Any) -> None:
    from tools import describe_commands, shopper_commands
    from tools.catalog import commands as catalog_commands
    from tools.retail import commands as retail_commands

    catalog_commands.register(subparsers)
    shopper_commands.register(subparsers)
    describe_commands.register(subparsers)
    retail_commands.register(subparsers)
