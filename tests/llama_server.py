"""Starts a real llama-cpp-python OpenAI-compatible server on 127.0.0.1 for tests, and always stops it."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Iterator

import httpx

from servers import free_port, serve

__all__ = ["free_port", "llama_server"]


@contextlib.contextmanager
def llama_server(model: str | Path, *, n_ctx: int = 2048, chat_format: str = "chatml-function-calling",
                 startup_timeout: float = 90.0) -> Iterator[str]:
    """Yields the server's base URL (`http://127.0.0.1:PORT/v1`) once `/v1/models` answers."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    argv = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
            "--port", str(port), "--chat_format", chat_format, "--n_ctx", str(n_ctx)]
    with serve(argv, lambda: _answers(base_url), name="llama_cpp.server", timeout=startup_timeout):
        yield base_url


def _answers(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/models", timeout=1.0).status_code == 200
    except httpx.TransportError:
        return False
