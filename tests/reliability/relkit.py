"""Helpers of the reliability suite (its own module name: `conftest` is ambiguous with tests/conftest.py, and
spawned processes import helpers by name)."""

from __future__ import annotations

import json
from pathlib import Path

from agent.session import SessionConflict, SessionStore

# Rows an attacker could put in a feed: rich markup, ANSI and OSC-8 sequences, a clear-screen, a bell.
HOSTILE = [
    {"id": "H1", "title": "Phish [link=http://127.0.0.1:9/phish]click[/link] kettle", "price": 19.99,
     "currency": "USD", "brand": "[blink][bold red]Evil[/]", "category": "Kitchen", "stock": 5,
     "description": "A kettle. \x1b]8;;http://127.0.0.1:9/osc\x1b\\osc link\x1b]8;;\x1b\\ \x1b[2J\x07 boils water."},
    {"id": "X9[conceal]", "title": "Concealed \x1b[31mred\x1b[0m toaster", "price": 999.0, "currency": "USD",
     "category": "Kitchen", "stock": 50, "description": "A toaster that toasts bread evenly."},
]


def stored_messages(home: Path) -> list[list[dict]]:
    """Every stored conversation's messages, straight from the SQLite file."""
    import sqlite3

    with sqlite3.connect(home / "sessions.db") as db:
        ids = [sid for (sid,) in db.execute("SELECT id FROM sessions ORDER BY created")]
        return [[json.loads(b) for (b,) in db.execute(
            "SELECT body FROM messages WHERE session_id = ? ORDER BY idx", (sid,))] for sid in ids]


def every_call_answered(messages: list[dict]) -> bool:
    calls = {c["id"] for m in messages if m["role"] == "assistant" for c in m.get("tool_calls") or []}
    answered = {m["tool_call_id"] for m in messages if m["role"] == "tool"}
    return calls <= answered


def writer(path: str, sid: str, name: str, count: int, acked) -> None:
    """A separate process appending `count` messages to one conversation, reloading on every conflict."""
    store = SessionStore(path)
    done = 0
    while done < count:
        messages = store.load(sid).messages
        try:
            store.save(sid, messages + [{"role": "user", "content": f"{name}-{done}"}])
        except SessionConflict:
            continue  # someone else wrote first: reload and try again
        acked.put(f"{name}-{done}")
        done += 1
