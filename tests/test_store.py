"""CatalogStore over real Chroma: embedded (PersistentClient) and a real `chroma run` server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from chroma_server import chroma_executable, running_chroma

from tools.catalog.embed import MiniLMEmbedding, OpenAIEmbedding, embedder_from_config
from tools.catalog.product import Product
from tools.catalog.filters import build_where
from tools.catalog.store import CatalogStore, EmbedderMismatch

PRODUCTS = [
    Product(id="H1", title="Audiora Pulse noise cancelling over-ear headphones", brand="Audiora",
            category=["Electronics", "Audio", "Headphones"], price=199.0, sale_price=149.0, rating=4.6,
            review_count=80, stock=5, description="Wireless ANC headphones with 30 hour battery."),
    Product(id="H2", title="Sonique budget wired earbuds", brand="Sonique",
            category=["Electronics", "Audio", "Earbuds"], price=19.0, rating=3.9, stock=0),
    Product(id="P1", title="Nova X smartphone with 48MP camera", brand="Nova",
            category=["Electronics", "Phones"], price=299.0, rating=4.2, stock=12),
    Product(id="K1", title="Stainless steel frying pan 28 cm", brand="Ironwood",
            category=["Home", "Kitchen", "Cookware"], price=39.0, rating=4.8, review_count=300),
    Product(id="K2", title="Ceramic chef knife", brand="Ironwood", category=["Home", "Kitchen"], price=59.0),
    Product(id="T1", title="Trail running shoes, waterproof", brand="Strider",
            category=["Sports", "Running", "Shoes"], price=120.0, rating=4.4, available=False),
]


def _ids(hits: list[tuple[str, float]]) -> list[str]:
    return [doc_id for doc_id, _ in hits]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> CatalogStore:
    s = CatalogStore.open(tmp_path_factory.mktemp("catalog"))
    s.upsert(PRODUCTS)
    return s


def test_upsert_then_read_back(store: CatalogStore) -> None:
    assert store.count() == len(PRODUCTS)
    assert sorted(store.ids()) == sorted(p.id for p in PRODUCTS)
    assert store.get("H1") == PRODUCTS[0]
    assert store.get("nope") is None
    assert [p.id for p in store.get_many(["K1", "nope", "H1", "K1"])] == ["K1", "H1"]


def test_unchanged_upsert_is_a_no_op(store: CatalogStore) -> None:
    before = store.revision
    stats = store.upsert(PRODUCTS)
    assert (stats.added, stats.updated, stats.unchanged) == (0, 0, len(PRODUCTS))
    assert store.revision == before


def test_changed_product_is_updated_and_bumps_revision(tmp_path: Path) -> None:
    s = CatalogStore.open(tmp_path)
    s.upsert(PRODUCTS[:2])
    before = s.revision
    changed = PRODUCTS[1].model_copy(update={"price": 9.5, "title": "Sonique wired earbuds, now cheaper"})
    seen: list[int] = []
    stats = s.upsert([PRODUCTS[0], changed], progress=seen.append)
    assert (stats.added, stats.updated, stats.unchanged) == (0, 1, 1)
    assert sum(seen) == 2
    assert s.revision != before
    assert s.get("H2") == changed
    ids, texts, metas = s.documents()
    row = ids.index("H2")
    assert texts[row].startswith("Sonique wired earbuds, now cheaper") and metas[row]["price"] == 9.5


def test_metadata_and_documents(store: CatalogStore) -> None:
    ids, texts, metas = store.documents()
    assert len(ids) == len(texts) == len(metas) == len(PRODUCTS)
    h1 = metas[ids.index("H1")]
    assert "record" not in h1  # bulky; the lexical index does not need it
    assert h1["price"] == 149.0 and h1["list_price"] == 199.0 and h1["brand"] == "audiora"
    assert (h1["cat0"], h1["cat1"], h1["cat2"], h1["cat_leaf"]) == ("electronics", "audio", "headphones",
                                                                     "headphones")
    assert h1["category"] == "Electronics > Audio > Headphones" and h1["in_stock"] is True
    assert metas[ids.index("K2")]["rating"] == -1.0 and metas[ids.index("H2")]["in_stock"] is False
    assert texts[ids.index("K1")] == PRODUCTS[3].search_text()
    assert store.brands() == ["Audiora", "Ironwood", "Nova", "Sonique", "Strider"]
    assert {"Electronics", "Headphones", "Kitchen", "Running"} <= set(store.categories())


def test_dense_ranks_by_meaning(store: CatalogStore) -> None:
    hits = store.dense("wireless headphones that block noise", None, 3)
    assert hits[0][0] == "H1" and 0 < hits[0][1] <= 1 and hits[0][1] > hits[1][1]
    assert store.dense("cheap phone with a good camera", None, 1)[0][0] == "P1"
    assert store.dense("   ", None, 3) == []
    assert len(store.dense("anything", None, 100)) == len(PRODUCTS)  # k beyond the catalog size


@pytest.mark.parametrize("filters, expected", [
    ({"max_price": 60}, {"H2", "K1", "K2"}),
    ({"min_price": 100, "max_price": 200}, {"H1", "T1"}),  # H1 on sale at 149 (list 199)
    ({"brand": "IRONWOOD"}, {"K1", "K2"}),
    ({"category": "kitchen"}, {"K1", "K2"}),  # a middle level and a leaf level
    ({"category": "Audio"}, {"H1", "H2"}),
    ({"min_rating": 4.5}, {"H1", "K1"}),  # unknown ratings (-1) never pass
    ({"in_stock": True, "category": "electronics"}, {"H1", "P1"}),
    ({"in_stock": False}, {"H2", "T1"}),
])
def test_dense_filters(store: CatalogStore, filters: dict, expected: set[str]) -> None:
    assert set(_ids(store.dense("something to buy", build_where(**filters), 20))) == expected


def test_build_where_shapes() -> None:
    assert build_where() is None
    assert build_where(max_price=10) == {"price": {"$lte": 10.0}}
    where = build_where(min_rating=4, brand=" Nova ", category="Phones")
    assert where is not None and len(where["$and"]) == 3
    assert {"brand": {"$eq": "nova"}} in where["$and"]
    assert {"$or": [{k: {"$eq": "phones"}} for k in ("cat0", "cat1", "cat2", "cat_leaf")]} in where["$and"]


def test_vectors(store: CatalogStore) -> None:
    vectors = store.embeddings(["K1", "nope", "H1"])
    assert set(vectors) == {"K1", "H1"} and vectors["K1"].shape == (384,)
    assert abs(float(np.linalg.norm(vectors["K1"])) - 1) < 1e-3
    hits = store.dense_by_vector(vectors["K1"], None, 2)
    assert hits[0][0] == "K1" and hits[0][1] > 0.99
    assert _ids(store.dense_by_vector(vectors["K1"], build_where(category="audio"), 5)) != []


def test_delete_prune_and_reopen(tmp_path: Path) -> None:
    s = CatalogStore.open(tmp_path / "c")
    s.upsert(PRODUCTS)
    assert s.delete(["K2", "nope"]) == 1
    rev = s.revision
    assert s.prune({"H1", "P1", "K2"}) == 3  # K1, H2, T1
    assert s.revision != rev
    assert s.delete(["nope"]) == 0
    again = CatalogStore.open(tmp_path / "c")
    assert sorted(again.ids()) == ["H1", "P1"] and again.revision == s.revision
    assert again.get("P1") == PRODUCTS[2]


def test_revision_changes_seen_by_other_instance(tmp_path: Path) -> None:
    a = CatalogStore.open(tmp_path)
    b = CatalogStore.open(tmp_path)
    before = b.revision
    a.upsert(PRODUCTS[:1])
    assert b.revision != before and b.brands() == ["Audiora"]


def test_embedder_mismatch_names_both(tmp_path: Path) -> None:
    CatalogStore.open(tmp_path).upsert(PRODUCTS[:1])
    other = OpenAIEmbedding("http://127.0.0.1:9/v1", "text-embedding-3-small")
    with pytest.raises(EmbedderMismatch) as error:
        CatalogStore.open(tmp_path, embedder=other)
    assert "minilm-l6-v2-int8" in str(error.value) and "openai:text-embedding-3-small" in str(error.value)


def test_recorded_embedder_is_reused(tmp_path: Path) -> None:
    endpoint = OpenAIEmbedding("http://127.0.0.1:9/v1", "m1")
    CatalogStore.open(tmp_path, embedder=endpoint)
    assert CatalogStore.open(tmp_path).embedder_id == endpoint.embedder_id
    with pytest.raises(EmbedderMismatch):
        CatalogStore.open(tmp_path, embedder=MiniLMEmbedding())


def test_minilm_is_a_chroma_embedding_function() -> None:
    from chromadb.utils.embedding_functions import known_embedding_functions

    ef = MiniLMEmbedding()
    assert known_embedding_functions[ef.name()] is MiniLMEmbedding and not ef.is_legacy()
    assert isinstance(embedder_from_config(ef.name(), ef.get_config()), MiniLMEmbedding)
    vectors = ef(["a red dress", "crimson evening gown", "socket wrench"])
    assert len(vectors) == 3 and np.asarray(vectors[0]).dtype == np.float32
    sims = np.asarray(vectors) @ np.asarray(vectors[0])
    assert sims[1] > sims[2] and abs(sims[0] - 1) < 1e-3
    long = ef.embed(["word " * 2000])  # truncated at 256 tokens, not an error
    assert long.shape == (1, 384)


class _Embeddings(BaseHTTPRequestHandler):
    """An OpenAI-shaped /v1/embeddings endpoint: a vector per input from its letter counts."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [{"object": "embedding", "index": i,
                 "embedding": [float(text.lower().count(c)) + 0.01 for c in "abcdefghijklmnopqrstuvwxyz"]}
                for i, text in enumerate(inputs)]
        data.reverse()  # servers may answer out of order; the client must sort by index
        payload = json.dumps({"object": "list", "data": data, "model": body["model"],
                              "usage": {"prompt_tokens": 1, "total_tokens": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def embeddings_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Embeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_openai_embedder_through_the_sdk(embeddings_endpoint: str, tmp_path: Path) -> None:
    ef = OpenAIEmbedding(embeddings_endpoint, "letters", batch_size=2)
    vectors = ef.embed(["aaa", "zzz", "aaz"])
    assert vectors.shape == (3, 26) and abs(float(np.linalg.norm(vectors[1])) - 1) < 1e-5
    assert vectors[0].argmax() == 0 and vectors[1].argmax() == 25  # order kept across batches
    s = CatalogStore.open(tmp_path, embedder=ef)
    s.upsert([Product(id="a", title="aaaa", price=1), Product(id="z", title="zzzz", price=1)])
    assert s.dense("zz", None, 1)[0][0] == "z"


# ---------------------------------------------------------------- the same store on a real server
@pytest.fixture(scope="module")
def chroma_url() -> Iterator[str]:
    if chroma_executable() is None:
        pytest.skip("the `chroma` command is not installed")
    with running_chroma() as url:
        yield url


@pytest.mark.server
def test_server_store(chroma_url: str) -> None:
    s = CatalogStore.open(url=chroma_url, collection="server_catalog")
    assert s.upsert(PRODUCTS).added == len(PRODUCTS)
    rev = s.revision
    assert s.upsert(PRODUCTS).unchanged == len(PRODUCTS) and s.revision == rev
    assert s.get("T1") == PRODUCTS[5] and s.count() == len(PRODUCTS)
    assert s.dense("frying pan", build_where(category="kitchen", max_price=50), 3)[0][0] == "K1"
    again = CatalogStore.open(url=chroma_url, collection="server_catalog")
    assert again.revision == rev and again.brands() == s.brands()
    with pytest.raises(EmbedderMismatch):
        CatalogStore.open(url=chroma_url, collection="server_catalog",
                          embedder=OpenAIEmbedding("http://127.0.0.1:9/v1", "m"))
    assert s.prune({"T1"}) == len(PRODUCTS) - 1 and again.ids() == ["T1"]


def test_interrupted_upsert_leaves_whole_products_and_rerun_completes(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.catalog.store as store_module

    monkeypatch.setattr(store_module, "WRITE_BATCH", 2)
    s = CatalogStore.open(tmp_path)

    def feed_that_breaks() -> Iterator[Product]:
        yield from PRODUCTS[:3]
        raise KeyboardInterrupt  # the user pressed Ctrl-C mid-ingest

    with pytest.raises(KeyboardInterrupt):
        s.upsert(feed_that_breaks())
    assert sorted(s.ids()) == ["H1", "H2"]  # the first batch, each with its record and vector
    assert s.get("H2") == PRODUCTS[1] and set(s.embeddings(["H1", "H2"])) == {"H1", "H2"}
    stats = s.upsert(PRODUCTS)
    assert (stats.added, stats.unchanged) == (len(PRODUCTS) - 2, 2) and s.count() == len(PRODUCTS)


def test_foreign_collection_is_refused(tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=str(tmp_path), settings=Settings(anonymized_telemetry=False))
    client.create_collection("catalog", embedding_function=MiniLMEmbedding())
    with pytest.raises(EmbedderMismatch, match="not a shopagent catalog"):
        CatalogStore.open(tmp_path)
