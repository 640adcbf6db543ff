"""Fixtures of the reliability suite: the CLI through an injected console (optionally a colour terminal, to see
escape codes), a fresh home per test, and a small catalog of hostile rows ingested for real."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

import cli
from tools.catalog.ingest import ingest_file
from tools.catalog.store import CatalogStore

# Rows an attacker could put in a feed: rich markup, ANSI and OSC-8 sequences, a clear-screen, a bell.
HOSTILE = [
    {"id": "H1", "title": "Phish [link=http://127.0.0.1:9/phish]click[/link] kettle", "price": 19.99,
     "currency": "USD", "brand": "[blink][bold red]Evil[/]", "category": "Kitchen", "stock": 5,
     "description": "A kettle. \x1b]8;;http://127.0.0.1:9/osc\x1b\\osc link\x1b]8;;\x1b\\ \x1b[2J\x07 boils water."},
    {"id": "X9[conceal]", "title": "Concealed \x1b[31mred\x1b[0m toaster", "price": 999.0, "currency": "USD",
     "category": "Kitchen", "stock": 50, "description": "A toaster that toasts bread evenly."},
]


@pytest.fixture(scope="session")
def hostile_catalog(tmp_path_factory: pytest.TempPathFactory) -> CatalogStore:
    root = tmp_path_factory.mktemp("hostile")
    feed = root / "hostile.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in HOSTILE))
    store = CatalogStore.open(root / "catalog")
    ingest_file(store, feed, report_path=root / "rejects.jsonl")
    return store


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("SHOPAGENT_HOME", str(path))
    return path


@pytest.fixture()
def run_cli(demo_catalog, tmp_path, home, capsys):
    """`run(*argv, inputs=[...], script=[...], model=..., colour=False, catalog=store)` → (code, screen, stdout).

    `inputs` items are lines typed, or an exception instance raised at that prompt (EOFError, KeyboardInterrupt)."""

    def run(*argv: str, inputs: list | None = None, script: list | None = None, model=None, colour: bool = False,
            catalog=None, state: bool = True):
        args = list(argv)
        if script is not None:
            path = tmp_path / f"script{len(list(tmp_path.glob('script*')))}.json"
            path.write_text(json.dumps({"turns": script}))
            args += ["--scripted", str(path)]
        if args and args[0] == "chat" and "--catalog" not in args:
            args += ["--catalog", str((catalog or demo_catalog).location)]
            if state:
                args += ["--state-dir", str(tmp_path / "state")]
        out = io.StringIO()
        console = Console(file=out, width=250, force_terminal=colour, color_system="truecolor" if colour else None)
        feed = iter(inputs or [])
        prompts: list[str] = []

        def input_fn(prompt) -> str:
            console.print(prompt, end="")
            prompts.append(str(prompt))
            item = next(feed, EOFError())
            if isinstance(item, BaseException):
                raise item
            return item

        code = cli.main(args, console=console, input_fn=input_fn, model=model)
        run.prompts = prompts
        return code, out.getvalue(), capsys.readouterr().out

    return run


def stored_messages(home: Path) -> list[list[dict]]:
    """Every stored conversation's messages, straight from the SQLite file."""
    import sqlite3

    with sqlite3.connect(home / "sessions.db") as db:
        ids = [sid for (sid,) in db.execute("SELECT id FROM sessions ORDER BY created")]
        return [[json.loads(b) for (b,) in db.execute(
            "SELECT body FROM messages WHERE session_id = ? ORDER BY idx", (sid,))] for sid in ids]


def every_call_answered(messages: list[dict]) -> bool:
    calls = {c["id"] for m in messages if m["role"] == "assistant" for c in m.get("tool_calls") or []}
    answered = {m["tool_call_id"] for m in messages if m["role"] == "tool"}
    return calls <= answered
