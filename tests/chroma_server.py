"""Start a real Chroma server (`chroma run`) on 127.0.0.1 for tests, and stop it afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from servers import free_port, serve

__all__ = ["chroma_executable", "free_port", "running_chroma"]


def chroma_executable() -> Path | None:
    """The `chroma` console script of this interpreter's environment, if installed."""
    beside = Path(sys.executable).parent / "chroma"
    if beside.is_file():
        return beside
    found = shutil.which("chroma")
    return Path(found) if found else None


def _heartbeat(url: str) -> bool:
    for path in ("/api/v2/heartbeat", "/api/v1/heartbeat"):
        try:
            with urllib.request.urlopen(url + path, timeout=1) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            continue
    return False


@contextlib.contextmanager
def running_chroma(path: str | Path | None = None, timeout: float = 60.0) -> Iterator[str]:
    """Yield the URL of a fresh `chroma run` server with its data in `path` (a temp folder by default)."""
    exe = chroma_executable()
    if exe is None:
        raise RuntimeError("the `chroma` command is not installed (pip install chromadb)")
    with contextlib.ExitStack() as stack:
        folder = Path(path) if path is not None else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        # Telemetry off: nothing may reach the network in tests.
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_TELEMETRY_ENABLED": "false"}
        stack.enter_context(serve([str(exe), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                                  lambda: _heartbeat(url), name="chroma server", timeout=timeout, env=env))
        yield url
