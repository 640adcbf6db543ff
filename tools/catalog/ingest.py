"""Feed file → catalog store: read, upsert what changed, report every rejected row, optionally prune."""

from __future__ import annotations

import contextlib
import csv
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tools.catalog.feeds import Note, ReadOptions, Rejection, read_feed
from tools.catalog.feeds_records import REPORTED_IN_FULL, rejected_rows
from tools.catalog.store import CatalogStore

__all__ = ["IngestReport", "NothingIngested", "ProgressFactory", "ingest_file", "default_report_path",
           "write_rejections"]

# progress_factory(label, total) returns a context manager for a progress display; what it yields is either
# advance(n) itself or a rich-Progress-like object (add_task/advance), the shape cli.progress_factory makes.
ProgressFactory = Callable[[str, int], AbstractContextManager[Any]]
REJECTION_FIELDS = ("file", "line", "reason", "product_id")


class NothingIngested(Exception):
    """The feed held no product that could be ingested."""

    def __init__(self, file: str, rejections: list[Rejection], report_path: Path | None) -> None:
        self.file, self.rejections, self.report_path = file, rejections, report_path
        if rejections:
            top = "; ".join(f"{reason} ({n}×)" for reason, n in _reason_counts(rejections).most_common(3))
            detail = f"all {rejected_rows(rejections)} rows were rejected: {top}"
        else:
            detail = "it holds no product rows"
        where = f" (report: {report_path})" if report_path and rejections else ""
        super().__init__(f"nothing ingested from {file}: {detail}{where}")


@dataclass
class IngestReport:
    """What one ingest did."""

    file: str
    format: str
    ingested: int = 0  # new products
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    pruned: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # rows kept with a warning
    currency: str | None = None  # the file's currency, as given or settled
    report_path: Path | None = None

    def summary(self) -> str:
        """The one-line outcome the CLI prints."""
        line = (f"ingested {self.ingested} / updated {self.updated} / unchanged {self.unchanged} / "
                f"rejected {self.rejected}")
        if self.pruned:
            line += f" / pruned {self.pruned}"
        return line + (f" (report: {self.report_path})" if self.report_path else "")


def default_report_path(store: CatalogStore, feed: Path) -> Path:
    """Next to a local catalog (its `rejects/` folder); in the working folder for a server catalog."""
    name = f"{feed.name}.rejects.jsonl"
    return store.path / "rejects" / name if store.path is not None else Path.cwd() / name




def write_rejections(rejections: list[Rejection], path: Path) -> Path:
    """Write rejections as CSV when the name ends in .csv, else as JSON Lines; returns the path. Past the first
    REPORTED_IN_FULL rows, one row per reason says how many more were rejected for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    single = [r for r in rejections if r.count == 1]
    rows = [{k: asdict(r)[k] for k in REJECTION_FIELDS} for r in single[:REPORTED_IN_FULL]]
    rest = _reason_counts(single[REPORTED_IN_FULL:] + [r for r in rejections if r.count != 1])
    rows += [{k: "" for k in REJECTION_FIELDS} | {"reason": f"{reason} ({n} more rows not listed)"}
             for reason, n in rest.most_common()]
    with path.open("w", encoding="utf-8", newline="") as out:
        if path.suffix.lower() == ".csv":
            writer = csv.DictWriter(out, fieldnames=REJECTION_FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        else:
            out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return path


def ingest_file(store: CatalogStore, path: str | Path, *, format: str = "auto",
                mapping: dict[str, str] | None = None, prune: bool = False,
                report_path: str | Path | None = None,
                progress_factory: ProgressFactory | None = None,
                options: ReadOptions | None = None) -> IngestReport:
    """Ingest one feed file into `store`; raises FeedError (unreadable) or NothingIngested (no good row)."""
    feed = Path(path)
    result = read_feed(feed, format=format, mapping=mapping, options=options)
    report = IngestReport(file=str(feed), format=result.format, rejected=rejected_rows(result.rejections),
                          rejections=list(result.rejections), notes=list(result.notes),
                          currency=result.options.currency)
    # Always (re)written, even when empty, so a stale report from an earlier run cannot mislead.
    target = Path(report_path) if report_path is not None else default_report_path(store, feed)
    report.report_path = write_rejections(report.rejections, target)
    if not result.products:
        raise NothingIngested(str(feed), report.rejections, report.report_path)

    products = [product for _, product in result.products]
    with progress_steps(progress_factory, len(products), f"indexing {feed.name}") as advance:
        stats = store.upsert(products, progress=advance)
    report.ingested, report.updated, report.unchanged = stats.added, stats.updated, stats.unchanged
    if prune:
        # Only reached with ≥ 1 good product: a broken or empty file must never wipe the catalog.
        report.pruned = store.prune({p.id for p in products})
    return report


@contextlib.contextmanager
def progress_steps(factory: ProgressFactory | None, total: int, description: str) -> Iterator[Callable[[int], None]]:
    if factory is None:
        yield lambda n: None
        return
    with factory(description, total) as display:
        if callable(display):
            yield display
        else:
            task = display.add_task(description, total=total)
            yield lambda n: display.advance(task, n)


def _reason_counts(rejections: list[Rejection]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for r in rejections:
        counts[r.reason] += r.count
    return counts
