"""The suite file format (YAML) as pydantic models; load errors name the file, the case and the field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Literal

import yaml
from pydantic import (BaseModel, ConfigDict, Field, RootModel, ValidationError, field_validator,
                      model_validator)

__all__ = ["ArgMatcher", "Budget", "CallMatcher", "Case", "ReplyExpect", "State", "Suite", "SuiteError",
           "ToolsExpect", "Turn", "find_suite_files", "load_suite", "load_suites"]

DEFAULT_ID_PATTERN = r"\bP\d{4}\b"
MATCHER_KEYS = ("equals", "contains", "one_of", "regex", "lte", "gte", "any")


class SuiteError(ValueError):
    """A suite file that cannot be loaded; the message names the file, the case and the field."""


class _Strict(BaseModel):
    # extra="forbid": a misspelt key (`contian:`) must be an error, not an expectation silently skipped.
    model_config = ConfigDict(extra="forbid")


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
    return pattern


class ArgMatcher(_Strict):
    """How one argument must look; several keys must all hold. A bare value is shorthand for `equals`."""

    equals: Any = None
    contains: Any = None  # substring of a string, or an element of a list
    one_of: list[Any] | None = None
    regex: str | None = None
    lte: float | None = None
    gte: float | None = None
    any: bool | None = None  # true: the argument must be present, with any value

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {"equals": value}

    @model_validator(mode="after")
    def _not_empty(self) -> "ArgMatcher":
        if not self.model_fields_set:
            raise ValueError(f"an argument matcher needs one of: {', '.join(MATCHER_KEYS)}")
        if self.regex is not None:
            _check_regex(self.regex)
        return self


class CallMatcher(_Strict):
    """A tool call: its name (fnmatch pattern, so `*_cart` or `*` work) and matchers for some arguments."""

    name: str
    args: dict[str, ArgMatcher] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class ToolsExpect(_Strict):
    """The calls a turn must make (and must not): `in_order` lets other calls sit between the expected ones."""

    calls: list[CallMatcher] = Field(default_factory=list)
    order: Literal["exact", "in_order", "unordered"] = "in_order"
    forbid: list[CallMatcher] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"calls": value} if isinstance(value, list) else value


class ReplyExpect(_Strict):
    """Checks on the turn's final reply text; case-insensitive unless `case_sensitive: true`."""

    contains: list[str] = Field(default_factory=list)  # every one must appear
    contains_any: list[str] = Field(default_factory=list)  # at least one must appear
    not_contains: list[str] = Field(default_factory=list)
    regex: list[str] = Field(default_factory=list)  # every one must match somewhere (re.search)
    case_sensitive: bool = False
    mentions: bool | Literal["turn", "conversation"] = False  # a product id/title the tools returned
    max_length: int | None = Field(default=None, ge=1)  # characters

    @field_validator("contains", "contains_any", "not_contains", "regex", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _listify(value)

    @field_validator("regex")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        return [_check_regex(p) for p in value]


class Turn(_Strict):
    """One shopper message and what must happen in answer to it. A bare string is shorthand for `user:`."""

    user: str = Field(min_length=1)
    # answers every confirmation a `writes` tool asks for in this turn; absent means the shopper declines
    confirm: bool | None = None
    tools: ToolsExpect | None = None
    reply: ReplyExpect | None = None
    grounded: bool | None = None  # None: the case's setting
    # the shop's stock of these products is set to these counts just before the turn (say, another buyer took
    # the last one): how a case reaches "sold out between checkout and order"
    stock: dict[str, int] | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"user": value} if isinstance(value, str) else value


class State(RootModel[dict[str, Any]]):
    """The state after the case's last turn, by the names the environment reports (the shop: `cart`, product
    id → quantity); each named value must match exactly."""


class Budget(_Strict):
    """Limits over the whole case (all turns together)."""

    max_steps: int | None = Field(default=None, ge=1)
    max_seconds: float | None = Field(default=None, gt=0)
    max_tokens: int | None = Field(default=None, ge=1)


