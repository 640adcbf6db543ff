import json

import pytest

from agent.models.toolparse import ParsedCall, ToolTextParser, parse_tool_calls


def stream(chunks: list[str]) -> tuple[list[str], str, list[ParsedCall]]:
    parser = ToolTextParser()
    shown = [parser.feed(c) for c in chunks]
    rest, calls = parser.close()
    return [s for s in shown if s], rest, calls


# --- whole-text parsing -------------------------------------------------------------------------

def test_plain_text_is_not_a_call():
    assert parse_tool_calls("Hello! How can I help?") == ("Hello! How can I help?", [])


def test_hermes_single_call():
    text, calls = parse_tool_calls('<tool_call>\n{"name": "search_catalog", "arguments": {"query": "earbuds"}}\n</tool_call>')
    assert text == ""
    assert calls == [ParsedCall("search_catalog", '{"query": "earbuds"}')]


def test_hermes_several_calls_and_surrounding_text():
    text, calls = parse_tool_calls(
        'Let me look.\n<tool_call>{"name": "a", "arguments": {"x": 1}}</tool_call>\n'
        '<tool_call>{"name": "b", "arguments": {}}</tool_call>'
    )
    assert text == "Let me look."
    assert [c.name for c in calls] == ["a", "b"]
    assert json.loads(calls[0].arguments) == {"x": 1}
    assert json.loads(calls[1].arguments) == {}


def test_hermes_unclosed_block_still_parses():
    _, calls = parse_tool_calls('<tool_call>{"name": "a", "arguments": {"x": "y"}}')
    assert calls == [ParsedCall("a", '{"x": "y"}')]


def test_hermes_malformed_json_keeps_raw_arguments():
    _, calls = parse_tool_calls('<tool_call>{"name": "search_catalog", "arguments": {"query": "earbuds", max_price: 50}</tool_call>')
    assert len(calls) == 1
    assert calls[0].name == "search_catalog"
    assert "max_price: 50" in calls[0].arguments
    with pytest.raises(ValueError):
        json.loads(calls[0].arguments)  # broken on purpose: the loop reports it to the model


def test_hermes_garbage_body_keeps_everything():
    _, calls = parse_tool_calls("<tool_call>not json at all</tool_call>")
    assert calls == [ParsedCall("", "not json at all")]


def test_double_encoded_arguments_pass_through():
    _, calls = parse_tool_calls('<tool_call>{"name": "a", "arguments": "{\\"x\\": 1}"}</tool_call>')
    assert calls == [ParsedCall("a", '{"x": 1}')]


def test_llama_json_call():
    text, calls = parse_tool_calls('{"name": "get_product", "parameters": {"product_id": "P3"}}')
    assert text == ""
    assert calls == [ParsedCall("get_product", '{"product_id": "P3"}')]


def test_llama_python_tag_and_several_calls():
    _, calls = parse_tool_calls('<|python_tag|>{"name": "a", "parameters": {"x": 1}}; {"name": "b", "parameters": {}}')
    assert [c.name for c in calls] == ["a", "b"]


def test_llama_text_then_python_tag():
    text, calls = parse_tool_calls('Checking.<|python_tag|>{"name": "a", "parameters": {}}')
    assert text == "Checking."
    assert calls == [ParsedCall("a", "{}")]


def test_json_that_is_not_a_call_stays_text():
    raw = '{"answer": 42}'
    assert parse_tool_calls(raw) == (raw, [])
    raw = '{"name": "x"} and more words'
    assert parse_tool_calls(raw) == (raw, [])


# --- streaming ----------------------------------------------------------------------------------

def test_stream_plain_text_flows_through():
    shown, rest, calls = stream(["Hel", "lo ", "there", "!"])
    assert "".join(shown) + rest == "Hello there!"
    assert len(shown) >= 3 and calls == []


def test_stream_holds_back_a_possible_marker_then_releases_it():
    parser = ToolTextParser()
    assert parser.feed("a < b and <tool") == "a < b and "
    assert parser.feed("box>") == "<toolbox>"
    assert parser.close() == ("", [])


def test_stream_hermes_call_after_text():
    shown, rest, calls = stream(["Sure. <tool", '_call>{"name": "a", ', '"arguments": {"q": "x"}}</tool_call>'])
    assert "".join(shown) == "Sure. "
    assert rest == ""
    assert calls == [ParsedCall("a", '{"q": "x"}')]


def test_stream_llama_call_is_never_shown():
    shown, rest, calls = stream(["  ", '{"name": "a", ', '"parameters": {}}'])
    assert shown == [] and rest == ""
    assert calls == [ParsedCall("a", "{}")]


def test_stream_leading_brace_that_is_not_a_call_comes_back_at_close():
    shown, rest, calls = stream(["{not", " a call}"])
    assert shown == [] and calls == []
    assert rest == "{not a call}"


def test_stream_partial_python_tag_waits():
    parser = ToolTextParser()
    assert parser.feed("<|python") == ""
    assert parser.feed('_tag|>{"name": "a", "parameters": {"x": 2}}') == ""
    assert parser.close() == ("", [ParsedCall("a", '{"x": 2}')])
