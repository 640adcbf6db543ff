"""JSON array / wrapped-list and JSON Lines feeds, read into (line, record) pairs."""

from __future__ import annotations

import io
import json
import re
from typing import Any, TextIO

from .feeds_records import FeedError, Rejection, RejectionTally, field_of
from .feeds_stream import MAX_ROW_CHARS, TooDeep, Window, iter_array, iter_lines

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

    A top-level array is read element by element from the stream (memory bounded by the largest row); a wrapper
    object is read whole."""
    window = Window(io.StringIO(text) if isinstance(text, str) else text, source)
    first = window.peek()
    if first != "[":
        return _read_document(window.rest(), source)
    records: Records = []
    rejections = RejectionTally()
    try:
        for line, value in iter_array(window):
            _collect(value, line, source, records, rejections)
    except TooDeep:
        raise FeedError(f"{source}: JSON nested too deeply to be a product feed") from None
    return records, rejections.result()


def _read_document(text: str, source: str) -> tuple[Records, list[Rejection]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(f"{source}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        raise FeedError(f"{source}: JSON nested too deeply to be a product feed") from None
    if isinstance(document, dict) and _is_product(document):
        return [(text.count("\n", 0, _SPACE.match(text).end()) + 1, document)], []
    elif isinstance(document, dict):
        key = _list_key(document, source)
        start = _find_member(text, key)
    else:
        raise FeedError(f"{source}: expected a JSON array of products or an object holding one, got {type(document).__name__}")
    records: Records = []
    rejections = RejectionTally()
    line, counted = 1, 0
    for position, value in _array_items(text, start):
        line, counted = line + text.count("\n", counted, position), position  # incremental: O(file size)
        _collect(value, line, source, records, rejections)
    return records, rejections.result()


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


def _list_key(document: dict[str, Any], source: str) -> str:
    lists = [key for key, value in document.items() if isinstance(value, list)]
    named = [key for key in lists if key.lower() in _LIST_KEYS]
    of_objects = [key for key in lists if any(isinstance(item, dict) for item in document[key])]
    for candidates in (named, of_objects, lists):
        if len(candidates) == 1:
            return candidates[0]
    found = ", ".join(map(repr, lists)) or "none"
    raise FeedError(f"{source}: a JSON object must hold exactly one list of products (lists found: {found})")


def _find_member(text: str, wanted: str) -> int:
    """Offset of the value of top-level member `wanted`, walking members with the stdlib decoder."""
    found = -1
    position = _SPACE.match(text).end()  # at "{"
    while text[position] != "}":
        position = _SPACE.match(text, position + 1).end()  # past "{" or ","
        key, position = _DECODER.raw_decode(text, position)
        position = _SPACE.match(text, _SPACE.match(text, position).end() + 1).end()  # past ":"
        if key == wanted:
            found = position  # keep walking: json.loads keeps the last of duplicated keys
        _, position = _DECODER.raw_decode(text, position)
        position = _SPACE.match(text, position).end()
    return found


def _array_items(text: str, start: int) -> list[tuple[int, Any]]:
    """(offset, value) of each element of the array starting at `start` (already validated JSON)."""
    items = []
    position = _SPACE.match(text, start + 1).end()
    if text[position] == "]":
        return items
    while True:
        value, end = _DECODER.raw_decode(text, position)
        items.append((position, value))
        position = _SPACE.match(text, end).end()
        if text[position] == "]":
            return items
        position = _SPACE.match(text, position + 1).end()  # past ","
