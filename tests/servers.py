"""Run a real server process on 127.0.0.1 for a test: start it, wait until it answers, always stop it."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

__all__ = ["free_port", "serve", "serve_ucp"]


def free_port() -> int:
    """A port nothing listens on right now (bound, read, released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(argv: Sequence[str], ready: Callable[[], bool], *, name: str, timeout: float,
          env: dict[str, str] | None = None, cwd: str | None = None) -> Iterator[None]:
    """Start `argv`, poll `ready()` until it is true, and terminate the process when the block ends."""
    with tempfile.TemporaryFile("w+b") as log:
        proc = subprocess.Popen(list(argv), stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        try:
            deadline = time.monotonic() + timeout
            while not ready():
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    log.seek(0)
                    tail = log.read().decode(errors="replace")[-3000:]
                    raise RuntimeError(f"{name} did not start within {timeout:.0f}s (exit {proc.poll()}):\n{tail}")
                time.sleep(0.2)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def serve_ucp(shop: Path, *args: str, name: str = "UCP merchant", timeout: float = 180) -> Iterator[str]:
    """`cli.py serve --ucp-shop SHOP ARGS…` on a free port; yields its base URL once discovery answers."""
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(f"{url}/.well-known/ucp", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    argv = [sys.executable, str(Path(__file__).resolve().parents[1] / "cli.py"), "serve", "--ucp-shop", str(shop),
            "--port", str(port), *args]
    with serve(argv, ready, name=name, timeout=timeout):
        yield url
