"""The shopper store (SQLite): event history, profiles and live carts, and the CSV/JSONL event ingest."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from agent.session import private_file
from tools.catalog.feeds import FeedError, Rejection
from tools.catalog.feeds_records import RejectionTally, rejected_rows
from tools.catalog.feeds_json import read_jsonl
from tools.catalog.feeds_tabular import read_table, sniff_delimiter
from tools.catalog.ingest import write_rejections
from tools.catalog.money import MoneyError, parse_money

__all__ = ["ACTIONS", "EVENT_FORMATS", "CartLine", "ShopperEvent",
           "ShopperIngestReport", "ShopperStore", "read_events"]

ACTIONS = ("view", "cart", "purchase")
EVENT_FORMATS = ("auto", "csv", "jsonl")

# Column names other exports use for our fields (compared lower-cased, spaces as underscores).
_ALIASES = {"user_id": "shopper_id", "customer_id": "shopper_id", "shopper": "shopper_id",
            "item_id": "product_id", "sku": "product_id", "product": "product_id", "event": "action",
            "event_type": "action", "type": "action", "time": "timestamp", "ts": "timestamp",
            "date": "timestamp", "qty": "quantity", "unit_price": "price"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (shopper_id TEXT PRIMARY KEY, name TEXT, persona TEXT);
CREATE TABLE IF NOT EXISTS events (
    shopper_id TEXT NOT NULL, product_id TEXT NOT NULL, action TEXT NOT NULL, timestamp TEXT NOT NULL,
    at REAL NOT NULL, quantity INTEGER NOT NULL DEFAULT 1, price REAL,
    UNIQUE (shopper_id, product_id, action, timestamp));
CREATE INDEX IF NOT EXISTS events_by_shopper ON events (shopper_id, at);
CREATE TABLE IF NOT EXISTS carts (
    shopper_id TEXT NOT NULL, product_id TEXT NOT NULL, quantity INTEGER NOT NULL, added_at TEXT NOT NULL,
    PRIMARY KEY (shopper_id, product_id));
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass
class ShopperEvent:
    """One thing a shopper did with a product."""

    shopper_id: str
    product_id: str
    action: str
    timestamp: str
    quantity: int = 1
    price: float | None = None


@dataclass
class CartLine:
    """One product in a shopper's live cart."""

    product_id: str
    quantity: int
    added_at: str


@dataclass
class ShopperIngestReport:
    """What one event ingest did; unknown products are reported apart from malformed rows."""

    file: str
    format: str
    ingested: int = 0  # new events stored
    already_present: int = 0  # good rows stored by an earlier ingest of the same events
    rejected: int = 0
    unknown_products: list[Rejection] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    report_path: Path | None = None

    @property
    def good(self) -> int:
        """Rows that are in the store now, new or not."""
        return self.ingested + self.already_present

    def summary(self) -> str:
        """The one-line outcome the CLI prints."""
        line = f"ingested {self.ingested} / rejected {self.rejected} / unknown products {len(self.unknown_products)}"
        if self.already_present:
            line += f" / already present {self.already_present}"
        return line + (f" (report: {self.report_path})" if self.report_path else "")


