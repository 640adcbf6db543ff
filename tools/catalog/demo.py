"""Where catalogs live by default, and the demo catalog shown until a merchant ingests their own.

The demo products live in a catalog of their own (`demo/` beside `catalog/`): they are never ingested
into the merchant's default catalog, so a `search` before the first `ingest` cannot leak them into it."""

from __future__ import annotations

import os
from pathlib import Path

from tools.catalog.embed import Embedder
from tools.catalog.ingest import ProgressFactory, ingest_file
from tools.catalog.store import CatalogStore

__all__ = ["DEFAULT_HOME", "DEMO_DIR", "DEMO_CATALOG", "default_catalog_path", "demo_catalog_path", "open_catalog"]

DEFAULT_HOME = Path(os.environ.get("SHOPAGENT_HOME", "~/.local/share/shopagent")).expanduser()
DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_CATALOG = DEMO_DIR / "catalog.jsonl"


def _home() -> Path:
    home = os.environ.get("SHOPAGENT_HOME")  # read at call time so tests can point it away
    return Path(home).expanduser() if home else DEFAULT_HOME


def default_catalog_path() -> Path:
    """The merchant's catalog, used when none is named: what `ingest` fills."""
    return _home() / "catalog"


def demo_catalog_path() -> Path:
    """The demo catalog's own folder."""
    return _home() / "demo"


def open_catalog(path: str | Path | None = None, url: str | None = None, embedder: Embedder | None = None,
                 progress_factory: ProgressFactory | None = None, *, demo: bool = True) -> CatalogStore:
    """The named catalog; else the default one when it holds products (or `demo` is False); else the demo
    catalog, filled from the demo feed on first use."""
    if path is not None or url is not None:
        # A catalog the user named holds only what they put in it.
        return CatalogStore.open(path, url=url, embedder=embedder)
    store = CatalogStore.open(default_catalog_path(), embedder=embedder)
    if not demo or store.count() > 0 or not DEMO_CATALOG.is_file():
        return store
    shown = CatalogStore.open(demo_catalog_path(), embedder=embedder)
    if shown.count() == 0:
        ingest_file(shown, DEMO_CATALOG, progress_factory=progress_factory)
    return shown
