"""What a shopper's line says about an order they placed: its id ("ord_3f2a…") and a cancel reason in the
policy's two words ("I ordered it by mistake" → "ordered by mistake"), for the small-model preparer to pin.
Only explicit phrases count: "I changed my mind" is not read as either reason (the assistant asks)."""

from __future__ import annotations

import re

__all__ = ["cancel_reason", "order_ids"]

_ORDER_ID = re.compile(r"(?<![A-Za-z0-9_])ord_[A-Za-z0-9]{4,40}(?![A-Za-z0-9_])")
_MISTAKE = re.compile(r"(?i)\b(?:by\s+(?:a\s+)?mistake|by\s+accident|accidentally|mistakenly|in\s+error)\b")
_NOT_NEEDED = re.compile(r"(?i)\b(?:no\s+longer\s+need(?:ed)?|(?:don'?t|do\s+not|won'?t|doesn'?t)\s+need\s+(?:it|them|"
                         r"this|that|the\s+\w+)(?:\s+any\s*more)?|not\s+needed\s+any\s*more)\b")


def order_ids(text: str) -> tuple[str, ...]:
    """The order ids written in the line, in order, once each."""
    return tuple(dict.fromkeys(m.group() for m in _ORDER_ID.finditer(text[:2000])))


def cancel_reason(text: str) -> str | None:
    """'ordered by mistake' or 'no longer needed' when the line says so in so many words, else None."""
    text = text[:2000]
    if _MISTAKE.search(text):
        return "ordered by mistake"
    if _NOT_NEEDED.search(text):
        return "no longer needed"
    return None
