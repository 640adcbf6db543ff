"""Shared fixtures: the real demo catalog (indexed once per session) and real SQLite shopper stores over it.

- `demo_catalog`: a CatalogStore holding data/demo/catalog.jsonl in a session tmp dir. Shared by every test:
  read it, never write to it (ingest into your own `CatalogStore.open(tmp_path)` instead).
- `shopper_store`: a factory; each `shopper_store()` is a fresh ShopperStore (its own SQLite file) holding the
  demo shoppers' profiles and events, with empty live carts. `shopper_store(empty=True)` holds nothing.
- `shop_context`: a factory for the ToolContext[ShopDeps] the shopping tools run in:
  `shop_context("S001")`, `shop_context(None)` (a guest), `shop_context("S001", shoppers=store)`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.tools import ToolContext
from tools.catalog.demo import open_catalog
from tools.deps import ShopDeps
from tools.resources import demo_dir
from tools.catalog.ingest import ingest_file
from tools.catalog.store import CatalogStore
from tools.shoppers import ShopperStore


@pytest.fixture(scope="session")
def demo_catalog(tmp_path_factory: pytest.TempPathFactory) -> CatalogStore:
    """The demo catalog, embedded and indexed once per test session (a few seconds). Read-only by convention."""
    store = open_catalog(path=tmp_path_factory.mktemp("demo_catalog"))
    ingest_file(store, demo_dir() / "catalog.jsonl", report_path=tmp_path_factory.mktemp("demo_rejects") / "rejects.jsonl")
    return store


@pytest.fixture(scope="session")
def _demo_shoppers_db(tmp_path_factory: pytest.TempPathFactory, demo_catalog: CatalogStore) -> Path:
    """A shopper database loaded from the demo once; `shopper_store` hands out copies of it."""
    path = tmp_path_factory.mktemp("demo_shoppers") / "shoppers.db"
    ShopperStore.open_default(path, demo_catalog, demo_dir()).close()
    return path


@pytest.fixture()
def shopper_store(_demo_shoppers_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., ShopperStore]:
    """Factory: `shopper_store()` → a fresh ShopperStore with the demo shoppers; `empty=True` → an empty one."""
    opened: list[ShopperStore] = []

    def make(*, empty: bool = False) -> ShopperStore:
        path = tmp_path_factory.mktemp("shoppers") / "shoppers.db"
        if not empty:
            shutil.copyfile(_demo_shoppers_db, path)  # a copy is faster than re-ingesting 2,000 events
        store = ShopperStore(path)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture()
def shop_context(demo_catalog: CatalogStore,
                 shopper_store: Callable[..., ShopperStore]) -> Callable[..., ToolContext]:
    """Factory: `shop_context(shopper_id, shoppers=None)` → a ToolContext over the demo catalog and shoppers."""

    def make(shopper_id: str | None = "S001", shoppers: ShopperStore | None = None, llm=None) -> ToolContext:
        return ToolContext(ShopDeps(demo_catalog, shoppers or shopper_store(), llm), user_id=shopper_id)

    return make


@pytest.fixture()
def shop_contexts(demo_catalog, shopper_store, tmp_path):
    """A context factory over one shared set of stores with a checkout, so two shoppers can meet in one shop."""
    from tools.checkout.store import CheckoutStore

    deps = ShopDeps(demo_catalog, shopper_store(), checkout=CheckoutStore(tmp_path / "checkout.db", demo_catalog))

    def make(shopper_id: str | None = "S001") -> ToolContext[ShopDeps]:
        return ToolContext(deps, user_id=shopper_id, session_id=f"session-{shopper_id}")

    yield make
    deps.checkout.close()
