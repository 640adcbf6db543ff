"""Starts a real llama-cpp-python OpenAI-compatible server on 127.0.0.1 for tests, and always stops it."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import httpx

__all__ = ["free_port", "llama_server"]


def free_port() -> int:
    """A port nothing listens on right now (bound, read, released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def llama_server(model: str | Path, *, n_ctx: int = 2048, chat_format: str = "chatml-function-calling",
                 startup_timeout: float = 90.0) -> Iterator[str]:
    """Yields the server's base URL (`http://127.0.0.1:PORT/v1`) once `/v1/models` answers."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
             "--port", str(port), "--chat_format", chat_format, "--n_ctx", str(n_ctx)],
            stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_ready(proc, base_url, startup_timeout, log)
            yield base_url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_ready(proc: subprocess.Popen, base_url: str, timeout: float, log) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}:\n{_tail(log)}")
        try:
            if httpx.get(f"{base_url}/models", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"llama_cpp.server did not answer at {base_url} within {timeout:.0f}s:\n{_tail(log)}")


def _tail(log, chars: int = 4000) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-chars:]
