"""A guard on what a small model writes as its reply on the grammar protocol: the document's own labels never
reach the user, the assistant never speaks in the user's voice, and no line or sentence is said twice."""

from __future__ import annotations

import re

__all__ = ["LABELS", "guard_reply"]

LABELS = ("User", "Assistant", "Result", "Summary", "Hints", "Call")
_LABEL = re.compile(r"(?:^|(?<=\s))(?:" + "|".join(LABELS) + r")\s*:", re.IGNORECASE)
# First-person requests are the user's lines, not the assistant's ("I'm looking for a pair of headphones.").
_USER_VOICE = re.compile(r"(?i)^(?:i'?m|i am|im)\s+(?:looking|searching)\b|^i\s+(?:need|want|would like|'d like)\b|"
                         r"^(?:can|could|would)\s+you\b|^i\s+don'?t\s+have\s+the\s+money\b")
_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")


def guard_reply(text: str) -> str:
    """`text` cut at the first role label, without sentences in the user's voice and without repeats."""
    label = _LABEL.search(text)
    if label is not None:
        text = text[: label.start()]
    kept: list[str] = []
    seen: set[str] = set()
    for sentence in (s.strip() for s in _BREAK.split(text)):
        key = " ".join(re.sub(r"[^\w\s]", "", sentence.lower()).split())
        if not key or key in seen or _USER_VOICE.search(sentence):
            continue
        seen.add(key)
        kept.append(sentence)
    return " ".join(kept).strip()
