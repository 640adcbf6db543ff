"""The default catalog, and the demo catalog shown until the merchant's own holds products. Where the default
lives is the application's to say; the demo catalog is the folder `demo` beside it.

The demo products are never ingested into the default catalog: a `search` before the first `ingest` indexes
them into their own catalog, so the merchant's catalog only ever holds what the merchant put in it."""

from __future__ import annotations

from pathlib import Path

from tools.catalog.embed import Embedder
from tools.catalog.ingest import ProgressFactory, ingest_file
from tools.catalog.store import CatalogStore

__all__ = ["open_catalog"]


def open_catalog(path: str | Path | None = None, url: str | None = None, embedder: Embedder | None = None,
                 progress_factory: ProgressFactory | None = None, *, default_dir: Path | None = None,
                 demo_feed: Path | None = None) -> CatalogStore:
    """The named catalog; else the one in `default_dir` when it holds products or no `demo_feed` is given;
    else the demo catalog (`default_dir`'s sibling `demo`), filled from `demo_feed` on first use."""
    if path is not None or url is not None:
        # A catalog the user named holds only what they put in it.
        return CatalogStore.open(path, url=url, embedder=embedder)
    if default_dir is None:
        raise ValueError("name a catalog directory or a Chroma URL")
    store = CatalogStore.open(default_dir, embedder=embedder)
    if demo_feed is None or store.count() > 0 or not demo_feed.is_file():
        return store
    shown = CatalogStore.open(Path(default_dir).parent / "demo", embedder=embedder)
    if shown.count() == 0:
        ingest_file(shown, demo_feed, progress_factory=progress_factory)
    return shown
