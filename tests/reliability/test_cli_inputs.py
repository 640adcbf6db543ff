"""Bad places, bad files and secrets: every command answers with one clear line (no traceback), exits non-zero,
and never prints or stores a credential."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from servers import free_port

ROOT = Path(__file__).resolve().parents[2]
DEEP = "[" * 100_000 + "]" * 100_000
SUITE = """name: tiny
cases:
  - id: hello
    shopper: S001
    script:
      - text: "Hello, how can I help?"
    turns:
      - user: hi
        reply: {contains: [help]}
"""


# ---------------------------------------------------------------- unwritable places
def test_a_home_that_cannot_be_a_directory_is_one_clear_line(run_cli, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SHOPAGENT_HOME", str(blocker / "home"))
    suite = tmp_path / "tiny.yaml"
    suite.write_text(SUITE)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "A1", "title": "Mug", "price": 5, "currency": "USD"}) + "\n")
    for argv in (["chat", "--once", "hi"], ["search", "mug"], ["ingest", str(feed)], ["eval", str(suite)]):
        code, screen, _ = run_cli(*argv, script=[{"text": "x"}] if argv[0] in ("chat",) else None)
        assert code == 2, argv
        assert "Cannot start: cannot write to" in screen and str(blocker) in screen, argv
        assert "Traceback" not in screen


def test_a_full_disk_fails_the_eval_before_it_runs(tmp_path):
    """RLIMIT_FSIZE makes every write past a few bytes fail as a full disk would (EFBIG instead of ENOSPC)."""
    suite = tmp_path / "tiny.yaml"
    suite.write_text(SUITE)
    home = tmp_path / "home"
    home.mkdir()
    code = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            "resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024)); import cli; "
            f"sys.exit(cli.main(['eval', {str(suite)!r}, '--scripted', 'cases', '--report', "
            f"{str(tmp_path / 'r.json')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, SHOPAGENT_HOME=str(home), COLUMNS="200"))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "cannot write to" in done.stdout and "File too large" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_report_a_directory_and_catalog_or_state_dir_a_file(run_cli, tmp_path):
    suite = tmp_path / "tiny.yaml"
    suite.write_text(SUITE)
    code, screen, _ = run_cli("eval", str(suite), "--scripted", "cases", "--report", str(tmp_path))
    assert code == 2 and "is a directory" in screen
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x")
    code, screen, _ = run_cli("search", "mug", "--catalog", str(a_file))
    assert code == 2 and "is a file" in screen
    code, screen, _ = run_cli("chat", "--once", "hi", "--state-dir", str(a_file), script=[{"text": "x"}], state=False)
    assert code == 2 and "is a file" in screen and "Traceback" not in screen


def test_a_missing_catalog_is_reported_as_new_and_not_created(run_cli, tmp_path):
    missing = tmp_path / "no-such-catalog"
    code, screen, _ = run_cli("search", "mug", "--catalog", str(missing))
    assert code == 2 and "new and empty" in screen and "ingest" in screen
    assert not missing.exists()
    code, screen, _ = run_cli("chat", "--once", "hi", "--catalog", str(missing), script=[{"text": "x"}])
    assert code == 2 and "new and empty" in screen


# ---------------------------------------------------------------- malformed files
@pytest.mark.parametrize("content, says", [
    (None, "cannot read the script"),  # a directory
    ("[1, 2, 3]", "turn 1"),
    ('[{"tool_calls": [{"arguments": {}}]}]', "needs a \"name\""),
    ("[]", "non-empty list"),
    ('{"turns": "x"}', "non-empty list"),
    ("not json", "not a JSON script"),
    (DEEP, "nested too deeply"),
])
def test_malformed_scripted_files_are_clear_errors(run_cli, tmp_path, content, says):
    path = tmp_path / "bad.json"
    if content is None:
        path.mkdir()
    else:
        path.write_text(content)
    code, screen, _ = run_cli("chat", "--once", "hi", "--scripted", str(path))
    assert code == 2 and "Cannot start" in screen and says in screen and "Traceback" not in screen


def test_nested_and_binary_suites_are_clear_errors(run_cli, tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("cases: " + "[" * 20_000 + "]" * 20_000)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(bytes(range(256)) * 8)
    for path, says in ((deep, "nested too deeply"), (binary, "not a text file")):
        code, screen, _ = run_cli("eval", str(path), "--scripted", "cases")
        assert code == 2 and says in screen and "Traceback" not in screen


def test_nested_json_feeds_are_rejected_rows_or_a_clear_error(run_cli, tmp_path):
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text(json.dumps({"id": "A1", "title": "Mug", "price": 5, "currency": "USD"}) + "\n" + DEEP + "\n")
    code, screen, _ = run_cli("ingest", str(jsonl), "--catalog", str(tmp_path / "cat"))
    assert code == 0 and "nested too deeply" in screen
    whole = tmp_path / "feed.json"
    whole.write_text(DEEP)
    code, screen, _ = run_cli("ingest", str(whole), "--catalog", str(tmp_path / "cat2"))
    assert code == 2 and "nested too deeply" in screen and "Traceback" not in screen


def test_rejected_row_reports_are_capped(run_cli, tmp_path):
    from tools.catalog.ingest import REPORTED_IN_FULL

    feed = tmp_path / "junk.jsonl"
    feed.write_text(json.dumps({"id": "A1", "title": "Mug", "price": 5, "currency": "USD"}) + "\n"
                    + "7\n" * (REPORTED_IN_FULL + 500))
    report = tmp_path / "rejects.jsonl"
    run_cli("ingest", str(feed), "--catalog", str(tmp_path / "cat"), "--report", str(report))
    rows = [json.loads(l) for l in report.read_text().splitlines()]
    assert REPORTED_IN_FULL < len(rows) <= REPORTED_IN_FULL + 10
    assert any("500 more rows not listed" in r["reason"] for r in rows)


# ---------------------------------------------------------------- exit codes and secrets
def test_a_failed_once_turn_exits_non_zero(run_cli):
    code, _, stdout = run_cli("chat", "--once", "hi", "--json", script=[{"raise": "ModelUnavailable",
                                                                        "message": "server gone"}])
    assert code == 1 and any(json.loads(l)["type"] == "error" for l in stdout.splitlines())
    code, _, _ = run_cli("chat", "--once", "hi", script=[{"text": "fine"}])
    assert code == 0


def test_credentials_in_the_base_url_are_never_stored_or_shown(run_cli, home, tmp_path):
    port = free_port()  # nothing listens there: the turn fails and the error names the endpoint
    url = f"http://ada:hunter2@127.0.0.1:{port}/v1?api_key=SECRETKEY&x=1"
    code, screen, stdout = run_cli("chat", "--once", "hi", "--json", "--base-url", url, "--model", "m",
                                   "--timeout", "2")
    assert code == 1
    error = next(json.loads(l) for l in stdout.splitlines() if json.loads(l)["type"] == "error")
    assert f"127.0.0.1:{port}" in error["message"]
    with sqlite3.connect(home / "sessions.db") as db:
        (model,) = db.execute("SELECT model FROM sessions").fetchone()
    assert f"127.0.0.1:{port}" in model
    suite = tmp_path / "tiny.yaml"
    suite.write_text(SUITE)
    report = tmp_path / "report.json"
    code, eval_screen, _ = run_cli("eval", str(suite), "--base-url", url, "--model", "m", "--timeout", "2",
                                   "--report", str(report))
    everything = screen + stdout + model + eval_screen + report.read_text()
    assert json.loads(report.read_text())["model"].startswith("m@http://***@127.0.0.1")
    assert "hunter2" not in everything and "SECRETKEY" not in everything and "ada:" not in everything
