"""The default catalog, which the demo feed fills on first use. Where it lives is the application's to say."""

from __future__ import annotations

from pathlib import Path

from tools.catalog.embed import Embedder
from tools.catalog.ingest import ProgressFactory, ingest_file
from tools.catalog.store import CatalogStore

__all__ = ["open_catalog"]


def open_catalog(path: str | Path | None = None, url: str | None = None, embedder: Embedder | None = None,
                 progress_factory: ProgressFactory | None = None, *, default_dir: Path | None = None,
                 demo_feed: Path | None = None) -> CatalogStore:
    """The named catalog, or the one in `default_dir`, which is filled from `demo_feed` when empty."""
    if path is not None or url is not None:
        # A catalog the user named holds only what they put in it.
        return CatalogStore.open(path, url=url, embedder=embedder)
    if default_dir is None:
        raise ValueError("name a catalog directory or a Chroma URL")
    store = CatalogStore.open(default_dir, embedder=embedder)
    if demo_feed is not None and store.count() == 0 and demo_feed.is_file():
        ingest_file(store, demo_feed, progress_factory=progress_factory)
    return store
