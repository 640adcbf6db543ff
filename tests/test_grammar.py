"""The grammar protocol's document and decision grammar, without a model: the rendered lines, a preparer's
notes and plans, and how a plan narrows each tool's arguments (agent/models/grammar.py, constraints.py)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from agent.models.base import ToolCall
from agent.models.grammar import DEFAULT_HEADER, GrammarDocument, decision_gbnf, decision_schema, signature, turn_numbers
from agent.models.prepare import StepPlan, StepPreparer
from agent.tools import tool


@tool
def search_catalog(query: str, max_price: float | None = None, sort: Literal["relevance", "price"] = "relevance"):
    """Search the product catalog by keywords, optionally under a maximum price."""


@tool
def get_product(product_id: str):
    """Get one product's details by its id."""


SPECS = [search_catalog.spec(), get_product.spec()]
FEW_SHOT = [
    {"user": "I'm looking for running shoes under $120",
     "call": {"tool": "search_catalog", "args": {"query": "running shoes", "max_price": 120}}},
    {"user": "tell me more about P0042", "call": {"tool": "get_product", "args": {"product_id": "P0042"}}},
    {"user": "compare P1 and P2", "call": {"tool": "compare_products", "args": {"product_ids": ["P1", "P2"]}}},
    {"user": "hi there!", "call": None, "reply": "Hello! What are you shopping for today?"},
]
SYSTEM = {"role": "system", "content": "You are a shopping assistant."}
EARBUDS = {"role": "user", "content": "Find me wireless earbuds under $50"}


def after_call(call: ToolCall, result: Any) -> list[dict[str, Any]]:
    return [{"role": "assistant", "content": None, "tool_calls": [call.to_message()]},
            {"role": "tool", "tool_call_id": call.id, "content": json.dumps(result, separators=(",", ":"))}]


