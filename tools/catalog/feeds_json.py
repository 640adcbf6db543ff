"""JSON array / wrapped-list and JSON Lines feeds, read into (line, record) pairs."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from typing import Any, NoReturn, TextIO

from .feeds_records import FeedError, Rejection, RejectionTally, field_of
from .feeds_stream import MAX_ROW_CHARS, TooDeep, Window, iter_array, iter_lines, iter_members

__all__ = ["looks_like_jsonl", "read_json", "read_jsonl"]

Records = list[tuple[int, dict[str, Any]]]
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"\s*")
# When a wrapper object holds several lists, these names say which one is the catalog.
_LIST_KEYS = ("products", "items", "data", "results", "entries")


def read_jsonl(text: str | TextIO, source: str) -> tuple[Records, list[Rejection]]:
    """One JSON object per physical line; a broken line is rejected, not fatal. A stream is read line by line."""
    records: Records = []
    rejections = RejectionTally()
    for number, line in iter_lines(io.StringIO(text) if isinstance(text, str) else text):
        if line is None:
            rejections.add(Rejection(source, number, f"line longer than {MAX_ROW_CHARS >> 20} MB: not one product"))
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            rejections.add(Rejection(source, number, f"invalid JSON: {error.msg} (column {error.colno})"))
            continue
        except RecursionError:  # [[[[…]]]] thousands deep: a hostile line, not a product
            rejections.add(Rejection(source, number, "JSON nested too deeply"))
            continue
        _collect(value, number, source, records, rejections)
    return records, rejections.result()


def read_json(text: str | TextIO, source: str) -> tuple[Records, list[Rejection]]:
    """A JSON array of objects, or an object wrapping one such list (DummyJSON's {"products": [...]}).

    Both are read from the stream: an array element by element, a wrapper member by member with each list in it
    element by element, so memory is bounded by the rows kept, not by the file's text or its junk rows."""
    window = Window(io.StringIO(text) if isinstance(text, str) else text, source)
    first = window.peek()
    try:
        if first == "[":
            records: Records = []
            rejections = RejectionTally()
            for line, value in iter_array(window):
                _collect(value, line, source, records, rejections)
            return records, rejections.result()
        if first == "{":
            return _read_object(window, source)
        _not_a_feed(window.rest(), source)
    except TooDeep:
        raise FeedError(f"{source}: JSON nested too deeply to be a product feed") from None


@dataclass
class _Rows:
    """One list member of a wrapper object, read element by element: its objects, its other elements as
    rejections, and every element while few enough to give a lone product its own list back."""

    records: Records = field(default_factory=list)
    rejections: RejectionTally = field(default_factory=RejectionTally)
    values: list[Any] | None = field(default_factory=list)


_KEPT_VALUES = 100_000  # a product's own list is never this long; a catalog's junk is not held past it


def _read_object(window: Window, source: str) -> tuple[Records, list[Rejection]]:
    line = window.where(window.pos)[0]  # of the "{": a lone product's line
    members: dict[str, Any] = {}  # key -> its value, or _Rows for a list
    for key in iter_members(window):
        if window.peek() != "[":
            members[key] = window.value()[1]  # a duplicated key: the last value counts, as with json.loads
            continue
        rows = members[key] = _Rows()
        for row_line, value in iter_array(window, top=False):
            _collect(value, row_line, source, rows.records, rows.rejections)
            if rows.values is not None:
                rows.values.append(value)
                if len(rows.values) > _KEPT_VALUES:
                    rows.values = None
    if _is_product(members):
        long = [key for key, value in members.items() if isinstance(value, _Rows) and value.values is None]
        if long:
            raise FeedError(f"{source}: one product whose list {long[0]!r} holds over {_KEPT_VALUES} values: "
                            "not a product feed")
        return [(line, {key: value.values if isinstance(value, _Rows) else value
                        for key, value in members.items()})], []
    rows = members[_list_key(members, source)]
    return rows.records, rows.rejections.result()


def _not_a_feed(text: str, source: str) -> NoReturn:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(f"{source}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        raise FeedError(f"{source}: JSON nested too deeply to be a product feed") from None
    raise FeedError(f"{source}: expected a JSON array of products or an object holding one, got {type(document).__name__}")


def looks_like_jsonl(text: str) -> bool:
    """True when the text starts with a JSON object followed by more JSON: JSON Lines saved as .json."""
    try:
        first, end = _DECODER.raw_decode(text, _SPACE.match(text).end())
    except (json.JSONDecodeError, RecursionError):  # too deep to tell: read_json says so clearly
        return False
    return isinstance(first, dict) and bool(text[end:].strip())


def _collect(value: Any, line: int, source: str, records: Records, rejections: RejectionTally) -> None:
    if isinstance(value, dict):
        records.append((line, value))
    else:
        rejections.add(Rejection(source, line, f"row is not a JSON object (got {type(value).__name__})"))


def _is_product(document: dict[str, Any]) -> bool:
    """A lone object with a title is one product, not a wrapper (its 'tags' list is no catalog)."""
    return any(field_of(str(key)) == "title" for key in document)


def _list_key(members: dict[str, Any], source: str) -> str:
    lists = [key for key, value in members.items() if isinstance(value, _Rows)]
    named = [key for key in lists if key.lower() in _LIST_KEYS]
    of_objects = [key for key in lists if members[key].records]
    for candidates in (named, of_objects, lists):
        if len(candidates) == 1:
            return candidates[0]
    found = ", ".join(map(repr, lists)) or "none"
    raise FeedError(f"{source}: a JSON object must hold exactly one list of products (lists found: {found})")
