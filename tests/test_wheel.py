"""The package installs as a wheel (no checkout needed): prompts, suites and the demo shop travel as package data.

Builds the wheel, installs it into a fresh virtualenv (pip reuses the llama-cpp-python wheel it cached when
`make setup` built it, so nothing is compiled twice) and runs the `shopagent` console script from a directory
outside the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.wheel


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, f"{' '.join(argv[:4])} … failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"), str(ROOT)])
    [wheel] = (work / "dist").glob("shopagent-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("prompts/fewshot.yaml", "prompts/system.md", "data/demo/catalog.jsonl",
                    "data/demo/shoppers.jsonl", "evals/suites/cart.yaml", "cli.py", "tools/app.py"):
        assert shipped in names, f"{shipped} is not in {wheel.name}"
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    _run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)])
    return env_dir


def _shopagent(env_dir: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    outside = tmp_path / "elsewhere"
    outside.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["SHOPAGENT_HOME"] = str(tmp_path / "home")
    return _run([str(env_dir / "bin" / "shopagent"), *args], cwd=outside, env=env)


def test_tools_json_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    done = _shopagent(installed, tmp_path, "tools", "--json")
    tools = {t["name"]: t for t in json.loads(done.stdout)}
    assert "search_catalog" in tools and tools["add_to_cart"]["writes"] is True


def test_scripted_chat_once_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"tool_calls": [{"name": "search_catalog", "arguments": {"query": "headphones"}}]},
                                  {"text": "Here you go."}]))
    done = _shopagent(installed, tmp_path, "chat", "--once", "headphones please", "--json", "--scripted", str(script))
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    result = next(e for e in events if e["type"] == "tool_result")
    # the demo catalog came out of the wheel's package data and was indexed into the fresh home
    assert result["ok"] and result["result"]["results"], result
    assert events[-1]["type"] == "done" and events[-1]["ok"]
    imported = subprocess.run([str(installed / "bin" / "python"), "-c", "import tools, sys; print(tools.__file__)"],
                              capture_output=True, text=True, cwd=tmp_path / "elsewhere").stdout
    assert str(installed) in imported  # the wheel's copy ran, not the checkout
