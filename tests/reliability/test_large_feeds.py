"""Large JSON feeds are read as streams: a 50 MB single-line array of numbers is rejected in bounded memory with a
capped report, a valid array or wrapper object ({"products": [...]}) ingests the same however the file is cut
into pieces, and a large wrapped catalog is read without holding its text."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tools.catalog import feeds_stream
from tools.catalog.feeds import read_feed
from tools.catalog.feeds_json import read_json, read_jsonl
from tools.catalog.feeds_records import REPORTED_IN_FULL, FeedError
from tools.catalog.feeds_stream import MAX_ROW_CHARS

ROOT = Path(__file__).resolve().parents[2]
# VmHWM, the peak of this process's own memory map: getrusage's ru_maxrss keeps the parent's peak across fork and
# exec (Linux folds the old map's high-water mark in), so under pytest it would report pytest's own size.
PEAK = """import sys
import cli
code = cli.main(sys.argv[1:])
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("PEAK_KB", peak, "EXIT", code)
"""


def _products(n: int) -> list[dict]:
    return [{"id": f"B{i}", "title": f"Bottle model {i}", "price": 5 + i % 90 + 0.99, "currency": "USD",
             "category": "Kitchen", "description": f"A steel bottle, {i} ml."} for i in range(n)]


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="peak memory is read from Linux's /proc")
def test_a_50_mb_single_line_array_of_numbers_is_rejected_in_bounded_memory(tmp_path):
    feed = tmp_path / "numbers.json"
    rng = random.Random(11)
    with feed.open("w") as out:  # 3.8 M twelve-digit numbers on one line, written in pieces
        out.write("[")
        for block in range(380):
            out.write(",".join(str(rng.randrange(10**11, 10**12)) for _ in range(10_000)))
            out.write("," if block < 379 else "]")
    assert feed.stat().st_size > 49_000_000
    report = tmp_path / "rejects.jsonl"
    done = subprocess.run([sys.executable, "-c", PEAK, "ingest", str(feed), "--catalog", str(tmp_path / "cat"),
                           "--report", str(report)], cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env=dict(os.environ, SHOPAGENT_HOME=str(tmp_path / "home"), COLUMNS="200"))
    assert "Traceback" not in done.stdout + done.stderr
    peak_kb, code = (int(word) for word in done.stdout.split("PEAK_KB")[1].split()[::2])
    assert code == 1 and "Nothing ingested" in done.stdout and "3800000 rows were rejected" in done.stdout
    assert peak_kb < 500 * 1024, f"peak RSS {peak_kb // 1024} MB"  # it was 3.3 GB and counting before
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    assert len(rows) == REPORTED_IN_FULL + 1
    assert rows[-1]["reason"] == f"row is not a JSON object (got int) ({3_800_000 - REPORTED_IN_FULL} more rows not listed)"


def test_a_valid_array_ingests_alike_whatever_the_chunking(tmp_path, monkeypatch):
    products = _products(1500)
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(products, indent=2))
    single = tmp_path / "single.json"
    single.write_text(json.dumps(products))
    whole = read_feed(pretty)
    monkeypatch.setattr(feeds_stream, "CHUNK_CHARS", 97)  # every row and many numbers cut across pieces
    for path in (pretty, single):
        cut = read_feed(path)
        assert [p.id for _, p in cut.products] == [p["id"] for p in products] and not cut.rejections
        assert [p.price for _, p in cut.products] == [p.price for _, p in whole.products]
    assert [line for line, _ in read_feed(pretty).products] == [line for line, _ in whole.products]
    assert whole.products[1][0] == 10  # pretty-printed: each row's own line, counted across pieces

    from tools.catalog.ingest import ingest_file
    from tools.catalog.store import CatalogStore

    store = CatalogStore.open(tmp_path / "catalog")
    report = ingest_file(store, single, report_path=tmp_path / "rejects.jsonl")
    assert report.ingested == 1500 and report.rejected == 0
    assert store.get("B1499").title == "Bottle model 1499"


@pytest.mark.parametrize("text", ['[{"id": 1},\n {"id": 2} {"id": 3}]', '[{"id": 1},\n {"id": 2], 3]',
                                  '[{"id": 1},\n {"id": 2},', '[1, 2,]', '[1, 2] 3', '[{"id": 1}, {"id": "x\\n',
                                  # wrapper objects, read member by member
                                  '{"products": [{"id": 1}],\n "total" 3}', '{"products": [{"id": 1}]\n "total": 3}',
                                  '{"products": [{"id": 1}],}', '{"products": [{"id": 1}]} 3', '{products: []}',
                                  '{"products": [{"id": 1},\n {"id": 2}', '{"products":', '{"a": [1, 2,]}'])
def test_malformed_arrays_and_wrappers_name_the_place_json_loads_names(text, monkeypatch):
    monkeypatch.setattr(feeds_stream, "CHUNK_CHARS", 3)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(FeedError) as got:
        read_json(io.StringIO(text), "f.json")
    assert f"line {expected.value.lineno} column {expected.value.colno}" in str(got.value)


def test_nesting_and_huge_lines_stay_bounded():
    with pytest.raises(FeedError, match="nested too deeply"):
        read_json(io.StringIO("[" + "[" * 100_000 + "]" * 100_000 + "]"), "deep.json")
    text = '{"id": "A", "title": "Mug"}\n' + '"' + "x" * (MAX_ROW_CHARS + 5) + '"\n' + '{"id": "B"}\n'
    records, rejections = read_jsonl(io.StringIO(text), "big.jsonl")
    assert [line for line, _ in records] == [1, 3]
    assert [(r.line, r.reason) for r in rejections] == [(2, "line longer than 16 MB: not one product")]


def _peak_ingest(tmp_path: Path, feed: Path) -> tuple[int, int, str]:
    done = subprocess.run([sys.executable, "-c", PEAK, "ingest", str(feed), "--catalog", str(tmp_path / "cat"),
                           "--report", str(tmp_path / "rejects.jsonl")], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env=dict(os.environ, SHOPAGENT_HOME=str(tmp_path / "home"), COLUMNS="200"))
    assert "Traceback" not in done.stdout + done.stderr
    peak_kb, code = (int(word) for word in done.stdout.split("PEAK_KB")[1].split()[::2])
    return peak_kb, code, done.stdout


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="peak memory is read from Linux's /proc")
def test_a_50_mb_wrapped_list_of_numbers_is_rejected_in_bounded_memory(tmp_path):
    """DummyJSON's and Shopify's layout, {"products": [...], "total": …}, streams like a bare array."""
    feed = tmp_path / "wrapped.json"
    rng = random.Random(12)
    with feed.open("w") as out:
        out.write('{"total": 3800000, "products": [')
        for block in range(380):
            out.write(",".join(str(rng.randrange(10**11, 10**12)) for _ in range(10_000)))
            out.write("," if block < 379 else '], "skip": 0}')
    assert feed.stat().st_size > 49_000_000
    peak_kb, code, screen = _peak_ingest(tmp_path, feed)
    assert code == 1 and "Nothing ingested" in screen and "3800000 rows were rejected" in screen
    assert peak_kb < 500 * 1024, f"peak RSS {peak_kb // 1024} MB"  # read whole (before): 793 MB


WRAPPERS = ['{"total": 1500, "products": %s, "skip": 0}', '{"meta": {"page": [1, 2]}, "data": %s}',
            '{\n  "items": %s\n}', '{"products": [], "products": %s}']


@pytest.mark.parametrize("wrapper", WRAPPERS)
def test_a_wrapped_list_reads_alike_whatever_the_chunking(tmp_path, monkeypatch, wrapper):
    products = _products(300)
    pretty = tmp_path / "pretty.json"
    pretty.write_text(wrapper % json.dumps(products, indent=2))
    single = tmp_path / "single.json"
    single.write_text(wrapper % json.dumps(products))
    whole = {path: [(line, p.id, p.price) for line, p in read_feed(path).products] for path in (pretty, single)}
    assert [row[1] for row in whole[pretty]] == [p["id"] for p in products]
    text = pretty.read_text()
    assert whole[pretty][1][0] == text[:text.index('"B1"')].count("\n")  # each row's own line: that of its "{"
    monkeypatch.setattr(feeds_stream, "CHUNK_CHARS", 97)  # every row and many numbers cut across pieces
    for path in (pretty, single):
        cut = read_feed(path)
        assert [(line, p.id, p.price) for line, p in cut.products] == whole[path] and not cut.rejections


def test_a_lone_product_with_a_list_named_like_a_catalog_stays_one_product(monkeypatch):
    """{"title": …, "items": [...]} is one product (a bundle), whatever its lists are called."""
    monkeypatch.setattr(feeds_stream, "CHUNK_CHARS", 5)
    text = '{"items": [{"sku": "A"}, 3, "x"],\n "id": "K1", "title": "Bundle", "price": 9}'
    assert read_json(io.StringIO(text), "one.json") == ([(1, json.loads(text))], [])
