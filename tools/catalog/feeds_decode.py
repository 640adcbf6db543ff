"""Feed bytes to text: a named encoding, else a byte-order mark, else UTF-8, else charset-normalizer."""

from __future__ import annotations

import codecs

from .feeds_records import FeedError

__all__ = ["BOMS", "decode"]

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, encoding: str | None, source: str) -> str:
    """The file's text; FeedError naming --encoding when it cannot be decoded."""
    if encoding is not None:
        try:
            return data.decode(encoding)
        except LookupError:
            raise FeedError(f"unknown encoding {encoding!r}: use a name such as utf-8, cp1252, utf-16, latin-1") from None
        except UnicodeDecodeError as error:
            raise FeedError(f"{source}: not {encoding} text (byte {error.start}): pass the right --encoding") from None
    for bom, name in BOMS:
        if data.startswith(bom):  # Excel's "CSV UTF-8" and "Unicode text" exports
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for the files that need it (import costs ~50 ms)

    results = list(from_bytes(data[:1_000_000]))
    best = results[0] if results else None
    # Short files often tie cp1250 and cp1252 exactly; Excel's default in Western Europe and the Americas wins.
    tied = [r for r in results if best is not None and (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    best = next((r for r in tied if "cp1252" in r.could_be_from_charset), best)
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise FeedError(f"{source}: not UTF-8 text and its encoding cannot be told: pass --encoding, e.g. --encoding cp1252")
