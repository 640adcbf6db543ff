"""Where catalogs live by default, and the demo catalog that fills the default one on first use."""

from __future__ import annotations

import os
from pathlib import Path

from tools.catalog.embed import Embedder
from tools.catalog.ingest import ProgressFactory, ingest_file
from tools.catalog.store import CatalogStore

__all__ = ["DEFAULT_HOME", "DEMO_DIR", "DEMO_CATALOG", "default_catalog_path", "open_catalog"]

DEFAULT_HOME = Path(os.environ.get("SHOPAGENT_HOME", "~/.local/share/shopagent")).expanduser()
DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_CATALOG = DEMO_DIR / "catalog.jsonl"


def default_catalog_path() -> Path:
    """The catalog used when none is named (read at call time so tests can point SHOPAGENT_HOME away)."""
    home = os.environ.get("SHOPAGENT_HOME")
    return (Path(home).expanduser() if home else DEFAULT_HOME) / "catalog"


def open_catalog(path: str | Path | None = None, url: str | None = None, embedder: Embedder | None = None,
                 progress_factory: ProgressFactory | None = None, *, demo: bool = True) -> CatalogStore:
    """The named catalog, or the default one, which is filled from the demo feed when empty and `demo`."""
    if path is not None or url is not None:
        # A catalog the user named holds only what they put in it.
        return CatalogStore.open(path, url=url, embedder=embedder)
    store = CatalogStore.open(default_catalog_path(), embedder=embedder)
    if demo and store.count() == 0 and DEMO_CATALOG.is_file():
        ingest_file(store, DEMO_CATALOG, progress_factory=progress_factory)
    return store
