"""Helpers the feed tests share: write a feed file, read the ids and rejections of a result."""

from __future__ import annotations

import json
from pathlib import Path

from tools.catalog.feeds import FeedResult, ReadOptions

USD = ReadOptions(currency="USD")  # for fixtures whose prices name no currency (none is ever assumed)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ids(result: FeedResult) -> set[str]:
    return {product.id for _, product in result.products}


def assert_rejected(result: FeedResult, expected: dict[int, str]) -> None:
    """Exactly these lines were rejected, each with a reason containing the given text."""
    got = {rejection.line: rejection.reason for rejection in result.rejections}
    assert sorted(got) == sorted(expected), got
    for line, needle in expected.items():
        assert needle in got[line], (line, got[line])


def jsonl(*rows: object) -> str:
    return "\n".join(row if isinstance(row, str) else json.dumps(row) for row in rows) + "\n"