class DigitIds:
    """A preparer of the kind an application writes: digit runs in a line are ids, pinned for get_product."""

    summarizes = True

    def __init__(self) -> None:
        self.plans = 0

    def note(self, text: str) -> str:
        ids = [w.strip("?.,") for w in text.split() if w.strip("?.,").isdigit()]
        return "ids " + ", ".join(ids) if ids else "-"

    def summary(self, tool: str | None, result: str) -> str:
        return f"{tool} answered." if result.startswith("{") and result != "{}" else ""

    def prepare(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> StepPlan:
        self.plans += 1
        ids = tuple(w for w in str(messages[-1].get("content")).split() if w.isdigit())
        return StepPlan(pins={"get_product": {"product_id": ids}} if ids else {})

    def compose(self, messages: list[dict[str, Any]]) -> str | None:
        return None


# --- the document -------------------------------------------------------------------------------

def test_document_is_append_only_across_steps():
    doc = GrammarDocument(FEW_SHOT)
    first, step = doc.render([SYSTEM, EARBUDS], SPECS)
    assert step == "decide" and first.endswith("User: Find me wireless earbuds under $50\nCall:")
    call = ToolCall("call_1", "search_catalog", '{"query": "wireless earbuds", "max_price": 50}')
    convo = [SYSTEM, EARBUDS, *after_call(call, [{"id": "P1", "price": 39}])]
    second, step = doc.render(convo, SPECS)
    assert step == "reply" and second.startswith(first)
    assert second.endswith('Call: {"tool": "search_catalog", "args": {"query": "wireless earbuds", "max_price": 50}}\n'
                           'Result: [{"id":"P1","price":39}]\nAssistant:')
    convo += [{"role": "assistant", "content": "P1 costs $39."}, {"role": "user", "content": "thanks"}]
    third, step = doc.render(convo, SPECS)
    assert step == "decide" and third.startswith(second + " P1 costs $39.\n\nUser: thanks\nCall:")


def test_document_skips_examples_for_missing_tools_and_clips_results():
    doc = GrammarDocument(FEW_SHOT, result_chars=20)
    text, _ = doc.render([EARBUDS], SPECS)
    assert "compare P1 and P2" not in text and "running shoes" in text
    assert "- search_catalog(query: string, max_price?: number, sort?: \"relevance\" | \"price\"): Search" in text
    call = ToolCall("call_1", "get_product", '{"product_id": "P1"}')
    text, _ = doc.render([EARBUDS, *after_call(call, {"description": "x" * 100})], SPECS)
    assert 'Result: {"description":"xxxx …(truncated)\nAssistant:' in text


def test_an_example_may_show_a_result_and_the_answer_to_it():
    example = {"user": "tell me about P0042", "call": {"tool": "get_product", "args": {"product_id": "P0042"}},
               "result": {"id": "P0042", "price": 34.0}, "reply": "P0042 costs $34.00."}
    text, _ = GrammarDocument([example]).render([EARBUDS], SPECS)
    assert ('User: tell me about P0042\nCall: {"tool": "get_product", "args": {"product_id": "P0042"}}\n'
            'Result: {"id":"P0042","price":34.0}\nAssistant: P0042 costs $34.00.\n\n') in text


def test_more_calls_per_turn_decide_again_after_a_result():
    doc = GrammarDocument([], max_calls_per_turn=2)
    call = ToolCall("call_1", "get_product", '{"product_id": "P1"}')
    text, step = doc.render([EARBUDS, *after_call(call, {})], SPECS)
    assert step == "decide" and text.endswith("Result: {}\nCall:")


def test_broken_arguments_are_shown_back_as_written():
    call = ToolCall("call_1", "get_product", '{"product_id": P1')
    text, _ = GrammarDocument([]).render([EARBUDS, *after_call(call, "bad JSON")], SPECS)
    assert 'Call: {"tool": "get_product", "args": {"product_id": P1}' in text


def test_without_tools_every_step_is_a_reply():
    text, step = GrammarDocument(FEW_SHOT).render([SYSTEM, EARBUDS], [])
    assert step == "reply" and text.endswith("User: Find me wireless earbuds under $50\nAssistant:")
    assert "Call:" not in text and "running shoes" not in text and "User: hi there!" in text


def test_the_application_passes_the_header_and_the_default_one_is_neutral():
    own = GrammarDocument([], header="{{ system }} | {% for t in tools %}{{ t.name }} {% endfor %}| {{ hints }}")
    text, _ = own.render([SYSTEM, EARBUDS], SPECS)
    assert text.startswith("You are a shopping assistant. | search_catalog get_product | False\n\n")
    neutral, _ = GrammarDocument([]).render([EARBUDS], SPECS)
    assert "Each user message is a \"User:\" line" in neutral
    assert not any(word in DEFAULT_HEADER.lower() for word in ("shop", "product", "cart", "catalog"))


def test_a_preparers_notes_come_before_every_call_in_examples_and_live_turns():
    doc = GrammarDocument(FEW_SHOT, preparer=DigitIds())
    text, step = doc.render([{"role": "user", "content": "is product 42 in stock?"}], SPECS)
    assert step == "decide"
    assert 'User: I\'m looking for running shoes under $120\nHints: -\nCall: {"tool": "search_catalog"' in text
    assert "User: hi there!\nHints: -\nCall: {\"tool\": \"none\"}\nAssistant: Hello!" in text
    assert text.endswith("User: is product 42 in stock?\nHints: ids 42\nCall:")
    assert 'A "Hints:" line' in text and 'a "Summary:" line' in text  # the header explains both lines
    assert 'A "Hints:" line' not in GrammarDocument(FEW_SHOT).render([EARBUDS], SPECS)[0]


def test_a_preparers_summary_follows_each_result_and_the_document_stays_append_only():
    doc = GrammarDocument([], preparer=DigitIds())
    user = {"role": "user", "content": "is product 42 in stock?"}
    first, _ = doc.render([user], SPECS)
    call = ToolCall("call_1", "get_product", '{"product_id": "42"}')
    convo = [user, *after_call(call, {"id": "42"})]
    second, step = doc.render(convo, SPECS)
    assert step == "reply" and second.startswith(first)
    assert second.endswith('Result: {"id":"42"}\nSummary: get_product answered.\nAssistant:')
    convo += [{"role": "assistant", "content": "In stock."}, {"role": "user", "content": "thanks"}]
    third, _ = doc.render(convo, SPECS)
    assert third.startswith(second) and third.endswith("User: thanks\nHints: -\nCall:")
    assert isinstance(DigitIds(), StepPreparer)


def test_without_a_preparer_or_tools_there_is_no_hints_line():
    text, _ = GrammarDocument(FEW_SHOT).render([{"role": "user", "content": "product 42"}], SPECS)
    assert "Hints:" not in text and GrammarDocument(FEW_SHOT).plan([EARBUDS], SPECS) is None
    text, step = GrammarDocument(FEW_SHOT, preparer=DigitIds()).render([{"role": "user", "content": "product 42"}], [])
    assert step == "reply" and "Hints:" not in text


# --- the decision grammar -----------------------------------------------------------------------

def test_decision_grammar_starts_with_a_space_and_caps_digit_runs():
    gbnf = decision_gbnf(SPECS).splitlines()
    assert 'root ::= " " decision' in gbnf
    assert "integral-part ::= [0-9] | [1-9] [0-9]{1,8}" in gbnf


class Line(BaseModel):
    product_id: str = Field(pattern="P[0-9]+", description="unanchored: dropped from the grammar")
    quantity: Annotated[int, Field(ge=1)] = 1


@tool
def add_lines(lines: list[Line]):
    """Add several products to the cart."""


def test_nested_argument_models_keep_their_definitions():
    schema = decision_schema([add_lines.spec(), *SPECS])
    assert set(schema["$defs"]) == {"add_lines__Line"}
    assert "pattern" not in json.dumps(schema) and "minimum" not in json.dumps(schema)
    gbnf = decision_gbnf([add_lines.spec(), *SPECS])
    assert '"\\"product_id\\""' in gbnf and '"\\"quantity\\""' in gbnf


def test_decision_schema_is_a_union_with_none():
    schema = decision_schema(SPECS)
    tools = [alt["properties"]["tool"]["const"] for alt in schema["anyOf"]]
    assert tools == ["search_catalog", "get_product", "none"]
    assert "title" not in json.dumps(schema) and "default" not in json.dumps(schema)
    assert signature(SPECS[1]) == "get_product(product_id: string)"
    assert [alt["properties"]["tool"]["const"] for alt in decision_schema([])["anyOf"]] == ["none"]


@tool
def add_to_cart(product_id: str, quantity: int | None = None):
    """Put a product in the cart."""


@tool
def search(query: str, max_price: float | None = None, min_rating: float | None = None, brand: str | None = None,
           limit: int | None = None):
    """Search."""


@tool
def recommend(based_on: str = "history", limit: int = 5):
    """Recommendations."""


@tool
def compare(product_ids: list[str]):
    """Compare products."""


@tool
def describe(product_id: str, tone: str = "neutral", length: Literal["short", "medium", "long"] = "medium"):
    """Write a description."""


def _alt(schema: dict, name: str) -> dict:
    return next(c["properties"]["args"] for c in schema["anyOf"] if c["properties"]["tool"].get("const") == name)


def _args(schema: dict, name: str) -> dict:
    return _alt(schema, name)["properties"]


def test_optional_numbers_come_only_from_the_turn():
    doc = 'x\nUser: under $50 please\nCall: {}\n\nUser: add 3 of product 42, or 1,299.5?\nHints: ids "42"\nCall:'
    numbers = turn_numbers(doc)
    assert numbers == [3.0, 42.0, 1299.5]  # the earlier turn's 50 is not offered
    schema = decision_schema([search_catalog.spec(), add_to_cart.spec()], numbers)
    assert _args(schema, "search_catalog")["max_price"] == {"enum": [3, 42, 1299.5]}
    assert _args(schema, "add_to_cart")["quantity"] == {"enum": [3, 42]}  # integers only
    schema = decision_schema([search_catalog.spec(), add_to_cart.spec()], [])
    assert set(_args(schema, "search_catalog")) == {"query", "sort"}  # no number written: no max_price
    assert set(_args(schema, "add_to_cart")) == {"product_id"}


def test_governed_arguments_take_only_the_pinned_value_or_none():
    plan = StepPlan(pins={"search": {"max_price": (300.0,), "min_rating": (4.5,)}},
                    governed={"search": frozenset({"max_price", "min_rating", "brand"})})
    schema = decision_schema([search.spec()], [2.0, 4.5, 300.0], plan)
    args = _args(schema, "search")
    assert args["max_price"] == {"enum": [300]} and args["min_rating"] == {"enum": [4.5]}
    assert "brand" not in args  # governed, and the plan pins no brand: a model cannot invent one
    assert _alt(schema, "search")["required"] == ["query", "max_price", "min_rating"]
    assert args["limit"] == {"enum": [2, 300]}  # not governed: any integer written in the turn
    # the same plan in the grammar: brand cannot be written, and a bound the plan pins cannot be left out
    gbnf = decision_gbnf([search.spec()], [2.0, 4.5, 300.0], plan)
    assert '\\"brand\\"' not in gbnf and '\\"max_price\\"' in gbnf
    free = decision_gbnf([search.spec()], [2.0, 4.5, 300.0])
    assert '\\"brand\\"' in free


def test_pinned_arguments_take_their_values_and_become_required():
    plan = StepPlan(pins={"recommend": {"based_on": ("88",), "limit": (3,)}, "compare": {"product_ids": ("88",)},
                          "describe": {"product_id": ("88",)}})
    schema = decision_schema([recommend.spec(), compare.spec(), describe.spec()], [3.0, 88.0], plan)
    assert _args(schema, "recommend") == {"based_on": {"enum": ["88"]}, "limit": {"enum": [3]}}
    assert _alt(schema, "recommend")["required"] == ["based_on", "limit"]  # "history" is no longer a way out
    assert _args(schema, "compare")["product_ids"]["items"] == {"enum": ["88"]}
    assert _args(schema, "describe")["product_id"] == {"enum": ["88"]}
    # other tools' pins do not leak: a tool without pins keeps its own schema
    assert _args(decision_schema([get_product.spec()], [], plan), "get_product") == {"product_id": {"type": "string"}}


def test_a_string_pinned_inside_an_enum_keeps_only_allowed_values():
    plan = StepPlan(pins={"describe": {"product_id": ("P3",), "tone": ("fun",), "length": ("short",)}})
    schema = decision_schema([describe.spec()], [3.0], plan)
    assert _args(schema, "describe") == {"product_id": {"enum": ["P3"]}, "tone": {"enum": ["fun"]},
                                         "length": {"enum": ["short"]}}
    huge = StepPlan(pins={"describe": {"product_id": ("P3",), "length": ("huge",)}})  # not an allowed value: free
    assert _args(decision_schema([describe.spec()], [3.0], huge), "describe")["length"]["enum"] == [
        "short", "medium", "long"]


def test_without_a_pinned_value_an_argument_stays_free_unless_governed():
    schema = decision_schema([recommend.spec(), describe.spec()], [], StepPlan())
    assert _args(schema, "recommend") == {"based_on": {"type": "string"}}  # no number written: no limit offered
    assert _alt(schema, "describe")["required"] == ["product_id"]
    governed = StepPlan(governed={"describe": frozenset({"tone", "length"})})
    assert set(_args(decision_schema([describe.spec()], [], governed), "describe")) == {"product_id"}


def test_ids_come_from_what_the_conversation_showed_or_the_tool_cannot_be_chosen():
    shown = ("P0001", "P0002", "7")
    plan = StepPlan(shown={"describe": {"product_id": shown}, "recommend": {"based_on": shown}})
    schema = decision_schema([recommend.spec(), describe.spec()], [], plan)
    assert _args(schema, "describe")["product_id"] == {"enum": ["P0001", "P0002", "7"]}
    # an optional id keeps its default as a choice, written out
    assert _args(schema, "recommend")["based_on"] == {"enum": ["P0001", "P0002", "7", "history"]}
    assert _alt(schema, "recommend")["required"] == ["based_on"]
    nothing = StepPlan(shown={"describe": {"product_id": ()}, "recommend": {"based_on": ()}})
    schema = decision_schema([recommend.spec(), describe.spec(), search_catalog.spec()], [], nothing)
    tools = [c["properties"]["tool"]["const"] for c in schema["anyOf"]]
    assert tools == ["recommend", "search_catalog", "none"]  # no id anywhere: describe(product_id) is impossible
    assert _args(schema, "recommend")["based_on"] == {"enum": ["history"]}


def test_a_plans_likely_tool_settles_the_choice_among_the_tools_it_knows():
    names = ["search_catalog", "get_product", "track_order"]
    knows = frozenset({"search_catalog", "get_product"})
    assert StepPlan(tool="get_product", settles=knows).available(names) == ["get_product", "track_order"]
    assert StepPlan(tool="none", settles=knows).available(names) == ["track_order"]  # only "none" and the new one
    assert StepPlan(tool="none").available(names) == []
    assert StepPlan(tool="write_description", settles=knows).available(names) == names  # a tool the agent lacks
    assert StepPlan().available(names) == names


def test_the_reply_guard_drops_labels_the_users_voice_and_repeats():
    from agent.models.replies import guard_reply

    assert guard_reply("Hushpod Drift is $39.99. Assistant: Hushpod Drift") == "Hushpod Drift is $39.99."
    assert guard_reply("I'm looking for a pair of headphones. Here are two.") == "Here are two."
    assert guard_reply("I'm sorry. I'm sorry. I'm sorry.") == "I'm sorry."
    assert guard_reply("Sure!\nUser: thanks") == "Sure!"
    assert guard_reply("Great choice, it has 28 h battery life.") == "Great choice, it has 28 h battery life."
