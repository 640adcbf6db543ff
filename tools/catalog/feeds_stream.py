"""JSON values read one at a time from a text stream: a top-level array element by element, an object member by
member (a wrapped list element by element again), JSON Lines line by line, in memory bounded by the largest row,
not the file.

Built on the stdlib decoder's `raw_decode` over a sliding window, so errors keep the stdlib's messages, rows keep
the line they start on, and nesting stays bounded by the interpreter's recursion limit. (ijson streams too, but
reports no positions: a rejected row must name its line.)"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

from .feeds_records import FeedError

__all__ = ["CHUNK_CHARS", "MAX_ROW_CHARS", "TooDeep", "Window", "iter_array", "iter_lines", "iter_members"]

CHUNK_CHARS = 1 << 20  # read 1 Mi characters at a time
MAX_ROW_CHARS = 16 << 20  # one product is never 16 MB of JSON; past that a row is an error, not a reason to hold more
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


class TooDeep(Exception):
    """A value nested past the recursion limit ([[[[…]]]] thousands deep): hostile, not a product."""

    def __init__(self, line: int) -> None:
        super().__init__(f"JSON nested too deeply (line {line})")
        self.line = line


class Window:
    """The unread part of a text stream, with the line and column of each offset in it."""

    def __init__(self, stream: TextIO, source: str, chunk: int | None = None) -> None:
        self.stream, self.source, self.chunk = stream, source, chunk or CHUNK_CHARS
        self.text, self.pos, self.eof = "", 0, False
        self._mark, self._line, self._col = 0, 1, 1  # text[_mark] is at (_line, _col) of the file

    def more(self) -> bool:
        """Drop what was read and append the next piece (at least as much as is held: a long row costs
        O(n log n), not O(n²)); False at the end of the stream."""
        if self.eof:
            return False
        self.where(self.pos)
        self.text, self._mark, self.pos = self.text[self.pos:], 0, 0
        piece = self.stream.read(max(self.chunk, len(self.text)))
        self.eof = not piece
        self.text += piece
        return not self.eof

    def where(self, offset: int) -> tuple[int, int]:
        """(line, column) in the file of text[offset]; offsets asked for never go backwards past the last one."""
        offset = max(offset, self._mark)
        newlines = self.text.count("\n", self._mark, offset)
        if newlines:
            self._line, self._col = self._line + newlines, offset - self.text.rfind("\n", self._mark, offset)
        else:
            self._col += offset - self._mark
        self._mark = offset
        return self._line, self._col

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos:self.pos + 1]

    def value(self) -> tuple[int, Any]:
        """(line, value) of the JSON value at the cursor, reading on as far as it goes."""
        line = self.where(self.pos)[0]
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
                if end < len(self.text) or self.eof:  # at the window's edge a number may go on: read on
                    self.pos = end
                    return line, value
            except json.JSONDecodeError as error:
                if self.eof or len(self.text) - self.pos > MAX_ROW_CHARS:
                    self.fail(error.msg, error.pos)
            except RecursionError:
                raise TooDeep(line) from None
            self.more()

    def fail(self, message: str, offset: int) -> None:
        line, column = self.where(offset)
        raise FeedError(f"{self.source}: not valid JSON: {message} at line {line} column {column}")

    def rest(self) -> str:
        """Everything still held and yet to come (for documents that are not an array: read whole)."""
        return self.text + self.stream.read()


def iter_array(window: Window, *, top: bool = True) -> Iterator[tuple[int, Any]]:
    """(line, element) of the array at the cursor; FeedError for malformed JSON, naming where. `top`: the
    array is the whole document, so nothing may follow it."""
    window.pos += 1  # past "["
    if window.peek() == "]":
        window.pos += 1
    else:
        while True:
            yield window.value()
            following = window.peek()
            window.pos += 1
            if following == "]":
                break
            if following != ",":
                window.fail("Expecting ',' delimiter" if following else "Expecting ',' or ']' (the file ends)",
                            window.pos - 1)
            if window.peek() == "]":
                window.fail("Expecting value", window.pos)
    if top and window.peek():
        window.fail("Extra data", window.pos)


def iter_members(window: Window) -> Iterator[str]:
    """The keys of the top-level object at the cursor, in order. After each key the cursor is at its value, which
    the caller reads (`window.value()`, or `iter_array(window, top=False)` for a long list) before the next key.
    FeedError for malformed JSON, with the stdlib's message and place."""
    window.pos += 1  # past "{"
    if window.peek() == "}":
        window.pos += 1
    else:
        while True:
            if window.peek() != '"':
                window.fail("Expecting property name enclosed in double quotes", window.pos)
            _, key = window.value()
            if window.peek() != ":":
                window.fail("Expecting ':' delimiter", window.pos)
            window.pos += 1
            if not window.peek():
                window.fail("Expecting value", window.pos)
            yield key
            following = window.peek()
            window.pos += 1
            if following == "}":
                break
            if following != ",":
                window.fail("Expecting ',' delimiter", window.pos - 1)
    if window.peek():
        window.fail("Extra data", window.pos)


def iter_lines(stream: TextIO) -> Iterator[tuple[int, str | None]]:
    """(number, line) of each physical line; None for a line longer than MAX_ROW_CHARS (skipped unread)."""
    number = 0
    while True:
        line = stream.readline(MAX_ROW_CHARS)
        if not line:
            return
        number += 1
        if len(line) >= MAX_ROW_CHARS and not line.endswith("\n"):
            while (tail := stream.readline(MAX_ROW_CHARS)) and not tail.endswith("\n"):
                pass
            yield number, None
        else:
            yield number, line
