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

from relkit import HOSTILE

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
