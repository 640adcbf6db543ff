"""One reading of how people write product ids ("P42", "product 42", "p0042", "#42"), for every caller."""

from __future__ import annotations

import re

__all__ = ["MAX_ID_LENGTH", "id_candidates", "id_key"]

MAX_ID_LENGTH = 64  # longer is not an id anyone typed; checked before any pattern runs
# Linear: the digits are bounded and leading zeros are dropped by int(), not by a backtracking `0*`.
_SHORTHAND = re.compile(r"(?:product|item|id)?\s{0,3}#?\s{0,3}p?(\d{1,12})", re.IGNORECASE)


def _digits(raw: str) -> str | None:
    m = _SHORTHAND.fullmatch(raw) if len(raw) <= MAX_ID_LENGTH else None
    return str(int(m.group(1))) if m else None


def id_candidates(raw: str) -> list[str]:
    """The ids `raw` may mean, most literal first: as written, upper-cased, then the P-number spellings."""
    raw = raw.strip()
    candidates = [raw, raw.upper()]
    digits = _digits(raw)
    if digits is not None:
        candidates += [digits, f"P{int(digits):04d}", f"P{digits}"]
    return list(dict.fromkeys(candidates))


def id_key(value: object) -> str:
    """A comparison key: "P0042", "p42" and "42" are the same product; other ids compare case-blind."""
    text = str(value).strip()
    digits = _digits(text)
    return digits if digits is not None else text.lower()
