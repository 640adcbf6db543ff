"""Conversations persisted in SQLite, so a chat can be resumed and nothing is lost when a turn fails."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SessionRecord", "SessionStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, user_id TEXT, model TEXT, created REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (session_id, idx));
"""


@dataclass
class SessionRecord:
    id: str
    user_id: str | None
    model: str | None
    created: float
    updated: float
    messages: list[dict[str, Any]]


class SessionStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._migrate()
        self._db.executescript(_SCHEMA)
        self._stored: dict[str, list[str]] = {}  # session id -> the message bodies in the database

    def _migrate(self) -> None:
        """Databases written before the column was renamed keep working."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(sessions)")}
        if "shopper_id" in columns:
            with self._db:
                self._db.execute("ALTER TABLE sessions RENAME COLUMN shopper_id TO user_id")

    def create(self, user_id: str | None = None, model: str | None = None) -> str:
        sid, now = uuid.uuid4().hex[:12], time.time()
        with self._db:
            self._db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", (sid, user_id, model, now, now))
        return sid

    def latest(self, user_id: str | None = None) -> str | None:
        """The most recently updated session (of this user, when given)."""
        sql, args = "SELECT id FROM sessions", ()
        if user_id is not None:
            sql, args = sql + " WHERE user_id = ?", (user_id,)
        row = self._db.execute(sql + " ORDER BY updated DESC, rowid DESC LIMIT 1", args).fetchone()
        return row[0] if row else None

    def load(self, session_id: str) -> SessionRecord:
        row = self._db.execute("SELECT id, user_id, model, created, updated FROM sessions WHERE id = ?",
                               (session_id,)).fetchone()
        if row is None:
            raise KeyError(f"no session {session_id!r} in {self.path}")
        bodies = [b for (b,) in self._db.execute("SELECT body FROM messages WHERE session_id = ? ORDER BY idx",
                                                 (session_id,))]
        self._stored[session_id] = bodies
        return SessionRecord(*row, messages=[json.loads(b) for b in bodies])

    def save(self, session_id: str, messages: list[dict[str, Any]]) -> None:
        """Store the transcript: only messages that differ from what is stored are written (a turn appends a
        few), in one transaction, so a crash leaves the previous version intact."""
        bodies = [json.dumps(m, ensure_ascii=False) for m in messages]
        stored = self._stored.get(session_id)
        if stored is None:
            stored = [b for (b,) in self._db.execute(
                "SELECT body FROM messages WHERE session_id = ? ORDER BY idx", (session_id,))]
        same = next((i for i, (a, b) in enumerate(zip(stored, bodies)) if a != b), min(len(stored), len(bodies)))
        with self._db:
            self._db.execute("DELETE FROM messages WHERE session_id = ? AND idx >= ?", (session_id, same))
            self._db.executemany("INSERT INTO messages VALUES (?, ?, ?)",
                                 [(session_id, i, bodies[i]) for i in range(same, len(bodies))])
            self._db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (time.time(), session_id))
        self._stored[session_id] = bodies

    def reset(self, session_id: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM messages WHERE session_id = ?", (session_id,))
        self._stored[session_id] = []

    def close(self) -> None:
        self._db.close()
