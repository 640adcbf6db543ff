"""The catalog store: one Chroma record per product (search text, embedding, filter fields, full JSON)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from tools.catalog.embed import Embedder, MiniLMEmbedding, embedder_from_config
from tools.catalog.filters import build_where
from tools.catalog.product import Product

__all__ = ["CatalogStore", "UpsertStats", "EmbedderMismatch", "metadata_for"]

WRITE_BATCH = 1000  # products embedded and written per Chroma upsert (fewer, larger writes: see bench/search.py)
READ_BATCH = 1000  # records per paged `get`
_META_KEYS = ("embedder", "embedder_name", "embedder_config", "revision")


class EmbedderMismatch(ValueError):
    """The catalog was embedded by another model; its vectors cannot be compared with this one's."""

    def __init__(self, stored: str, requested: str, where: str) -> None:
        super().__init__(
            f"catalog {where} was embedded with {stored!r}, but {requested!r} was asked for; "
            f"open it with the same embedder or re-ingest into a new catalog")
        self.stored, self.requested = stored, requested


@dataclass
class UpsertStats:
    """What one upsert did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # time per phase: prepare, embed, write

    @property
    def changed(self) -> int:
        return self.added + self.updated


def metadata_for(product: Product) -> dict[str, Any]:
    """The filterable fields kept beside the embedding (Chroma metadata holds no None or lists)."""
    levels = [c.strip().lower() for c in product.category]
    offers = product.offers()
    record = product.model_dump_json()  # serialised once: stored, and hashed
    return {
        "title": product.title,
        # The cheapest and dearest offers bound what a price filter can match; `offers` says exactly.
        "price": float(min(o.price for o in offers)),
        "price_high": float(max(o.price for o in offers)),
        "offers": json.dumps([[o.price, o.in_stock] for o in offers], separators=(",", ":")),
        "listed": product.listed,
        "list_price": float(product.price),
        "rating": float(product.rating) if product.rating is not None else -1.0,
        "review_count": int(product.review_count),
        "in_stock": bool(product.in_stock),
        "brand": (product.brand or "").strip().lower(),
        "brand_label": (product.brand or "").strip(),
        "cat0": levels[0] if len(levels) > 0 else "",
        "cat1": levels[1] if len(levels) > 1 else "",
        "cat2": levels[2] if len(levels) > 2 else "",
        "cat_leaf": levels[-1] if levels else "",
        "category": product.category_path,
        "hash": product.content_hash(record),
        "record": record,
    }


class CatalogStore:
    """Products in one Chroma collection, embedded by one embedder."""

    def __init__(self, client: Any, collection: Any, embedder: Embedder, *, location: str,
                 path: Path | None = None) -> None:
        self._client = client
        self._collection = collection
        self._embedder = embedder
        self.location = location  # for messages: the folder or URL
        self.path = path  # the local folder, None for a server
        self._labels: tuple[str, list[str], list[str]] | None = None
        self._counted: tuple[str, int] | None = None  # (revision, count): count() is slow at 100k products

    # -- opening ---------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, *, url: str | None = None, embedder: Embedder | None = None,
             collection: str = "catalog") -> CatalogStore:
        """Open (or create) the catalog in a local folder or on a Chroma server at `url`."""
        import chromadb
        from chromadb.config import Settings

        if (path is None) == (url is None):
            raise ValueError("give exactly one of path or url")
        settings = Settings(anonymized_telemetry=False)  # telemetry would try the network
        if url is not None:
            parsed = urlparse(url if "://" in url else f"http://{url}")
            client = chromadb.HttpClient(host=parsed.hostname or "127.0.0.1",
                                         port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                                         ssl=parsed.scheme == "https", settings=settings)
            location, folder = url, None
        else:
            folder = Path(path).expanduser().resolve()  # type: ignore[arg-type]
            folder.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(folder), settings=settings)
            location = str(folder)
        existing = _existing_metadata(client, collection)
        if existing is not None and not existing.get("embedder"):
            # Someone else's collection: its records lack our metadata and its space may not be cosine.
            raise EmbedderMismatch("unknown (not a shopagent catalog)",
                                   (embedder or MiniLMEmbedding()).embedder_id, f"{location} [{collection}]")
        if existing is not None:
            stored = str(existing["embedder"])
            if embedder is None:
                # Searching a catalog needs no flags: rebuild the embedder it was made with.
                embedder = embedder_from_config(str(existing.get("embedder_name", "")),
                                                json.loads(str(existing.get("embedder_config", "{}"))))
            if embedder.embedder_id != stored:
                raise EmbedderMismatch(stored, embedder.embedder_id, location)
        embedder = embedder or MiniLMEmbedding()
        metadata = {"embedder": embedder.embedder_id, "embedder_name": embedder.name(),
                    "embedder_config": json.dumps(embedder.get_config()), "revision": _new_revision(0)}
        col = client.get_or_create_collection(  # (chroma types the function over text *or* images)
            collection, embedding_function=embedder, metadata=metadata,  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}})
        return cls(client, col, embedder, location=location, path=folder)

    # -- identity --------------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        return self._embedder

    @property
    def embedder_id(self) -> str:
        return self._embedder.embedder_id

    @property
    def revision(self) -> str:
        """Changes whenever the content does, also when another process wrote it (caches key on it)."""
        return str(self._fresh_metadata().get("revision", "0"))

    def _fresh_metadata(self) -> dict[str, Any]:
        col = self._client.get_collection(self._collection.name, embedding_function=self._embedder)
        return dict(col.metadata or {})

    def _bump_revision(self) -> None:
        meta = {k: v for k, v in self._fresh_metadata().items() if k in _META_KEYS}
        meta["revision"] = _new_revision(_revision_number(meta.get("revision")) + 1)
        self._collection.modify(metadata=meta)

    # -- writing ---------------------------------------------------------------------------------
    def upsert(self, products: Iterable[Product], progress: Callable[[int], None] | None = None) -> UpsertStats:
        """Add new and changed products (embedding only those); `progress(n)` advances by n products."""
        stats = UpsertStats()
        batch: dict[str, Product] = {}
        for product in products:
            batch[product.id] = product  # a later duplicate id wins, as a later row in a feed would
            if len(batch) >= WRITE_BATCH:
                self._upsert_batch(list(batch.values()), stats, progress)
                batch = {}
        if batch:
            self._upsert_batch(list(batch.values()), stats, progress)
        return stats

    def _upsert_batch(self, products: list[Product], stats: UpsertStats,
                      progress: Callable[[int], None] | None) -> None:
        clock = time.perf_counter()
        # Only the hashes: a known product's stored record (the bulk of its metadata) is not needed.
        known = self._collection.get(ids=[p.id for p in products], include=["metadatas"])
        old_hash = {i: (m or {}).get("hash") for i, m in zip(known["ids"], known["metadatas"] or [])}
        clock = _lap(stats, "read", clock)
        todo: list[tuple[Product, dict[str, Any]]] = []
        for product in products:
            meta = metadata_for(product)
            if old_hash.get(product.id) == meta["hash"]:
                stats.unchanged += 1
            else:
                todo.append((product, meta))
                if product.id in old_hash:
                    stats.updated += 1
                else:
                    stats.added += 1
        if progress and len(todo) < len(products):
            progress(len(products) - len(todo))
        if todo:
            texts = [p.search_text() for p, _ in todo]
            clock = _lap(stats, "prepare", clock)
            vectors = self._embed(texts)
            clock = _lap(stats, "embed", clock)
            # Record and vector go in one upsert: an interrupted ingest leaves each product whole or absent.
            self._collection.upsert(ids=[p.id for p, _ in todo], documents=texts,
                                    embeddings=vectors, metadatas=[m for _, m in todo])
            # Per batch, so caches notice even the part of an ingest that was interrupted later.
            self._bump_revision()
            _lap(stats, "write", clock)
            if progress:
                progress(len(todo))

    def delete(self, ids: Iterable[str]) -> int:
        """Remove these products; returns how many existed."""
        wanted = list(dict.fromkeys(ids))
        present: list[str] = []
        for chunk in _chunks(wanted, READ_BATCH):
            present += self._collection.get(ids=chunk, include=[])["ids"]
        for chunk in _chunks(present, READ_BATCH):
            self._collection.delete(ids=chunk)
        if present:
            self._bump_revision()
        return len(present)

    def prune(self, keep_ids: set[str]) -> int:
        """Remove every product whose id is not in `keep_ids`."""
        return self.delete([i for i in self.ids() if i not in keep_ids])

    # -- reading ---------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self._collection.count())

    def ids(self) -> list[str]:
        """Every product id."""
        return [i for page in self._pages(include=[]) for i in page["ids"]]

    def get(self, product_id: str) -> Product | None:
        """The product with this id, or None."""
        found = self.get_many([product_id])
        return found[0] if found else None

    def get_many(self, ids: Sequence[str]) -> list[Product]:
        """The known products among `ids`, in the order asked."""
        wanted = [i for i in dict.fromkeys(ids) if i]
        by_id: dict[str, Product] = {}
        for chunk in _chunks(wanted, READ_BATCH):
            got = self._collection.get(ids=chunk, include=["metadatas"])
            for doc_id, meta in zip(got["ids"], got["metadatas"] or []):
                by_id[doc_id] = Product.model_validate_json(str(meta["record"]))
        return [by_id[i] for i in wanted if i in by_id]

    def documents(self) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """All ids, search texts and metadatas (without the bulky `record`), for the lexical index."""
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        for page in self._pages(include=["documents", "metadatas"]):
            ids += page["ids"]
            texts += [d or "" for d in page["documents"] or []]
            metas += [{k: v for k, v in (m or {}).items() if k != "record"} for m in page["metadatas"] or []]
        return ids, texts, metas

    def _pages(self, include: list[str]) -> Iterable[dict[str, Any]]:
        offset = 0
        while True:
            page = self._collection.get(include=include, limit=READ_BATCH, offset=offset)
            if not page["ids"]:
                return
            yield page
            offset += len(page["ids"])

    def brands(self) -> list[str]:
        """Distinct brand names as spelt in the catalog."""
        return self._label_lists()[0]

    def categories(self) -> list[str]:
        """Distinct category names at every level, as spelt in the catalog."""
        return self._label_lists()[1]

    def _label_lists(self) -> tuple[list[str], list[str]]:
        revision = self.revision
        if self._labels is None or self._labels[0] != revision:
            brands: dict[str, str] = {}
            cats: dict[str, str] = {}
            for meta in self.documents()[2]:
                label = str(meta.get("brand_label", ""))
                if label:
                    brands.setdefault(label.lower(), label)
                for level in str(meta.get("category", "")).split(" > "):
                    if level.strip():
                        cats.setdefault(level.strip().lower(), level.strip())
            self._labels = (revision, sorted(brands.values(), key=str.lower), sorted(cats.values(), key=str.lower))
        return self._labels[1], self._labels[2]

    # -- vectors ---------------------------------------------------------------------------------
    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._embedder.embed(texts), dtype=np.float32)

    def dense(self, query: str, where: dict[str, Any] | None = None, k: int = 10) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the k products nearest to `query`, passing `where`."""
        if not query.strip():
            return []
        return self.dense_by_vector(self._embed([query])[0], where, k)

    def dense_by_vector(self, vector: Sequence[float] | np.ndarray, where: dict[str, Any] | None = None,
                        k: int = 10) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the k products nearest to `vector`, passing `where`."""
        total = self._count_now()
        if total == 0 or k <= 0:
            return []
        got = self._collection.query(query_embeddings=[np.asarray(vector, dtype=np.float32)],
                                     n_results=min(k, total), where=where, include=["distances"])
        return [(doc_id, 1.0 - float(dist)) for doc_id, dist in zip(got["ids"][0], got["distances"][0])]

    def _count_now(self) -> int:
        """count() costs ~16 ms at 100k products; it only changes when the revision does."""
        revision = self.revision
        if self._counted is None or self._counted[0] != revision:
            self._counted = (revision, self.count())
        return self._counted[1]

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of the known ids."""
        out: dict[str, np.ndarray] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), READ_BATCH):
            got = self._collection.get(ids=chunk, include=["embeddings"])
            for doc_id, vec in zip(got["ids"], got["embeddings"]):
                out[doc_id] = np.asarray(vec, dtype=np.float32)
        return out

    def search(self, query: str, **filters: Any) -> Any:
        """Hybrid search (see tools.catalog.search.search for the options)."""
        from tools.catalog.search import search  # late: search is the heavier module

        return search(self, query, **filters)

    def __repr__(self) -> str:
        return f"CatalogStore({self.location!r}, embedder={self.embedder_id!r})"


def _lap(stats: UpsertStats, phase: str, since: float) -> float:
    now = time.perf_counter()
    stats.seconds[phase] = stats.seconds.get(phase, 0.0) + now - since
    return now


def _existing_metadata(client: Any, name: str) -> dict[str, Any] | None:
    """The collection's metadata, or None when it does not exist yet (read without attaching an embedder)."""
    from chromadb.errors import NotFoundError

    try:
        return dict(client.get_collection(name).metadata or {})
    except NotFoundError:
        return None


def _new_revision(number: int) -> str:
    # The random part keeps two writers that raced from the same number distinct.
    return f"{number}-{uuid.uuid4().hex[:8]}"


def _revision_number(revision: Any) -> int:
    try:
        return int(str(revision).split("-")[0])
    except ValueError:
        return 0


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
