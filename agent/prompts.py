"""Prompt files rendered strictly: a missing variable fails loudly. The application says where its files are."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

__all__ = ["load_yaml", "render"]


@lru_cache(maxsize=None)
def _env(root: str) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(root), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=False, autoescape=False)


def render(name: str, root: Path, **variables: Any) -> str:
    return _env(str(root)).get_template(name).render(**variables).strip()


def load_yaml(name: str, root: Path) -> Any:
    return yaml.safe_load((Path(root) / name).read_text(encoding="utf-8"))
