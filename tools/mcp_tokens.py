"""Bearer tokens for MCP clients, each bound to one shopper. Only a hash of a token is stored."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TokenRecord", "TokenStore"]


@dataclass(frozen=True)
class TokenRecord:
    key: str  # the first characters of the token's hash: how a token is named in listings and revocations
    shopper_id: str
    created: float
    label: str = ""


class TokenStore:
    """`mcp_tokens.json` in the state dir: {sha256(token): {shopper_id, created, label}}."""

    FILE = "mcp_tokens.json"

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        self.path = path / self.FILE if path.is_dir() or not path.suffix else path
        self._lock = threading.Lock()

    def add(self, shopper_id: str, label: str = "") -> str:
        """A new token for `shopper_id`; shown once, never stored in clear."""
        if not shopper_id.strip():
            raise ValueError("a token needs a shopper id")
        token = "sa_" + secrets.token_urlsafe(24)
        with self._lock:
            table = self._read()
            table[_digest(token)] = {"shopper_id": shopper_id.strip(), "created": time.time(), "label": label}
            self._write(table)
        return token

    def shopper_for(self, token: str | None) -> str | None:
        """The shopper a token speaks for, or None for an unknown (or revoked) token."""
        if not token:
            return None
        entry = self._read().get(_digest(token))
        return entry["shopper_id"] if entry else None

    def list(self) -> list[TokenRecord]:
        return [TokenRecord(key[:12], e["shopper_id"], e["created"], e.get("label", ""))
                for key, e in sorted(self._read().items(), key=lambda kv: kv[1]["created"])]

    def revoke(self, key_or_token: str) -> int:
        """Remove the tokens whose listed key starts with `key_or_token` (or that token itself); how many went."""
        with self._lock:
            table = self._read()
            digest = _digest(key_or_token)
            gone = [k for k in table if k == digest or (len(key_or_token) >= 6 and k.startswith(key_or_token))]
            for k in gone:
                del table[k]
            if gone:
                self._write(table)
        return len(gone)

    def _read(self) -> dict[str, dict]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except json.JSONDecodeError as exc:
            raise ValueError(f"{self.path} is not a token table ({exc}); fix or remove it") from None

    def _write(self, table: dict[str, dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        # The file names who may act for which shopper: readable by its owner only.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(table, f, indent=1)
        os.replace(tmp, self.path)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
