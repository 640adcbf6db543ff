"""Feed ingest into a real embedded Chroma catalog, the rejection report, and the CLI handlers."""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.progress import Progress

from tools.catalog import commands, demo
from tools.catalog.feeds import ReadOptions
from tools.catalog.ingest import NothingIngested, ingest_file
from tools.catalog.store import CatalogStore
from tools.resources import demo_dir

DUMMYJSON = Path(__file__).resolve().parents[2] / "shared" / "data" / "dummyjson" / "products.json"

ROWS = [
    {"id": "S1", "title": "Trail running shoes", "brand": "Strider", "category": "Sports > Running",
     "price": 120, "currency": "USD", "rating": 4.4, "stock": 3,  # the file's one currency: USD for every row
     "description": "Waterproof shoes with a grippy sole."},
    {"id": "S2", "title": "Yoga mat, 6 mm", "brand": "Lotus", "category": "Sports > Yoga", "price": 25},
    {"id": "K1", "title": "Cast iron skillet", "brand": "Ironwood", "category": "Home > Kitchen", "price": 45,
     "rating": 4.8},
    {"id": "E1", "title": "Noise cancelling headphones", "brand": "Audiora", "category": "Electronics > Audio",
     "price": 199, "sale_price": 149, "rating": 4.6},
]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


@pytest.fixture()
def store(tmp_path: Path) -> CatalogStore:
    return CatalogStore.open(tmp_path / "catalog")


def test_ingest_is_idempotent_and_updates_changed_rows(store: CatalogStore, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", ROWS)
    first = ingest_file(store, feed)
    assert (first.ingested, first.updated, first.unchanged, first.rejected) == (4, 0, 0, 0)
    assert first.format == "jsonl" and store.count() == 4
    second = ingest_file(store, feed)
    assert (second.ingested, second.updated, second.unchanged) == (0, 0, 4)

    write_jsonl(feed, [dict(ROWS[0], price=99)] + ROWS[1:] + [{"id": "N1", "title": "Water bottle", "price": 9}])
    third = ingest_file(store, feed)
    assert (third.ingested, third.updated, third.unchanged) == (1, 1, 3)
    assert store.get("S1").price == 99 and store.get("N1") is not None


def test_prune_deletes_products_absent_from_the_file(store: CatalogStore, tmp_path: Path) -> None:
    ingest_file(store, write_jsonl(tmp_path / "all.jsonl", ROWS))
    report = ingest_file(store, write_jsonl(tmp_path / "some.jsonl", ROWS[:2]), prune=True)
    assert report.pruned == 2 and report.unchanged == 2
    assert sorted(store.ids()) == ["S1", "S2"]


def test_rejections_are_reported(store: CatalogStore, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "mixed.jsonl", [ROWS[0], {"id": "X1", "price": 5},
                                                  {"id": "X2", "title": "Neg", "price": -1}, "{not json"])
    report = ingest_file(store, feed)
    assert (report.ingested, report.rejected) == (1, 3)
    assert report.report_path == store.path / "rejects" / "mixed.jsonl.rejects.jsonl"
    rows = [json.loads(line) for line in report.report_path.read_text().splitlines()]
    assert [(r["line"], r["product_id"]) for r in rows] == [(2, "X1"), (3, "X2"), (4, None)]
    assert set(rows[0]) == {"file", "line", "reason", "product_id"} and rows[0]["file"] == str(feed)
    assert "title" in rows[0]["reason"] and "price" in rows[1]["reason"]
    assert f"rejected 3 (report: {report.report_path})" in report.summary()

    as_csv = ingest_file(store, feed, report_path=tmp_path / "out" / "rejects.csv")
    with as_csv.report_path.open() as f:
        table = list(csv.DictReader(f))
    assert [r["line"] for r in table] == ["2", "3", "4"] and table[0]["product_id"] == "X1"


def test_nothing_ingested_raises_and_never_prunes(store: CatalogStore, tmp_path: Path) -> None:
    ingest_file(store, write_jsonl(tmp_path / "good.jsonl", ROWS))
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "X1", "price": 5}, {"id": "X2", "title": "t", "price": -1}])
    with pytest.raises(NothingIngested) as error:
        ingest_file(store, bad, prune=True)
    assert "all 2 rows were rejected" in str(error.value) and "missing title" in str(error.value)
    assert len(error.value.rejections) == 2 and error.value.report_path.is_file()
    with pytest.raises(NothingIngested, match="no product rows"):
        ingest_file(store, write_jsonl(tmp_path / "empty.jsonl", []), prune=True)
    assert store.count() == len(ROWS)