class Case(_Strict):
    id: str = Field(min_length=1)
    description: str = ""
    shopper: str | None = None  # None: a guest session
    catalog: str = "demo"  # "demo" or a catalog directory
    tags: list[str] = Field(default_factory=list)
    repeat: int | None = Field(default=None, ge=1)
    grounded: bool = False  # the default for every turn
    turns: list[Turn] = Field(min_length=1)
    # the world before the first turn, by the names the environment knows (the shop: `orders`, each
    # {items: {product id: quantity}, status: placed | shipped | delivered}, placed by the case's shopper)
    given: dict[str, Any] | None = None
    state: State | None = None
    budget: Budget | None = None
    # scripted model turns (agent.models.scripted format), used when the eval runs with --scripted
    script: list[dict[str, Any]] | None = None

    @field_validator("tags", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _listify(value)


class Suite(_Strict):
    name: str = ""  # default: the file's stem
    description: str = ""
    tags: list[str] = Field(default_factory=list)  # added to every case
    id_pattern: str = DEFAULT_ID_PATTERN  # what a product id looks like in a reply (grounded check)
    cases: list[Case] = Field(min_length=1)
    path: str = ""  # set by the loader

    @field_validator("tags", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _listify(value)
    @field_validator("id_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        return _check_regex(value)

    @model_validator(mode="after")
    def _unique_ids(self) -> "Suite":
        seen: set[str] = set()
        for case in self.cases:
            if case.id in seen:
                raise ValueError(f"two cases share the id {case.id!r}")
            seen.add(case.id)
        return self

    def case_tags(self, case: Case) -> list[str]:
        return list(dict.fromkeys([*self.tags, *case.tags]))


def _where(data: Any, loc: tuple[Any, ...]) -> str:
    """`case 'x' (cases[2]) → turns[0].reply.regex` from a pydantic error location."""
    if len(loc) >= 2 and loc[0] == "cases" and isinstance(loc[1], int):
        cases = data.get("cases") if isinstance(data, dict) else None
        case = cases[loc[1]] if isinstance(cases, list) and loc[1] < len(cases) else None
        name = case.get("id") if isinstance(case, dict) else None
        head = f"case {name!r} (cases[{loc[1]}])" if name else f"cases[{loc[1]}]"
        rest = _dotted(loc[2:])
        return f"{head} → {rest}" if rest else head
    return _dotted(loc) or "(suite)"


def _dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def load_suite(path: str | Path) -> Suite:
    """Parse and validate one suite file; raises SuiteError naming the file, the case and the field."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SuiteError(f"{path}: cannot read suite: {exc}") from None
    except UnicodeDecodeError:
        raise SuiteError(f"{path}: not a text file (a suite is UTF-8 YAML)") from None
    except RecursionError:
        raise SuiteError(f"{path}: nested too deeply to be a suite") from None
    if not isinstance(data, dict):
        raise SuiteError(f"{path}: a suite is a mapping with a `cases:` list")
    try:
        suite = Suite.model_validate(data)
    except RecursionError:
        raise SuiteError(f"{path}: nested too deeply to be a suite") from None
    except ValidationError as exc:
        lines = [f"{path}: {len(exc.errors())} problem(s)"]
        for e in exc.errors(include_url=False):
            lines.append(f"- {_where(data, tuple(e['loc']))}: {e['msg']}")
        raise SuiteError("\n".join(lines)) from None
    return suite.model_copy(update={"name": suite.name or path.stem, "path": str(path)})


def find_suite_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus every *.yaml / *.yml under directories named."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml"))
        elif p.exists():
            found.append(p)
        else:
            raise SuiteError(f"{p}: no such file or directory")
    return found


def load_suites(paths: Iterable[str | Path]) -> list[Suite]:
    """Load every suite under the paths; all problems are reported together."""
    suites, problems = [], []
    for path in find_suite_files(paths):
        try:
            suites.append(load_suite(path))
        except SuiteError as exc:
            problems.append(str(exc))
    if problems:
        raise SuiteError("\n".join(problems))
    return suites
