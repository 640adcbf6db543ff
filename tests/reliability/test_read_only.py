"""A home the app may not write: every command says what is wrong and where, in one line, with no traceback.

Run for real in a subprocess. chmod does not stop root, so as root the CLI runs as the unprivileged user 65534
(via util-linux `setpriv`) keeping only CAP_DAC_READ_SEARCH: it can still read the repo, the venv and the
interpreter under /root, but it cannot write anything it does not own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli_inputs import SUITE

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534
COMMANDS = (("chat", "--once", "hi", "--scripted", "{script}"), ("search", "mug"), ("ingest", "{feed}"),
            ("eval", "{suite}", "--scripted", "cases"), ("ingest-shoppers", "{events}"))


def _unprivileged() -> list[str]:
    """The command prefix that runs a process without the right to write others' files, or skip saying why."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and util-linux setpriv is missing: no way to drop the right to write")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
            "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, str]:
    files = {"script": ("s.json", json.dumps({"turns": [{"text": "x"}]})),
             "feed": ("feed.jsonl", json.dumps({"id": "A1", "title": "Mug", "price": 5, "currency": "USD"}) + "\n"),
             "suite": ("tiny.yaml", SUITE),
             "events": ("events.jsonl", json.dumps({"shopper_id": "S1", "product_id": "A1", "action": "view",
                                                   "timestamp": "2026-01-01T00:00:00Z"}) + "\n")}
    for name, text in files.values():
        (tmp_path / name).write_text(text)
    return {key: str(tmp_path / name) for key, (name, _) in files.items()}


def _cli(home: Path, argv: tuple[str, ...], inputs: dict[str, str], prefix: list[str]) -> subprocess.CompletedProcess:
    user_home = home.parent / "user"  # where libraries keep their caches, apart from the app's home
    user_home.mkdir(exist_ok=True)
    user_home.chmod(0o777)
    env = dict(os.environ, SHOPAGENT_HOME=str(home), HOME=str(user_home), COLUMNS="250")
    return subprocess.run(prefix + [sys.executable, "cli.py", *(a.format(**inputs) for a in argv)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def _read_only(path: Path) -> None:
    """Owned by whoever runs the tests (root: not the CLI's user), r-x for all: like a home on another account."""
    for folder, dirs, files in os.walk(path):
        for name in files:
            (Path(folder) / name).chmod(0o444)
        Path(folder).chmod(0o555)


def _open_to_all(path: Path) -> None:
    for folder, dirs, files in os.walk(path):
        Path(folder).chmod(0o777)
        for name in files:
            (Path(folder) / name).chmod(0o666)


def test_a_read_only_home_is_one_clear_line_for_every_command(tmp_path, inputs):
    prefix = _unprivileged()
    home = tmp_path / "home"
    home.mkdir()
    _read_only(home)
    try:
        for argv in COMMANDS:
            done = _cli(home, argv, inputs, prefix)
            screen = done.stdout + done.stderr
            assert done.returncode == 2, (argv, screen)
            assert f"cannot write to {home} (the app's home): Permission denied" in screen, (argv, screen)
            assert "Traceback" not in screen, argv
    finally:
        home.chmod(0o755)
    assert not any(home.iterdir())  # nothing was written


def test_stores_that_another_user_made_are_named_not_traced(tmp_path, inputs):
    """The home itself writable, the catalog and the session file in it not: before, Chroma's `attempt to write a
    readonly database` and SQLite traces; now the store's path."""
    prefix = _unprivileged()
    home = tmp_path / "home"
    made = _cli(home, ("ingest", "{feed}"), inputs, [])  # the catalog, as the test's own user
    assert made.returncode == 0, made.stdout + made.stderr
    made = _cli(home, ("chat", "--once", "hi", "--scripted", "{script}"), inputs, [])
    assert made.returncode == 0 and (home / "sessions.db").is_file(), made.stdout + made.stderr
    _read_only(home / "catalog")
    home.chmod(0o777)
    (home / "logs").chmod(0o777)
    try:
        for argv in COMMANDS[:3]:  # the rest pass the same check (the first test runs them all)
            done = _cli(home, argv, inputs, prefix)
            screen = done.stdout + done.stderr
            assert done.returncode == 2, (argv, screen)
            assert f"cannot write to {home / 'catalog'}" in screen and "Permission denied" in screen, (argv, screen)
            assert "Traceback" not in screen and "readonly database" not in screen, argv
        _open_to_all(home / "catalog")
        (home / "sessions.db").chmod(0o444)
        done = _cli(home, ("chat", "--once", "hi", "--scripted", "{script}"), inputs, prefix)
        screen = done.stdout + done.stderr
        assert done.returncode == 2 and f"cannot write to {home / 'sessions.db'}" in screen, screen
        assert "Traceback" not in screen
    finally:
        for folder, dirs, files in os.walk(home):
            Path(folder).chmod(0o755)
