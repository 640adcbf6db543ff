"""agent/mcp_schema.py: a remote tool's JSON schema becomes the args model that sends and checks it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent.mcp_schema import model_from_schema
from agent.tools import Tool

SCHEMA = {
    "type": "object",
    "required": ["from", "mode"],
    "properties": {
        "from": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "origin code"},
        "mode": {"enum": ["fast", "cheap"]},
        "max-stops": {"type": ["integer", "null"], "minimum": 0},
        "model_config": {"type": "boolean", "default": False},
        "tags": {"type": "array", "items": {"type": "string"}},
        "where": {"type": "object", "properties": {"lat": {"type": "number"}}, "required": ["lat"]},
    },
}


def test_schema_goes_out_verbatim_and_names_stay_the_servers():
    model = model_from_schema("trip", SCHEMA)
    spec = Tool("trip", "plan a trip", model, lambda **k: k).spec()["function"]["parameters"]
    assert spec == SCHEMA
    args = model.model_validate({"from": "LHR", "mode": "fast", "max-stops": 1, "model_config": True})
    assert args.model_dump(by_alias=True, exclude_none=True) == {"from": "LHR", "mode": "fast", "max-stops": 1,
                                                                 "model_config": True}


@pytest.mark.parametrize("bad, complaint", [
    ({"mode": "fast"}, "'from' is a required property"),
    ({"from": "london", "mode": "fast"}, "does not match"),
    ({"from": "LHR", "mode": "slow"}, "mode"),
    ({"from": "LHR", "mode": "fast", "max-stops": -1}, "less than the minimum"),
    ({"from": "LHR", "mode": "fast", "where": {"lon": 1}}, "'lat' is a required property"),
    ({"from": "LHR", "mode": "fast", "shopper_id": "S002"}, "shopper_id"),
])
def test_everything_the_schema_says_is_checked(bad, complaint):
    with pytest.raises(ValidationError, match=complaint):
        model_from_schema("trip", SCHEMA).model_validate(bad)


def test_a_tool_without_a_schema_takes_no_arguments():
    model = model_from_schema("ping", None)
    assert model.model_validate({}).model_dump() == {}
    with pytest.raises(ValidationError):
        model.model_validate({"x": 1})
