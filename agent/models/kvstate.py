"""The KV cache of a prompt prefix kept on disk, so a new process does not re-evaluate a long fixed prefix.

A few-shot prompt starts every step with the same thousands of tokens. llama.cpp can write a context's state
(its KV cache and the tokens it holds) to a file and read it back. A new process loads the stored state whose
tokens share the longest prefix with its first prompt; llama-cpp-python's own prefix matching then keeps that
prefix and evaluates only the rest. Files are keyed by the model (a cheap fingerprint of the GGUF) and the
prefix's tokens; a few are kept, least recently used first out."""

from __future__ import annotations

import ctypes
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Sequence

import llama_cpp
import numpy as np

__all__ = ["KVStateStore", "model_fingerprint"]


def model_fingerprint(path: Path, n_ctx: int, flash_attn: bool = False) -> str:
    """Size, head and tail of the GGUF plus the context's size and attention kernel (flash attention lays the V
    cache out differently): changes whenever the weights or the saved state's layout do."""
    digest = hashlib.sha256(f"{path.stat().st_size}:{n_ctx}{':fa' if flash_attn else ''}".encode())
    with path.open("rb") as f:
        digest.update(f.read(1 << 20))
        f.seek(max(0, path.stat().st_size - (1 << 20)))
        digest.update(f.read(1 << 20))
    return digest.hexdigest()[:16]


class KVStateStore:
    """Saved context states of one model in `directory`: `<model>-<prefix hash>.kv` with its tokens beside it."""

    def __init__(self, directory: Path, model_key: str, *, keep: int = 3, min_tokens: int = 256) -> None:
        self.directory, self.model_key, self.keep, self.min_tokens = Path(directory), model_key, keep, min_tokens

    def _files(self) -> list[Path]:
        return sorted(self.directory.glob(f"{self.model_key}-*.kv")) if self.directory.is_dir() else []

    def best(self, tokens: Sequence[int]) -> tuple[Path, np.ndarray, int] | None:
        """The stored state sharing the longest prefix with `tokens` (at least `min_tokens`), and that length."""
        found = None
        want = np.asarray(tokens, dtype=np.intc)
        for path in self._files():
            try:
                stored = np.load(path.with_suffix(".tokens.npy"))
            except (OSError, ValueError):
                continue
            n = min(len(stored), len(want))
            mismatch = np.nonzero(stored[:n] != want[:n])[0]
            shared = int(mismatch[0]) if len(mismatch) else n
            if shared >= self.min_tokens and (found is None or shared > found[2]):
                found = (path, stored, shared)
        return found

    def restore(self, llm: Any, tokens: Sequence[int]) -> int:
        """Load the best stored state into a fresh `llm`; returns the tokens it spares (0: nothing usable)."""
        best = self.best(tokens)
        if best is None:
            return 0
        path, stored, shared = best
        buffer = (llama_cpp.llama_token * len(stored))()
        count = ctypes.c_size_t(0)
        ok = llama_cpp.llama_state_load_file(llm._ctx.ctx, str(path).encode(), buffer, len(stored),
                                             ctypes.byref(count))
        if not ok or count.value != len(stored):
            llm.reset()
            _remove(path)  # unreadable (a format from another llama.cpp build, a torn write): rebuild it later
            return 0
        llm.input_ids[: len(stored)] = stored
        llm.n_tokens = len(stored)
        llm._requires_eval = True  # the stored logits are not the ones the next token needs
        os.utime(path)  # recently used
        return shared

    def save(self, llm: Any) -> Path | None:
        """Store what `llm` holds now (written aside, then renamed: a reader never sees half a file)."""
        tokens = np.array(llm._input_ids, dtype=np.intc)
        if len(tokens) < self.min_tokens:
            return None
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{self.model_key}-{hashlib.sha256(tokens.tobytes()).hexdigest()[:16]}"
        target = self.directory / f"{name}.kv"
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.", suffix=".part")
        os.close(fd)
        try:
            array = (llama_cpp.llama_token * len(tokens))(*tokens.tolist())
            if not llama_cpp.llama_state_save_file(llm._ctx.ctx, tmp.encode(), array, len(tokens)):
                return None
            np.save(target.with_suffix(".tokens.npy"), tokens)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        self._prune()
        return target

    def _prune(self) -> None:
        files = sorted(self._files(), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[self.keep:]:
            _remove(old)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_suffix(".tokens.npy").unlink(missing_ok=True)
