"""The shop's shipped files (prompts, demo data) as package data, found the same way in a checkout and a wheel."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from agent.prompts import load_yaml, render

__all__ = ["demo_dir", "load_prompt_yaml", "prompts_dir", "render_prompt"]


@lru_cache(maxsize=None)
def prompts_dir() -> Path:
    """The shipped prompt files (the `prompts` package's data)."""
    return Path(str(resources.files("prompts")))


@lru_cache(maxsize=None)
def demo_dir() -> Path:
    """The shipped demo shop: catalog feed, shoppers and their histories (the `data.demo` package's data)."""
    return Path(str(resources.files("data.demo")))


def render_prompt(name: str, **variables: Any) -> str:
    return render(name, prompts_dir(), **variables)


def load_prompt_yaml(name: str) -> Any:
    return load_yaml(name, prompts_dir())
