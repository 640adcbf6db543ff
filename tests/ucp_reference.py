"""The UCP reference merchant server (../shared/ucp/sample_server, third-party, run unmodified) on 127.0.0.1,
loaded with the conformance suite's flower shop. Its virtualenv is the one run_conformance.sh makes, plus the
server's own packages; a test skips with the reason when the shared folder or that environment is missing."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, serve

# ../shared beside the repo; SHOPAGENT_SHARED names it elsewhere (a worktree that is not beside it)
SHARED_UCP = Path(os.environ.get("SHOPAGENT_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "ucp"
SERVER_DIR = SHARED_UCP / "sample_server" / "rest" / "python" / "server"
FLOWER_SHOP = SHARED_UCP / "conformance" / "test_data" / "flower_shop"
VENV = Path(os.environ.get("UCP_VENV", "~/.cache/ucp-conformance-venv")).expanduser()
SUITE_PACKAGES = ["ucp-sdk==0.1.0", "fastapi", "uvicorn[standard]", "pydantic>=2.12", "absl-py", "httpx"]
SERVER_PACKAGES = ["sqlalchemy", "aiosqlite", "greenlet", "shortuuid", "click==8.1.7"]
_CHECK = "import ucp_sdk, absl, fastapi, uvicorn, httpx, sqlalchemy, aiosqlite, greenlet, shortuuid"


def _python() -> Path:
    """The reference server's interpreter; built (once) like run_conformance.sh does, or the test is skipped."""
    if not SERVER_DIR.is_dir():
        pytest.skip(f"the UCP reference server is not here ({SERVER_DIR}): ../shared is absent")
    python = VENV / "bin" / "python"
    if python.exists() and subprocess.run([python, "-c", _CHECK], capture_output=True).returncode == 0:
        return python
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=300)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", *SUITE_PACKAGES, *SERVER_PACKAGES], check=True,
                       capture_output=True, timeout=900)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"cannot build the UCP reference server's virtualenv at {VENV}: {exc}")
    return python


def ucp_headers() -> dict[str, str]:
    """What the reference server requires of every request (its test-mode signature included)."""
    import uuid

    return {"UCP-Agent": 'profile="urn:shopagent:test"; version="2026-01-11"',
            "Request-Signature": "test", "Request-Id": str(uuid.uuid4()), "Idempotency-Key": str(uuid.uuid4())}


@contextlib.contextmanager
def reference_merchant(workdir: Path, secret: str = "sim-secret") -> Iterator[str]:
    """The reference merchant with the flower shop in fresh databases under `workdir`; yields its base URL."""
    python = _python()
    products, transactions = workdir / "products.db", workdir / "transactions.db"
    subprocess.run([str(python), "import_csv.py", f"--products_db_path={products}",
                    f"--transactions_db_path={transactions}", f"--data_dir={FLOWER_SHOP}"],
                   cwd=SERVER_DIR, check=True, capture_output=True, timeout=120)
    port = free_port()
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(f"{url}/.well-known/ucp", timeout=1).status_code == 200
        return False

    # It binds every interface (its own choice, not changeable by a flag); the tests only talk to 127.0.0.1.
    argv = [str(python), str(SERVER_DIR / "server.py"), f"--products_db_path={products}",
            f"--transactions_db_path={transactions}", f"--port={port}", f"--simulation_secret={secret}"]
    # cwd: the server reads its discovery profile relative to its folder
    with serve(argv, ready, name="UCP reference server", timeout=60, cwd=str(SERVER_DIR)):
        yield url
