"""A pydantic args model built from a remote tool's JSON schema: the same schema goes out, the same checks come in."""

from __future__ import annotations

import copy
import keyword
import re
from typing import Any, Literal, Optional

import jsonschema
from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

__all__ = ["model_from_schema"]

_SIMPLE = {"string": str, "integer": int, "number": float, "boolean": bool, "object": dict[str, Any]}


class RemoteArgs(BaseModel):
    """Base of models built from a JSON schema: `model_json_schema()` is the remote schema, verbatim."""

    __remote_schema__: dict[str, Any] = {}

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        return copy.deepcopy(cls.__remote_schema__)

    @model_validator(mode="before")
    @classmethod
    def _check_whole_schema(cls, data: Any) -> Any:
        # The field types catch the common mistakes with pydantic's messages; the full schema (patterns, nested
        # objects, min/max…) is checked by jsonschema so nothing the server declared is silently dropped.
        if isinstance(data, dict):
            errors = sorted(jsonschema.Draft202012Validator(cls.__remote_schema__).iter_errors(data),
                            key=lambda e: list(e.path))
            if errors:
                raise ValueError("; ".join(_describe(e) for e in errors[:5]))
        return data


class _ForbidArgs(RemoteArgs):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class _AllowArgs(RemoteArgs):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


def _describe(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in error.path)
    return f"{where}: {error.message}" if where else error.message


def _python_type(prop: dict[str, Any]) -> Any:
    """The field type for one property; a shape pydantic cannot say simply becomes Any (jsonschema still checks)."""
    if "enum" in prop and prop["enum"] and all(isinstance(v, (str, int, bool)) for v in prop["enum"]):
        return Literal[tuple(prop["enum"])]
    kind = prop.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        if len(rest) == 1:
            inner = _python_type(dict(prop, type=rest[0]))
            return Optional[inner] if "null" in kind else inner
        return Any
    for key in ("anyOf", "oneOf"):
        if key in prop:
            options = [o for o in prop[key] if o.get("type") != "null"]
            if len(options) == 1 and len(options) < len(prop[key]):
                return Optional[_python_type(options[0])]
            return Any
    if kind == "array":
        items = prop.get("items")
        return list[_python_type(items)] if isinstance(items, dict) else list[Any]
    return _SIMPLE.get(kind, Any)


def _field_name(name: str, taken: set[str]) -> str:
    """A Python identifier for a JSON property name (the original stays the alias)."""
    base = re.sub(r"\W", "_", name) or "arg"
    if base[0].isdigit() or keyword.iskeyword(base) or base.startswith("_") or hasattr(BaseModel, base):
        base = f"arg_{base.lstrip('_')}"
    while base in taken:
        base += "_"
    taken.add(base)
    return base


def model_from_schema(name: str, schema: dict[str, Any] | None) -> type[RemoteArgs]:
    """An args model for a tool whose input is described by `schema` (an object schema)."""
    schema = copy.deepcopy(schema or {"type": "object", "properties": {}})
    schema.setdefault("type", "object")
    schema.setdefault("properties", {})
    required = set(schema.get("required", []))
    fields: dict[str, Any] = {}
    taken: set[str] = set()
    for prop_name, prop in schema["properties"].items():
        prop = prop if isinstance(prop, dict) else {}
        annotation = _python_type(prop)
        field_kwargs: dict[str, Any] = {"alias": prop_name}
        if prop.get("description"):
            field_kwargs["description"] = prop["description"]
        if prop_name in required:
            fields[_field_name(prop_name, taken)] = (annotation, Field(**field_kwargs))
        else:
            default = prop.get("default")
            fields[_field_name(prop_name, taken)] = (Optional[annotation] if default is None else annotation,
                                                     Field(default=default, **field_kwargs))
    # extra="forbid" unless the server allows more: an argument the tool does not take is an error the model sees.
    base = _AllowArgs if schema.get("additionalProperties") not in (None, False) else _ForbidArgs
    model = create_model(re.sub(r"\W", "_", name) + "_args", __base__=base, **fields)
    model.__remote_schema__ = schema
    return model
