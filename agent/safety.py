"""Text hygiene at the edges: control codes out of anything shown, secrets out of URLs, PII out of stored text."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["redact_pii", "redact_secrets", "redact_url", "strip_controls"]

# C0 (but tab and newline), DEL and C1: ESC starts ANSI/OSC sequences (colour, hyperlinks, clear-screen), a bare
# CR rewrites the line, BEL and backspace hide text. The sequences' printable tails ("[2J") are left as plain text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SECRET_PARAMS = {"api_key", "apikey", "key", "token", "access_token", "auth", "password", "secret", "sig",
                  "signature"}
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s'\"<>]+", re.IGNORECASE)


def strip_controls(text: str) -> str:
    """`text` without terminal control characters (tabs and newlines stay)."""
    return _CONTROLS.sub("", text)


def redact_url(url: str) -> str:
    """The URL with its userinfo and credential-like query parameters replaced by `***`."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a URL we can take apart: hide everything between scheme and path
        return re.sub(r"//[^/]*@", "//***@", url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"***@{host}{port}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if k.lower() in _SECRET_PARAMS else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_secrets(text: str) -> str:
    """Every URL inside `text` redacted (error messages quote the endpoint they failed on)."""
    return _URL.sub(lambda m: redact_url(m.group(0)), text)


# PII a user may type: e-mail addresses, payment card numbers (13-19 digits, spaces or dashes between groups,
# Luhn-checked so order numbers and ids stay), phone numbers (groups of digits with separators, 9-15 digits: a date has 8).
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b")
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w-])")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return f"[card ****{digits[-4:]}]" if _luhn(digits) else match.group(0)


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[phone]" if 9 <= len(digits) <= 15 else match.group(0)


def redact_pii(value: Any) -> Any:
    """E-mails, card numbers and phone numbers masked in a string, or in every string inside lists and dicts."""
    if isinstance(value, str):
        value = _EMAIL.sub("[email]", value)
        value = _CARD.sub(_card, value)
        return _PHONE.sub(_phone, value)
    if isinstance(value, list):
        return [redact_pii(v) for v in value]
    if isinstance(value, dict):
        return {k: redact_pii(v) for k, v in value.items()}
    return value