def test_progress_factories(store: CatalogStore, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", ROWS)
    advanced: list[int] = []

    @contextlib.contextmanager
    def callback_factory(label: str, total: int) -> Iterator[Any]:
        assert total == len(ROWS) and "feed.jsonl" in label
        yield advanced.append

    ingest_file(store, feed, progress_factory=callback_factory)
    assert sum(advanced) == len(ROWS)

    bars: list[Progress] = []

    def rich_factory(label: str, total: int) -> Progress:  # the shape cli.progress_factory makes
        bars.append(Progress(console=Console(file=io.StringIO())))
        return bars[-1]

    ingest_file(store, feed, progress_factory=rich_factory)  # all unchanged: still advances to the end
    assert bars[0].tasks[0].completed == bars[0].tasks[0].total == len(ROWS)


def test_cli_progress_bar_draws_for_large_jobs(store: CatalogStore, tmp_path: Path) -> None:
    out = io.StringIO()
    bars = commands.progress_bars(Console(file=out, width=100, force_terminal=True), threshold=2)
    report = ingest_file(store, write_jsonl(tmp_path / "feed.jsonl", ROWS), progress_factory=bars)
    assert report.ingested == len(ROWS) and "feed.jsonl" in out.getvalue()


# ---------------------------------------------------------------- CLI handlers
def run_cli(*argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    out = io.StringIO()
    code = args.func(args, Console(file=out, width=120))
    return code, out.getvalue()


def test_cli_ingest_and_search(tmp_path: Path) -> None:
    catalog = str(tmp_path / "catalog")
    feed = write_jsonl(tmp_path / "feed.jsonl", ROWS + [{"id": "X1", "price": 3}])
    code, out = run_cli("ingest", str(feed), "--catalog", catalog)
    assert code == 0, out
    assert "ingested 4 / updated 0 / unchanged 0 / rejected 1 (report:" in out.replace("\n", "")
    assert "Rejected rows (1)" in out and "missing title" in out

    code, out = run_cli("ingest", str(feed), "--catalog", catalog, "--report", str(tmp_path / "r.csv"))
    assert code == 0 and "unchanged 4" in out and (tmp_path / "r.csv").is_file()

    code, out = run_cli("search", "headphones", "--catalog", catalog, "--json", "--limit", "2")
    hits = json.loads(out)  # stdout holds the JSON and nothing else
    assert code == 0 and hits[0]["id"] == "E1" and hits[0]["price"] == 149
    assert {"id", "title", "price", "rating", "score", "why"} <= set(hits[0])

    code, out = run_cli("search", "kitchen pan under 50", "--catalog", catalog)
    assert code == 0 and "Cast iron skillet" in out and "understood" in out and "50" in out

    code, out = run_cli("search", "anything", "--catalog", catalog, "--brand", "Lotus", "--json")
    assert [h["id"] for h in json.loads(out)] == ["S2"]


def test_cli_failures(tmp_path: Path) -> None:
    catalog = str(tmp_path / "catalog")
    code, out = run_cli("ingest", str(write_jsonl(tmp_path / "bad.jsonl", [{"id": "X"}])), "--catalog", catalog)
    assert code == 1 and "Nothing ingested" in out
    code, out = run_cli("ingest", str(tmp_path / "missing.jsonl"), "--catalog", catalog)
    assert code == 2 and "Cannot ingest" in out and "missing.jsonl" in out
    code, out = run_cli("ingest", str(tmp_path / "bad.jsonl"), "--catalog", catalog, "--map", "oops")
    assert code == 2
    code, out = run_cli("ingest", str(tmp_path / "bad.jsonl"), "--catalog", catalog, "--embed-model", "m")
    assert code == 2 and "--embed-base-url" in out


def test_default_catalog_fills_itself_from_the_demo_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPAGENT_HOME", str(tmp_path / "home"))
    # A small stand-in for data/demo/catalog.jsonl keeps this test fast; the mechanism is the same.
    feed = write_jsonl(tmp_path / "demo.jsonl", ROWS)
    seen: list[int] = []

    @contextlib.contextmanager
    def progress(label: str, total: int) -> Iterator[Any]:
        yield seen.append

    home = tmp_path / "home" / "catalog"
    store = demo.open_catalog(progress_factory=progress, default_dir=home, demo_feed=feed)
    assert store.count() == len(ROWS) and sum(seen) == len(ROWS)
    assert store.path == (tmp_path / "home" / "demo").resolve()  # its own catalog, beside the merchant's
    assert demo.open_catalog(default_dir=home, demo_feed=feed).count() == len(ROWS)  # indexed once, not again
    named = demo.open_catalog(path=tmp_path / "mine", demo_feed=feed)
    assert named.count() == 0  # a named catalog holds only what was ingested into it
    # The merchant's first ingest goes to the default catalog, which holds only their products; from then
    # on searches use it, and the demo products never appear in it.
    merchant = demo.open_catalog(default_dir=home)  # what `ingest` opens: no demo feed
    assert merchant.path == home.resolve() and merchant.count() == 0
    ingest_file(merchant, write_jsonl(tmp_path / "mine.jsonl", [{"id": "M1", "title": "Teapot", "price": "12 EUR"}]))
    assert demo.open_catalog(default_dir=home, demo_feed=feed).ids() == ["M1"]


def test_demo_feed_is_valid() -> None:
    from tools.catalog.feeds import read_feed

    result = read_feed(demo_dir() / "catalog.jsonl")
    assert len(result.products) >= 500 and result.rejections == []


# ---------------------------------------------------------------- a real public catalog
@pytest.fixture(scope="module")
def dummyjson(tmp_path_factory: pytest.TempPathFactory) -> CatalogStore:
    if not DUMMYJSON.is_file():
        pytest.skip(f"DummyJSON catalog not found at {DUMMYJSON} (the shared data folder is absent)")
    store = CatalogStore.open(tmp_path_factory.mktemp("dummyjson"))
    report = ingest_file(store, DUMMYJSON, options=ReadOptions(currency="USD"))  # its prices are dollars
    assert report.ingested == store.count() == 194 and report.rejected == 0
    return store


def test_dummyjson_dense_search(dummyjson: CatalogStore) -> None:
    top = dummyjson.get_many([doc_id for doc_id, _ in dummyjson.dense("smartphone", None, 5)])
    assert any("smartphones" in p.category for p in top), [p.title for p in top]
    assert "smartphones" in dummyjson.categories()


def test_cli_ingest_help_lists_formats_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit):
        parser.parse_args(["ingest", "--help"])
    text = capsys.readouterr().out
    for word in ("--currency", "--decimal", "--delimiter", "--encoding", "woocommerce", "magento", "jsonld",
                 "vendure", "shopify", "merchant", "offers.price=price"):
        assert word in text, word


def test_cli_ingest_options_currency_decimal_delimiter_and_warnings(tmp_path: Path) -> None:
    catalog = str(tmp_path / "catalog")
    feed = tmp_path / "excel.csv"
    feed.write_bytes("id;title;price;availability\nE1;Sofá;4.500;in stock\nE2;Mesa;120;ask us\n".encode("cp1252"))
    code, out = run_cli("ingest", str(feed), "--catalog", catalog)
    assert code == 1 and "no currency" in out
    code, out = run_cli("ingest", str(feed), "--catalog", catalog, "--currency", "eur")
    assert code == 0 and "ambiguous price '4.500'" in out and "prices in EUR" in out
    code, out = run_cli("ingest", str(feed), "--catalog", catalog, "--currency", "EUR", "--decimal", ",",
                        "--delimiter", ";", "--encoding", "cp1252")
    assert code == 0 and "rejected 0" in out and "Kept with a warning" in out and "ask us" in out
    store = CatalogStore.open(tmp_path / "catalog")
    assert (store.get("E1").title, store.get("E1").price, store.get("E1").currency) == ("Sofá", 4500.0, "EUR")
    with pytest.raises(SystemExit):
        run_cli("ingest", str(feed), "--catalog", catalog, "--currency", "euro")
