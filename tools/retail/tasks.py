"""τ²-bench task files and replay expectations, read as pydantic models (third-party files: a trust boundary)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

__all__ = ["Action", "Criteria", "Expected", "ExpectedAction", "Instructions", "Scenario", "Task", "TaskFileError",
           "load_expected", "load_tasks"]


class TaskFileError(ValueError):
    """A task or expectation file that cannot be used; the message names the file and the problem."""


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")  # τ² adds fields (issues, descriptions) we do not need


class Action(_Loose):
    action_id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class Criteria(_Loose):
    actions: list[Action] = Field(default_factory=list)
    communicate_info: list[str] = Field(default_factory=list)
    nl_assertions: list[str] | None = None
    reward_basis: list[str] = Field(default_factory=list)


class Instructions(_Loose):
    domain: str = ""
    reason_for_call: str = ""
    known_info: str | None = None
    unknown_info: str | None = None
    task_instructions: str = ""

    def __str__(self) -> str:
        """The scenario text the simulated customer reads, laid out the way τ² lays it out."""
        parts = [f"Domain: {self.domain}", f"Reason for call:\n{textwrap.indent(self.reason_for_call, chr(9))}"]
        if self.known_info is not None:
            parts.append(f"Known info:\n{textwrap.indent(self.known_info, chr(9))}")
        if self.unknown_info is not None:
            parts.append(f"Unknown info:\n{textwrap.indent(self.unknown_info, chr(9))}")
        parts.append(f"Task instructions:\n{textwrap.indent(self.task_instructions, chr(9))}")
        return "\n".join(parts)


class Scenario(_Loose):
    persona: str | None = None
    instructions: Instructions | str

    def __str__(self) -> str:
        parts = ["Persona:", textwrap.indent(self.persona, "\t")] if self.persona is not None else []
        return "\n".join([*parts, "Instructions:", textwrap.indent(str(self.instructions), "\t")])


class Task(_Loose):
    id: str
    user_scenario: Scenario
    evaluation_criteria: Criteria = Field(default_factory=Criteria)

    @property
    def actions(self) -> list[Action]:
        return self.evaluation_criteria.actions


class ExpectedAction(_Loose):
    action_id: str
    name: str
    output: str
    error: bool = False


class Expected(_Loose):
    task_id: str
    actions: list[ExpectedAction]
    db_sha256: str


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TaskFileError(f"{path}: cannot read: {exc}") from None


def load_tasks(path: str | Path) -> list[Task]:
    path = Path(path)
    try:
        return TypeAdapter(list[Task]).validate_python(_read_json(path))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(map(str, first["loc"]))
        raise TaskFileError(f"{path}: not a τ² task list ({len(exc.errors())} problem(s); first at {where}: "
                            f"{first['msg']})") from None


def load_expected(path: str | Path) -> dict[str, Expected]:
    """expected_dev.jsonl: one replayed task per line, keyed by task id."""
    path = Path(path)
    out: dict[str, Expected] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise TaskFileError(f"{path}: cannot read: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = Expected.model_validate_json(line)
        except ValidationError as exc:
            raise TaskFileError(f"{path}:{number}: not an expected-replay record: "
                                f"{exc.errors(include_url=False)[0]['msg']}") from None
        out[record.task_id] = record
    return out
