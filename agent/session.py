"""Conversations persisted in SQLite, so a chat can be resumed and nothing is lost when a turn fails.

Each session carries a version, bumped by every save; a store saves only over the version it last read or wrote,
so two processes on one conversation never overwrite each other's messages: the second gets `SessionConflict`."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

__all__ = ["SessionConflict", "SessionRecord", "SessionStore", "private_file"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, user_id TEXT, model TEXT, created REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (session_id, idx));
"""


class SessionConflict(RuntimeError):
    """The conversation changed elsewhere (another process) since this store read it; nothing was written."""


def private_file(path: Path) -> Path:
    """Create `path` readable by its owner only (0600), or narrow an existing one: transcripts hold what users
    typed. SQLite gives its journal files the database's mode."""
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)
    return path


@dataclass
class SessionRecord:
    id: str
    user_id: str | None
    model: str | None
    created: float
    updated: float
    messages: list[dict[str, Any]]


class SessionStore:
    def __init__(self, path: str | Path, *, redact: Callable[[Any], Any] | None = None) -> None:
        """`redact`, when given, is applied to every message before it is stored (e.g. `agent.safety.redact_pii`)."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        private_file(self.path)
        # Autocommit; every write opens BEGIN IMMEDIATE itself, so a version check and its write are one step.
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA foreign_keys = ON")
        with self._write():
            self._migrate()
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(sessions)")}
            if "version" not in columns:
                self._db.execute("ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
        self.redact = redact
        self._stored: dict[str, list[str]] = {}  # session id -> the message bodies in the database
        self._version: dict[str, int] = {}  # session id -> the version of those bodies

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")  # takes the write lock now: the check below sees the latest version
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _migrate(self) -> None:
        """Databases written before the column was renamed keep working."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(sessions)")}
        if "shopper_id" in columns:
            self._db.execute("ALTER TABLE sessions RENAME COLUMN shopper_id TO user_id")

    def create(self, user_id: str | None = None, model: str | None = None) -> str:
        sid, now = uuid.uuid4().hex[:12], time.time()
        with self._write():
            self._db.execute("INSERT INTO sessions (id, user_id, model, created, updated, version) "
                             "VALUES (?, ?, ?, ?, ?, 0)", (sid, user_id, model, now, now))
        self._stored[sid], self._version[sid] = [], 0
        return sid

    def latest(self, user_id: str | None = None) -> str | None:
        """The most recently updated session (of this user, when given)."""
        sql, args = "SELECT id FROM sessions", ()
        if user_id is not None:
            sql, args = sql + " WHERE user_id = ?", (user_id,)
        row = self._db.execute(sql + " ORDER BY updated DESC, rowid DESC LIMIT 1", args).fetchone()
        return row[0] if row else None

    def load(self, session_id: str) -> SessionRecord:
        """The stored conversation; later saves through this store must start from this version."""
        self._db.execute("BEGIN")  # one snapshot: the version and the bodies agree
        try:
            row = self._db.execute("SELECT id, user_id, model, created, updated, version FROM sessions "
                                   "WHERE id = ?", (session_id,)).fetchone()
            bodies = [b for (b,) in self._db.execute(
                "SELECT body FROM messages WHERE session_id = ? ORDER BY idx", (session_id,))]
        finally:
            self._db.execute("COMMIT")
        if row is None:
            raise KeyError(f"no session {session_id!r} in {self.path}")
        self._stored[session_id], self._version[session_id] = bodies, row[5]
        return SessionRecord(*row[:5], messages=[json.loads(b) for b in bodies])

    def save(self, session_id: str, messages: list[dict[str, Any]]) -> None:
        """Store the transcript: only messages that differ from what is stored are written (a turn appends a
        few), in one transaction, so a crash leaves the previous version intact. Raises SessionConflict when
        another process saved this conversation since this store last read or wrote it."""
        redact = self.redact or (lambda m: m)
        bodies = [json.dumps(redact(m), ensure_ascii=False) for m in messages]
        with self._write():
            row = self._db.execute("SELECT version FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise KeyError(f"no session {session_id!r} in {self.path}")
            known = self._version.get(session_id)
            if known is not None and row[0] != known:
                raise SessionConflict(
                    f"conversation {session_id} changed elsewhere (another chat saved it: version {row[0]}, "
                    f"this one has {known}); nothing was saved. Resume it to continue from the latest version.")
            stored = self._stored.get(session_id)
            if stored is None or known is None:
                stored = [b for (b,) in self._db.execute(
                    "SELECT body FROM messages WHERE session_id = ? ORDER BY idx", (session_id,))]
            same = next((i for i, (a, b) in enumerate(zip(stored, bodies)) if a != b),
                        min(len(stored), len(bodies)))
            self._db.execute("DELETE FROM messages WHERE session_id = ? AND idx >= ?", (session_id, same))
            self._db.executemany("INSERT INTO messages VALUES (?, ?, ?)",
                                 [(session_id, i, bodies[i]) for i in range(same, len(bodies))])
            self._db.execute("UPDATE sessions SET updated = ?, version = ? WHERE id = ?",
                             (time.time(), row[0] + 1, session_id))
        self._stored[session_id], self._version[session_id] = bodies, row[0] + 1

    def reset(self, session_id: str) -> None:
        self.save(session_id, [])

    def close(self) -> None:
        self._db.close()
