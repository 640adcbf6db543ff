"""The shopper store on real SQLite, event ingest (CSV/JSONL) with its CLI, and get_user_history on the demo data."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from rich.console import Console

from agent.tools import ToolError
from tools.catalog.feeds import FeedError
from tools.history_tools import get_user_history
from tools.resources import demo_dir
from tools.shopper_commands import register
from tools.shoppers import ShopperEvent, ShopperStore

GOOD = [
    {"shopper_id": "N1", "product_id": "P0001", "action": "view", "timestamp": "2026-01-02T10:00:00Z"},
    {"shopper_id": "N1", "product_id": "P0001", "action": "cart", "timestamp": "2026-01-02T10:05:00Z",
     "quantity": 1, "price": 199.99},
    {"shopper_id": "N1", "product_id": "P0001", "action": "purchase", "timestamp": "2026-01-02T10:09:00+01:00",
     "quantity": 2, "price": "$199.99"},
    {"shopper_id": "N2", "product_id": "P0002", "action": "View", "timestamp": "2026-01-03"},
]
# (row, expected reason fragment): each a different way a row goes wrong.
BAD = [
    ({"product_id": "P0001", "action": "view", "timestamp": "2026-01-02T10:00:00Z"}, "missing shopper_id"),
    ({"shopper_id": "N1", "action": "view", "timestamp": "2026-01-02T10:00:00Z"}, "missing product_id"),
    ({"shopper_id": "N1", "product_id": "P0001", "action": "wishlist", "timestamp": "2026-01-02T10:00:00Z"},
     "bad action 'wishlist'"),
    ({"shopper_id": "N1", "product_id": "P0001", "action": "view", "timestamp": "yesterday"}, "bad timestamp"),
    ({"shopper_id": "N1", "product_id": "P0001", "action": "view"}, "missing timestamp"),
    ({"shopper_id": "N1", "product_id": "P0001", "action": "purchase", "timestamp": "2026-01-02T11:00:00Z",
      "quantity": 0}, "quantity must be positive"),
    ({"shopper_id": "N1", "product_id": "P0001", "action": "purchase", "timestamp": "2026-01-02T11:01:00Z",
      "quantity": 1.5}, "bad quantity"),
    ({"shopper_id": "N1", "product_id": "P0001", "action": "purchase", "timestamp": "2026-01-02T11:02:00Z",
      "price": -5}, "negative price"),
    ({"shopper_id": "N1", "product_id": "P0001", "action": "purchase", "timestamp": "2026-01-02T11:03:00Z",
      "price": "cheap"}, "bad price"),
]
UNKNOWN = {"shopper_id": "N1", "product_id": "P9999", "action": "view", "timestamp": "2026-01-02T12:00:00Z"}
COLUMNS = ["shopper_id", "product_id", "action", "timestamp", "quantity", "price"]


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def csv_line(row: dict) -> str:
    return ",".join(str(row.get(c, "")) for c in COLUMNS)


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text(",".join(COLUMNS) + "\n" + "\n".join(lines) + "\n")
    return path


@pytest.fixture()
def known(demo_catalog):
    return set(demo_catalog.ids()).__contains__


# -- the store -----------------------------------------------------------------------------------
def _demo_file_counts() -> tuple[set[str], dict[str, int], int]:
    """What the demo files hold, read independently of the store: shopper ids, events per shopper, all events."""
    from collections import Counter

    from tools.resources import demo_dir

    rows = [json.loads(line) for line in (demo_dir() / "shoppers.jsonl").read_text().splitlines() if line.strip()]
    profiles = json.loads((demo_dir() / "shopper_profiles.json").read_text())
    ids = {p["shopper_id"] for p in profiles} | {r["shopper_id"] for r in rows}
    return ids, Counter(r["shopper_id"] for r in rows), len(rows)


def test_demo_store_holds_profiles_and_events(shopper_store):
    store = shopper_store()
    shoppers = store.shoppers()
    ids, per_shopper, _ = _demo_file_counts()
    assert set(shoppers) == ids and shoppers[0] == "S001"
    assert store.profile_name("S001") == "Maya Chen" and store.profile_name("S999") is None
    events = store.events("S001")
    assert len(events) == per_shopper["S001"] and all(isinstance(e, ShopperEvent) for e in events)
    assert [e.timestamp for e in events] == sorted((e.timestamp for e in events), reverse=True)  # newest first
    assert store.events("S031") == [] and {e.action for e in store.events("S033")} == {"view"}
    purchases = store.events("S001", actions=["purchase"], limit=2)
    assert len(purchases) == 2 and {e.action for e in purchases} == {"purchase"}
    assert store.cart("S001") == []  # the demo's cart events are history; live carts start empty


def test_aggregates_for_recommendations(shopper_store):
    store = shopper_store()
    bought = store.all_purchases()
    assert "S031" not in bought and len(bought["S001"]) == len(set(bought["S001"]))
    assert set(bought["S001"]) == {e.product_id for e in store.events("S001", ["purchase"])}
    counts = store.purchase_counts()
    assert counts["P0229"] == sum("P0229" in ids for ids in bought.values())
    views = store.view_counts()
    assert views and all(n >= 1 for n in views.values()) and max(views.values()) <= len(store.shoppers())


def test_open_default_loads_the_demo_only_once(tmp_path, demo_catalog):
    path = tmp_path / "shoppers.db"
    store = ShopperStore.open_default(path, demo_catalog, demo_dir())
    n = len(store.events("S001"))
    store.clear_cart("S001")
    store.close()
    again = ShopperStore.open_default(path, demo_catalog, demo_dir())
    assert len(again.events("S001")) == n == _demo_file_counts()[1]["S001"]
    assert ShopperStore.open_default(tmp_path / "empty.db", demo_catalog, None).shoppers() == []


# -- ingest --------------------------------------------------------------------------------------
def test_jsonl_ingest_reports_every_bad_row_and_unknown_products(shopper_store, known, tmp_path):
    rows = GOOD + [row for row, _ in BAD] + [UNKNOWN, "{not json", "[1, 2]"]
    feed = write_jsonl(tmp_path / "events.jsonl", rows)
    store = shopper_store(empty=True)
    report = store.ingest_events(feed, known_product=known)
    assert report.format == "jsonl" and (report.ingested, report.already_present) == (4, 0)
    reasons = {r.line: r.reason for r in report.rejections}
    for line, (_, expected) in enumerate(BAD, start=len(GOOD) + 1):
        assert expected in reasons[line], (line, reasons[line])
    assert "invalid JSON" in reasons[len(rows) - 1] and "not a JSON object" in reasons[len(rows)]
    assert report.rejected == len(BAD) + 2
    assert [(u.line, u.product_id) for u in report.unknown_products] == [(len(GOOD) + len(BAD) + 1, "P9999")]
    assert report.summary().startswith("ingested 4 / rejected 11 / unknown products 1 (report: ")
    # the report file lists both kinds, in line order
    lines = [json.loads(x) for x in report.report_path.read_text().splitlines()]
    assert len(lines) == 12 and [x["line"] for x in lines] == sorted(x["line"] for x in lines)
    # stored, normalised to UTC, unknown product not stored
    n1 = store.events("N1")
    assert [(e.action, e.timestamp, e.quantity, e.price) for e in n1] == [
        ("cart", "2026-01-02T10:05:00Z", 1, 199.99), ("view", "2026-01-02T10:00:00Z", 1, None),
        ("purchase", "2026-01-02T09:09:00Z", 2, 199.99)]
    assert store.events("N2")[0].action == "view" and store.events("N2")[0].timestamp == "2026-01-03T00:00:00Z"


def test_reingesting_the_same_file_adds_no_duplicates(shopper_store, known, tmp_path):
    feed = write_jsonl(tmp_path / "events.jsonl", GOOD)
    store = shopper_store(empty=True)
    assert store.ingest_events(feed, known_product=known).ingested == 4
    second = store.ingest_events(feed, known_product=known)
    assert (second.ingested, second.already_present) == (0, 4)
    assert len(store.events("N1")) == 3


def test_demo_events_are_already_present_in_the_demo_store(shopper_store):
    from tools.resources import demo_dir

    report = shopper_store().ingest_events(demo_dir() / "shoppers.jsonl", report_path=False)
    assert report.ingested == 0 and report.already_present == _demo_file_counts()[2] and report.report_path is None


def test_csv_ingest_with_bad_rows_wrong_column_counts_and_unknown_products(shopper_store, known, tmp_path):
    lines = [csv_line(r) for r in GOOD] + [csv_line(r) for r, _ in BAD] + [
        csv_line(UNKNOWN), "N1,P0001,view", "N1,P0001,view,2026-01-02T10:00:00Z,1,2,extra"]
    feed = write_csv(tmp_path / "events.csv", lines)
    report = shopper_store(empty=True).ingest_events(feed, known_product=known, report_path=tmp_path / "r.csv")
    assert report.format == "csv" and report.ingested == 4
    reasons = {r.line: r.reason for r in report.rejections}
    for line, (_, expected) in enumerate(BAD, start=len(GOOD) + 2):  # line 1 is the header
        assert expected in reasons[line]
    assert "too few columns" in reasons[len(lines)] and "too many columns" in reasons[len(lines) + 1]
    assert [u.product_id for u in report.unknown_products] == ["P9999"]
    assert report.report_path.read_text().startswith("file,line,reason,product_id")


def test_csv_aliases_and_a_wrong_file(shopper_store, tmp_path):
    feed = tmp_path / "export.csv"
    feed.write_text("user_id,sku,event,time,qty\nN9,P0003,purchase,2026-02-01T08:00:00Z,3\n")
    store = shopper_store(empty=True)
    assert store.ingest_events(feed).ingested == 1 and store.events("N9")[0].quantity == 3
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,price\nMug,3\n")
    with pytest.raises(FeedError, match="lacks shopper_id, product_id, action, timestamp"):
        store.ingest_events(wrong)
    with pytest.raises(FeedError, match="cannot read"):
        store.ingest_events(tmp_path / "missing.jsonl")


# -- the CLI -------------------------------------------------------------------------------------
def cli_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser.parse_args(["ingest-shoppers", *argv])


def run_cli(*argv: str) -> tuple[int, str]:
    console = Console(file=io.StringIO(), width=120)
    args = cli_args(*argv)
    code = args.func(args, console)
    return code, console.file.getvalue()


def test_cli_ingests_and_renders_a_summary_with_rejections(demo_catalog, tmp_path):
    feed = write_jsonl(tmp_path / "events.jsonl", GOOD + [BAD[2][0], UNKNOWN])
    db = tmp_path / "shoppers.db"
    code, out = run_cli(str(feed), "--catalog", str(demo_catalog.path), "--shoppers-db", str(db),
                        "--report", str(tmp_path / "rej.jsonl"))
    assert code == 0, out
    assert f"ingested 4 / rejected 1 / unknown products 1 (report: {tmp_path / 'rej.jsonl'})" in out
    assert "Rejected rows (2)" in out and "bad action 'wishlist'" in out and "P9999" in out
    assert len(ShopperStore(db).events("N1")) == 3
    code, out = run_cli(str(feed), "--catalog", str(demo_catalog.path), "--shoppers-db", str(db))
    assert code == 0 and "ingested 0 / rejected 1 / unknown products 1 / already present 4" in out


def test_cli_nothing_good_is_exit_1_and_unreadable_is_exit_2(demo_catalog, tmp_path):
    feed = write_jsonl(tmp_path / "bad.jsonl", [UNKNOWN, "{oops"])
    common = ("--catalog", str(demo_catalog.path), "--shoppers-db", str(tmp_path / "s.db"))
    code, out = run_cli(str(feed), *common)
    assert code == 1 and "Nothing ingested" in out and "unknown products 1" in out
    code, out = run_cli(str(tmp_path / "nope.csv"), *common)
    assert code == 2 and "Cannot ingest shoppers" in out
    assert cli_args("x.csv", "--format", "csv").format == "csv"
    with pytest.raises(SystemExit):
        cli_args("x.csv", "--format", "xml")


def test_cli_without_a_catalog_uses_the_default_store_seeded_with_the_demo(demo_catalog, tmp_path, monkeypatch):
    from tools import app

    monkeypatch.setenv("SHOPAGENT_HOME", str(tmp_path / "home"))
    # The default catalog is the demo one; reuse the session's copy rather than index it again.
    monkeypatch.setattr(app, "open_catalog", lambda path, url, *a, **kw: demo_catalog if path is None else None)
    feed = write_csv(tmp_path / "events.csv", [csv_line(GOOD[2])])
    code, out = run_cli(str(feed))
    assert code == 0 and "ingested 1 / rejected 0 / unknown products 0" in out
    store = ShopperStore(tmp_path / "home" / "shoppers.db")
    ids, per_shopper, _ = _demo_file_counts()
    assert len(store.shoppers()) == len(ids) + 1 and len(store.events("S001")) == per_shopper["S001"]
    assert app.shoppers_path(tmp_path / "cat") == tmp_path / "cat" / "shoppers.db"
    assert app.shoppers_path(None) == tmp_path / "home" / "shoppers.db"


# -- get_user_history ----------------------------------------------------------------------------
def history(ctx, **arguments):
    return get_user_history(ctx, get_user_history.validate(arguments))


def test_history_of_a_demo_shopper_has_named_items_and_a_profile(shop_context):
    out = history(shop_context("S001"))
    assert out["shopper_id"] == "S001" and out["name"] == "Maya Chen"
    assert set(out) >= {"purchases", "views", "cart", "profile"}
    first = out["purchases"][0]
    assert first["title"] and first["id"].startswith("P") and first["price"] > 0 and first["quantity"] >= 1
    dates = [p["date"] for p in out["purchases"]]
    assert dates == sorted(dates, reverse=True)
    viewed = [v["id"] for v in out["views"]]
    assert len(viewed) == len(set(viewed)) <= 10  # one entry per product, newest view
    profile = out["profile"]
    assert profile["favourite_categories"][0] == "Sports > Running Shoes"  # S001 is "runner, budget"
    assert len(profile["favourite_brands"]) == 3
    assert profile["counts"] == {"purchases": 4, "views": 29, "cart": 5}
    band = profile["typical_price"]
    assert 0 < band["low"] <= band["high"] and band["currency"] == "USD"


def test_history_kind_and_limit(shop_context):
    ctx = shop_context("S001")
    out = history(ctx, kind="purchases", limit=2)
    assert len(out["purchases"]) == 2 and "views" not in out and "cart" not in out and "profile" in out
    carted = history(ctx, kind="cart")
    assert "view_cart" in carted["note"] and carted["cart"]


def test_a_shopper_without_history_gets_an_empty_history_not_an_error(shop_context):
    out = history(shop_context("S031"))
    assert out["purchases"] == out["views"] == out["cart"] == []
    assert "No shopping history" in out["profile"]["note"]
    views_only = history(shop_context("S033"))
    assert views_only["purchases"] == [] and views_only["views"] and views_only["profile"]["counts"]["purchases"] == 0


def test_history_needs_a_signed_in_shopper(shop_context):
    with pytest.raises(ToolError, match="sign in"):
        history(shop_context(None))


def test_the_model_cannot_name_another_shopper():
    assert "shopper" not in json.dumps(get_user_history.spec()["function"]["parameters"])
    with pytest.raises(ValidationError, match="shopper_id"):
        get_user_history.validate({"shopper_id": "S002"})
    with pytest.raises(ValidationError):
        get_user_history.validate({"kind": "wishlist"})
    with pytest.raises(ValidationError):
        get_user_history.validate({"limit": 0})


def test_history_skips_products_the_catalog_does_not_have(shop_context, shopper_store, tmp_path):
    store = shopper_store(empty=True)
    feed = write_jsonl(tmp_path / "e.jsonl", [dict(UNKNOWN, action="purchase"), GOOD[0]])
    store.ingest_events(feed)  # no known_product check: the store keeps what it is given
    out = history(shop_context("N1", shoppers=store))
    assert out["purchases"] == [] and [v["id"] for v in out["views"]] == ["P0001"]
    assert out["profile"]["counts"] == {"purchases": 0, "views": 1, "cart": 0}