class ShopperStore:
    """Shoppers' events, names and live carts in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: a UI may run a turn on a worker thread; the agent never calls tools concurrently.
        private_file(self.path)  # carts and histories are personal data
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.executescript(_SCHEMA)

    @classmethod
    def open_default(cls, path: Path, catalog: Any = None, demo_dir: Path | None = None) -> ShopperStore:
        """Open `path`; the first time (no demo load recorded, no events), load the demo shoppers from `demo_dir`."""
        store = cls(path)
        shoppers = demo_dir / "shoppers.jsonl" if demo_dir else None
        if shoppers and store._meta("demo_loaded") is None and store._count("events") == 0 and shoppers.is_file():
            known = set(catalog.ids()) if catalog is not None else None
            store.load_profiles(demo_dir / "shopper_profiles.json")
            # The demo's live carts start empty: its "cart" events are history (carted once, maybe bought).
            store.ingest_events(shoppers, known_product=known.__contains__ if known is not None else None,
                                report_path=False)
            store._set_meta("demo_loaded", _now())
        return store

    def close(self) -> None:
        self._db.close()

    # -- loading ---------------------------------------------------------------------------------
    def load_profiles(self, path: str | Path) -> int:
        """Load names and personas from a JSON list of {shopper_id, name, persona}; returns how many."""
        rows = json.loads(Path(path).read_text(encoding="utf-8"))
        values = [(str(r["shopper_id"]), r.get("name"), r.get("persona")) for r in rows if r.get("shopper_id")]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO profiles VALUES (?, ?, ?)", values)
        return len(values)

    def ingest_events(self, path: str | Path, *, format: str = "auto",
                      known_product: Callable[[str], bool] | None = None,
                      report_path: str | Path | None | bool = None) -> ShopperIngestReport:
        """Ingest a CSV/JSONL event file; bad rows and unknown products are reported, never fatal.

        Raises FeedError when the file as a whole cannot be read. The rejection report goes to
        `report_path`, by default `<db folder>/rejects/<file>.rejects.jsonl`; False writes none.
        """
        source = Path(path)
        fmt, events, rejections = read_events(source, format)
        report = ShopperIngestReport(file=str(source), format=fmt)
        good: list[tuple[int, ShopperEvent]] = []
        for line, event in events:
            if known_product is not None and not known_product(event.product_id):
                report.unknown_products.append(
                    Rejection(str(source), line, f"unknown product id {event.product_id!r} (not in the catalog)",
                              event.product_id))
            else:
                good.append((line, event))
        report.rejections, report.rejected = rejections, rejected_rows(rejections)
        with self._db:
            before = self._db.total_changes
            # INSERT OR IGNORE on the unique (shopper, product, action, timestamp) key: re-ingesting adds nothing.
            self._db.executemany(
                "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(e.shopper_id, e.product_id, e.action, e.timestamp, _epoch(e.timestamp), e.quantity, e.price)
                 for _, e in good])
            report.ingested = self._db.total_changes - before
        report.already_present = len(good) - report.ingested
        if report_path is not False:
            # Always (re)written, even when empty, so a stale report from an earlier run cannot mislead.
            target = Path(report_path) if report_path else self.path.parent / "rejects" / f"{source.name}.rejects.jsonl"
            problems = sorted(report.rejections + report.unknown_products, key=lambda r: r.line)
            report.report_path = write_rejections(problems, target)
        return report

    # -- reading ---------------------------------------------------------------------------------
    def events(self, shopper_id: str, actions: Iterable[str] | None = None,
               limit: int | None = None) -> list[ShopperEvent]:
        """The shopper's events, newest first, optionally only some actions."""
        sql = "SELECT shopper_id, product_id, action, timestamp, quantity, price FROM events WHERE shopper_id = ?"
        params: list[Any] = [shopper_id]
        if actions is not None:
            wanted = list(actions)
            sql += f" AND action IN ({', '.join('?' * len(wanted))})"
            params += wanted
        sql += " ORDER BY at DESC, rowid DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [ShopperEvent(*row) for row in self._db.execute(sql, params)]

    def shoppers(self) -> list[str]:
        """Every known shopper id: those with a profile and those with events."""
        rows = self._db.execute("SELECT shopper_id FROM profiles UNION SELECT DISTINCT shopper_id FROM events")
        return sorted(r[0] for r in rows)

    def profile_name(self, shopper_id: str) -> str | None:
        row = self._db.execute("SELECT name FROM profiles WHERE shopper_id = ?", (shopper_id,)).fetchone()
        return row[0] if row else None

    def all_purchases(self) -> dict[str, list[str]]:
        """Shopper id → distinct product ids bought, in order of first purchase (co-purchase input)."""
        out: dict[str, list[str]] = {}
        rows = self._db.execute("SELECT shopper_id, product_id, MIN(at) AS first FROM events WHERE action = 'purchase' "
                                "GROUP BY shopper_id, product_id ORDER BY shopper_id, first, product_id")
        for shopper_id, product_id, _ in rows:
            out.setdefault(shopper_id, []).append(product_id)
        return out

    def purchase_counts(self) -> dict[str, int]:
        """Product id → number of distinct buyers (popularity; a repeat buyer counts once)."""
        return self._distinct_shoppers("purchase")

    def view_counts(self) -> dict[str, int]:
        """Product id → number of distinct viewers (one shopper refreshing a page counts once)."""
        return self._distinct_shoppers("view")

    def _distinct_shoppers(self, action: str) -> dict[str, int]:
        rows = self._db.execute("SELECT product_id, COUNT(DISTINCT shopper_id) FROM events WHERE action = ? "
                                "GROUP BY product_id", (action,))
        return dict(rows.fetchall())

    # -- the live cart ---------------------------------------------------------------------------
    def cart(self, shopper_id: str) -> list[CartLine]:
        """The shopper's cart lines, oldest first."""
        rows = self._db.execute("SELECT product_id, quantity, added_at FROM carts WHERE shopper_id = ? "
                                "ORDER BY added_at, rowid", (shopper_id,))
        return [CartLine(*row) for row in rows]

    def cart_line(self, shopper_id: str, product_id: str) -> CartLine | None:
        row = self._db.execute("SELECT product_id, quantity, added_at FROM carts "
                               "WHERE shopper_id = ? AND product_id = ?", (shopper_id, product_id)).fetchone()
        return CartLine(*row) if row else None

    def add_to_cart(self, shopper_id: str, product_id: str, quantity: int) -> CartLine:
        """Add `quantity` of a product; a product already in the cart has its line increased."""
        if quantity < 1:
            raise ValueError(f"quantity must be at least 1, got {quantity}")
        with self._db:
            self._db.execute("INSERT INTO carts VALUES (?, ?, ?, ?) ON CONFLICT (shopper_id, product_id) "
                             "DO UPDATE SET quantity = quantity + excluded.quantity",
                             (shopper_id, product_id, quantity, _now()))
        line = self.cart_line(shopper_id, product_id)
        assert line is not None  # just written in the same connection
        return line

    def remove_from_cart(self, shopper_id: str, product_id: str) -> bool:
        """Remove a product's whole line; False when it was not in the cart."""
        with self._db:
            cursor = self._db.execute("DELETE FROM carts WHERE shopper_id = ? AND product_id = ?",
                                      (shopper_id, product_id))
        return cursor.rowcount > 0

    def clear_cart(self, shopper_id: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM carts WHERE shopper_id = ?", (shopper_id,))

    # -- internals -------------------------------------------------------------------------------
    def _count(self, table: str) -> int:
        return int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def __repr__(self) -> str:
        return f"ShopperStore({str(self.path)!r})"


# -- reading event files -------------------------------------------------------------------------
def read_events(path: Path, format: str = "auto") -> tuple[str, list[tuple[int, ShopperEvent]], list[Rejection]]:
    """Parse an event file into (format, [(line, event)], rejections); FeedError when it cannot be read."""
    if format not in EVENT_FORMATS:
        raise FeedError(f"unknown event format {format!r}; expected one of {', '.join(EVENT_FORMATS)}")
    source = str(path)
    if format == "jsonl" or format == "auto" and path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        format, (records, rejections) = "jsonl", _read_text(path, lambda stream: read_jsonl(stream, source))
    else:
        text = _read_text(path, lambda stream: stream.read())
        if format == "auto":
            format = _detect(path, text)
        if not text.strip():
            return format, [], []
        if format == "jsonl":
            records, rejections = read_jsonl(text, source)
        else:
            records, rejections = read_table(text, source, delimiter=sniff_delimiter(text))
            _check_columns(records, source)
    tally = RejectionTally()  # bounded memory for a file of junk rows
    for rejection in rejections:
        tally.add(rejection)
    events = []
    for line, record in records:
        try:
            events.append((line, _event(record)))
        except _BadRow as error:
            tally.add(Rejection(source, line, error.reason, error.product_id))
    rejections = tally.result()
    return format, events, sorted(rejections, key=lambda r: r.line)


def _read_text(path: Path, read: Callable[[TextIO], Any]) -> Any:
    """`read(stream)` over the file as UTF-8 text (JSON Lines read line by line); FeedError when it cannot be."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:  # Excel puts a byte-order mark before CSV exports
            return read(stream)
    except OSError as error:
        raise FeedError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise FeedError(f"{path}: not UTF-8 text") from None


def _detect(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    return "jsonl" if text.lstrip().startswith("{") else "csv"  # .txt and friends: look at the content


def _check_columns(records: list[tuple[int, dict[str, Any]]], source: str) -> None:
    """A CSV without a shopper or product column is the wrong file, not a file of bad rows."""
    if not records:
        return
    names = {_key(k) for k in records[0][1]}
    missing = [c for c in ("shopper_id", "product_id", "action", "timestamp") if c not in names]
    if missing:
        raise FeedError(f"{source}: the header lacks {', '.join(missing)} (columns: {', '.join(records[0][1])})")


class _BadRow(ValueError):
    def __init__(self, reason: str, product_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.product_id = reason, product_id


def _key(name: str) -> str:
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    return _ALIASES.get(key, key)


def _event(record: dict[str, Any]) -> ShopperEvent:
    """One raw record as a validated event, or _BadRow with a reason a person can act on."""
    row = {_key(k): v for k, v in record.items()}
    text = {k: "" if v is None else str(v).strip() for k, v in row.items()}
    product_id = text.get("product_id") or None
    if not text.get("shopper_id"):
        raise _BadRow("missing shopper_id", product_id)
    if not product_id:
        raise _BadRow("missing product_id")
    action = text.get("action", "").lower()
    if action not in ACTIONS:
        raise _BadRow(f"bad action {text.get('action', '')!r}: expected one of {', '.join(ACTIONS)}", product_id)
    timestamp = _timestamp(text.get("timestamp", ""), product_id)
    return ShopperEvent(text["shopper_id"], product_id, action, timestamp,
                        _quantity(row.get("quantity"), product_id), _price(row.get("price"), product_id))


def _timestamp(value: str, product_id: str) -> str:
    """ISO 8601, normalised to UTC 'YYYY-MM-DDTHH:MM:SSZ' so equal instants share the idempotency key."""
    if not value:
        raise _BadRow("missing timestamp", product_id)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _BadRow(f"bad timestamp {value!r}: expected ISO 8601, e.g. 2026-03-01T14:30:00Z", product_id) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # exports without an offset are taken as UTC
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds" if not moment.microsecond
                                                     else "microseconds").replace("+00:00", "Z")


def _quantity(value: Any, product_id: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1  # views rarely carry a quantity
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        raise _BadRow(f"bad quantity {value!r}: expected a whole number", product_id) from None
    if not number.is_integer():
        raise _BadRow(f"bad quantity {value!r}: expected a whole number", product_id)
    if number <= 0:
        raise _BadRow(f"quantity must be positive, got {int(number)}", product_id)
    return int(number)


def _price(value: Any, product_id: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount, _ = parse_money(value)
    except MoneyError as error:
        raise _BadRow(f"bad price {value!r}: {error}", product_id) from None
    return amount


def _epoch(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp).timestamp()


def _now() -> str:
    # Microseconds: two adds in the same second must still list in the order they were made.
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
