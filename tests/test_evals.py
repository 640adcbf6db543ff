"""The eval harness against the scripted model and a toy shop: passing cases pass, and every assertion can fail."""

from __future__ import annotations

import argparse
import io
import itertools
import json
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.console import Console

from agent import AgentSettings, ScriptedModel, ToolContext, ToolRegistry, tool
from agent.events import TextEvent, ToolCallEvent, ToolResultEvent
from evals.commands import handler, register
from evals.evaluators import Grounded, Mentions
from evals.report import junit_xml, print_summary, report_dict
from evals.runner import RunSettings, TurnRecord, run_eval
from evals.suite import SuiteError, load_suite, load_suites

FIXTURES = Path(__file__).parent / "evals_fixtures"
ITEMS = [{"id": "A1", "title": "Red mug", "price": 8.0, "rating": 4.5},
         {"id": "B2", "title": "Blue mug", "price": 12.99, "rating": 3.9},
         {"id": "C3", "title": "Green kettle", "price": 30.0, "rating": 4.1}]


# ---------------------------------------------------------------- a toy shop
@tool
def find(query: str, max_price: float | None = None) -> dict:
    """Search the toy shop."""
    words = query.lower().split()
    return {"results": [i for i in ITEMS if any(w in i["title"].lower() for w in words)
                        and (max_price is None or i["price"] <= max_price)]}


@tool(writes=True)
def add(ctx: ToolContext, item_id: str, quantity: int = 1) -> dict:
    """Put an item in the cart."""
    cart = ctx.deps["cart"]
    cart[item_id] = cart.get(item_id, 0) + quantity
    return {"cart": [{"id": k, "quantity": v} for k, v in cart.items()]}


@tool
def view_cart(ctx: ToolContext) -> dict:
    """Show the cart."""
    return {"cart": ctx.deps["cart"]}


@tool
def explode() -> dict:
    """A tool with a bug."""
    raise RuntimeError("kaboom")


@tool
def wait(seconds: float) -> dict:
    """Take a while."""
    time.sleep(seconds)
    return {"waited": seconds}


@dataclass
class ToyEnv:
    registry: ToolRegistry
    context: ToolContext
    system_prompt: str = "You are a toy shop."
    closed: list = field(default_factory=list)

    def state(self) -> dict[str, dict[str, int]]:
        return {"cart": dict(self.context.deps["cart"])}

    def close(self) -> None:
        self.closed.append(True)


def toy_env(case, model=None) -> ToyEnv:
    # a fresh cart per case run, as the real environment gives fresh shopper state
    return ToyEnv(ToolRegistry([find, add, view_cart, explode, wait]), ToolContext({"cart": {}}, user_id=case.shopper))


def scripted(case) -> ScriptedModel:
    return ScriptedModel(case.script)


def run_file(name: str, **settings):
    return run_eval([load_suite(FIXTURES / name)], toy_env, scripted, RunSettings(**settings))


def by_id(result):
    return {c.case.id: c for c in result.cases}


# ---------------------------------------------------------------- passing cases
def test_passing_cases_pass_and_record_the_whole_transcript():
    result = run_file("passing.yaml")
    for c in result.cases:
        assert c.all_passed, (c.case.id, [(f.evaluator, f.reason) for r in c.runs for f in r.failures])
    run = by_id(result)["everything"].runs[0]
    assert run.state == {"cart": {"A1": 2}} and run.steps == 4 and run.tokens > 0 and run.latency_s > 0
    types = [[e.type for e in t.events] for t in run.turns]
    assert types[0][:2] == ["tool_call", "tool_result"] and types[0][-1] == "done"
    assert types[1][:3] == ["tool_call", "confirm", "tool_result"]
    assert run.turns[1].events[1].approved is True
    declined = by_id(result)["in-order-with-extras"].runs[0].turns[0]
    confirm = next(e for e in declined.events if e.type == "confirm")
    assert confirm.approved is False  # no `confirm:` in the turn: the shopper declines, and it is recorded


def test_every_evaluator_kind_is_exercised_by_the_passing_suite():
    from evals.evaluators import case_evaluators, turn_evaluators

    suite = load_suite(FIXTURES / "passing.yaml")
    names = {e.name for c in suite.cases for t in c.turns for e in turn_evaluators(t, c, suite)}
    names |= {e.name for c in suite.cases for e in case_evaluators(c, suite)}
    assert names == {"tool_calls", "forbidden_calls", "reply_contains", "reply_contains_any", "reply_not_contains",
                     "reply_regex", "reply_max_length", "mentions", "grounded", "state", "budget_steps",
                     "budget_seconds", "budget_tokens"}


# ---------------------------------------------------------------- every assertion can fail
EXPECTED_FAILURES = {
    "tool-missing": ("tool_calls", "find() (in order) was not made"),
    "arg-equals": ("tool_calls", "max_price: 20 is not 10"),
    "arg-contains": ("tool_calls", "'kettle' does not contain 'mug'"),
    "arg-one-of": ("tool_calls", "'kettle' is not one of ['mug', 'cup']"),
    "arg-regex": ("tool_calls", "'red mug' does not match /^mug$/"),
    "arg-lte": ("tool_calls", "20 is not ≤ 10"),
    "arg-gte": ("tool_calls", "2 is not ≥ 5"),
    "arg-any": ("tool_calls", "max_price: missing"),
    "order-exact": ("tool_calls", "expected exactly 1 call(s)"),
    "order-in-order": ("tool_calls", "#2 find(query equals='mug') (in order) was not made after the previous"),
    "order-unordered": ("tool_calls", "each call it matches is claimed by another expected call"),
    "must-not-call": ("forbidden_calls", "add(item_id='A1') matches forbidden add()"),
    "reply-contains": ("reply_contains", "reply lacks ['kettle']"),
    "reply-contains-any": ("reply_contains_any", "reply contains none of ['kettle', 'teapot']"),
    "reply-not-contains": ("reply_not_contains", "reply contains ['as an ai']"),
    "reply-regex": ("reply_regex", "does not match /\\$\\d+/"),
    "reply-max-length": ("reply_max_length", "limit 10"),
    "mentions": ("mentions", "reply names none of the 2 product id(s)"),
    "grounded-price": ("grounded", "price '$9.99'"),
    "grounded-id": ("grounded", "product id 'Z9'"),
    "state": ("state", "A1: 1 (expected 2)"),
    "budget-steps": ("budget_steps", "used 2 steps, budget 1"),
    "budget-seconds": ("budget_seconds", "budget 0.05"),
    "budget-tokens": ("budget_tokens", "budget 1"),
}


def test_each_failing_case_fails_exactly_its_evaluator_with_a_reason():
    cases = by_id(run_file("failing.yaml"))
    assert set(cases) == set(EXPECTED_FAILURES)
    for case_id, (evaluator, fragment) in EXPECTED_FAILURES.items():
        run = cases[case_id].runs[0]
        assert not run.passed and run.error is None, case_id
        assert [f.evaluator for f in run.failures] == [evaluator], (case_id, run.failures)
        assert fragment in run.failures[0].reason, (case_id, run.failures[0].reason)


def test_argument_matcher_failure_names_the_closest_call():
    reason = by_id(run_file("failing.yaml"))["arg-contains"].runs[0].failures[0].reason
    assert "closest call find(query='kettle')" in reason


def turn_with(reply: str, result, user: str = "hi") -> TurnRecord:
    """A hand-built turn record: evaluators are usable on their own, without the runner."""
    return TurnRecord(0, user, [ToolCallEvent("c1", "find", {}), ToolResultEvent("c1", "find", True, result),
                                TextEvent(reply)])


RESULT = {"results": [{"id": "P0011", "title": "Aria Headphones", "price": 1299.5, "rating": 4.5,
                       "why": "price 29.99 ≤ 30"}, {"id": 7, "title": "Seven", "price": 8}]}


@pytest.mark.parametrize("reply, bad", [
    ("Aria Headphones (P0011): $1,299.50, rated 4.5 stars.", []),
    ("USD 1299.5, or 29.99 dollars; 4.5/5; the 8 dollar one.", []),  # numbers inside result strings count
    ("It is $1,299.504 today.", []),  # within the 0.005 tolerance
    ("It is $1,299.51 today.", ["price '$1,299.51'"]),
    ("Rated 4.6 out of 5 stars, and P0012 is similar.", ["rating '4.6 out of 5 stars'", "product id 'P0012'"]),
    ("Under $50, as you asked.", []),  # the shopper's own number
])
def test_grounded_flags_each_invented_span(reply, bad):
    verdict = Grounded(r"\bP\d{4}\b").evaluate(turn_with(reply, RESULT, user="headphones under $50"))
    assert verdict.ok == (not bad) and verdict.evaluator == "grounded"
    for span in bad:
        assert span in verdict.reason


def test_mentions_matches_ids_as_whole_words():
    assert Mentions().evaluate(turn_with("Item 7 is nice.", RESULT)).ok
    assert not Mentions().evaluate(turn_with("It costs $17.", RESULT)).ok  # "7" inside "17" is not id 7
    assert Mentions().evaluate(turn_with("The aria headphones are great.", RESULT)).reason == \
        "mentions 'Aria Headphones'"


# ---------------------------------------------------------------- crashes are failed cases, not a crashed run
def test_crashing_cases_fail_with_their_error_and_the_run_continues():
    cases = by_id(run_file("crashing.yaml"))
    down = cases["model-down"].runs[0]
    assert down.error == "turn 1: ModelUnavailable: connection refused"
    assert down.failures[0].evaluator == "error" and down.failures[0].turn == 0
    bug = cases["tool-bug"].runs[0]
    # a tool bug is an error event of the turn (its traceback goes to the log), not an escaped exception
    assert bug.error == "turn 1: ToolCrashed: explode failed unexpectedly (RuntimeError); details are in the log"
    assert len(bug.turns) == 1  # the case stops at the crashed turn
    assert "ScriptExhausted" in cases["script-exhausted"].runs[0].error
    assert cases["fine-after-crashes"].all_passed


def test_setup_failure_is_a_failed_run():
    def no_env(case, model):
        raise FileNotFoundError("no catalog at /nowhere")

    result = run_eval(load_suites([FIXTURES / "crashing.yaml"]), no_env, scripted)
    assert all(r.error.startswith("setup: FileNotFoundError: no catalog") for c in result.cases for r in c.runs)


def test_a_cart_that_cannot_be_read_fails_the_state_check():
    class NoCart(ToyEnv):
        def state(self) -> dict[str, dict[str, int]]:
            raise KeyError("shoppers")

    suites = load_suites([FIXTURES / "passing.yaml"])
    result = run_eval(suites, lambda case, model: NoCart(*vars(toy_env(case)).values()), scripted)
    run = by_id(result)["everything"].runs[0]
    assert [(f.evaluator, f.turn) for f in run.failures] == [("state", None)]
    assert run.failures[0].reason == "the cart could not be read after the case: KeyError: 'shoppers' " \
                                     f"(at test_evals.py:{NoCart.state.__code__.co_firstlineno + 1} in state)"
    assert by_id(result)["shorthand"].all_passed  # no state expectation: the cart is never read


def test_a_step_budget_hit_by_the_agent_is_a_failed_run():
    suites = load_suites([FIXTURES / "passing.yaml"])
    result = run_eval(suites, toy_env, scripted, RunSettings(tags=["smoke"], agent=AgentSettings(max_steps=1)))
    run = result.cases[0].runs[0]
    assert run.error.startswith("turn 1: StepBudgetExceeded: stopped after 1 model steps")
    assert [f.evaluator for f in run.failures][0] == "error"


# ---------------------------------------------------------------- suite validation
def test_validation_errors_name_file_case_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases:\n"
                   "  - id: fine\n    turns: [hi]\n"
                   "  - id: broken\n    turns:\n      - user: hi\n"
                   "        tools: [{name: find, args: {max_price: {lte: cheap}}}]\n"
                   "        reply: {contian: x, regex: '('}\n")
    with pytest.raises(SuiteError) as err:
        load_suite(bad)
    text = str(err.value)
    assert str(bad) in text
    assert "case 'broken' (cases[1]) → turns[0].tools.calls[0].args.max_price.lte" in text
    assert "case 'broken' (cases[1]) → turns[0].reply.contian: Extra inputs are not permitted" in text
    assert "turns[0].reply.regex: Value error, invalid regular expression '('" in text


@pytest.mark.parametrize("body, fragment", [
    ("cases: []", "cases: List should have at least 1 item"),
    ("cases: [{id: a, turns: [hi]}, {id: a, turns: [hi]}]", "two cases share the id 'a'"),
    ("cases: [{id: a, turns: [hi], budget: {max_steps: 0}}]", "case 'a' (cases[0]) → budget.max_steps"),
    ("cases: [{id: a, turns: [{user: hi, tools: {order: random}}]}]", "turns[0].tools.order"),
    ("cases: [{id: a, turns: [{user: hi, tools: [{name: f, args: {q: {}}}]}]}]", "args.q: Value error"),
    ("cases: [oops", "cannot read suite"),
    ("- just a list", "a suite is a mapping"),
])
def test_more_validation_errors(tmp_path, body, fragment):
    path = tmp_path / "s.yaml"
    path.write_text(body)
    with pytest.raises(SuiteError, match="s.yaml") as err:
        load_suites([tmp_path])
    assert fragment in str(err.value)


# ---------------------------------------------------------------- repeats, pass@1 and pass^k
def test_repeat_and_pass_hat_k_arithmetic():
    good = [{"text": "We have a Red mug."}]
    bad = [{"text": "Nothing here."}]
    flaky = itertools.cycle([good, bad, good])  # runs 1-3 of the flaky case: pass, fail, pass

    def model(case):
        return ScriptedModel(next(flaky) if case.id == "flaky" else good)

    suite = load_suite(FIXTURES / "passing.yaml").model_copy(update={"name": "rep"})
    from evals.suite import Case

    cases = [Case.model_validate({"id": i, "turns": [{"user": "mug?", "reply": {"contains": "red mug"}}]})
             for i in ("flaky", "steady")]
    result = run_eval([suite.model_copy(update={"cases": cases})], toy_env, model, RunSettings(repeat=3))
    s = result.summary()["overall"]
    assert (s["cases"], s["runs"], s["passed_runs"], s["k"]) == (2, 6, 5, 3)
    assert s["pass_at_1"] == round((2 / 3 + 1) / 2, 4) and s["pass_hat_k"] == 0.5
    assert [r.passed for r in by_id(result)["flaky"].runs] == [True, False, True]


def test_case_repeat_is_used_unless_overridden_and_tags_select(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("tags: [all]\ncases:\n"
                    "  - {id: a, repeat: 3, tags: [x], script: [{text: hi}], turns: [hi]}\n"
                    "  - {id: b, script: [{text: hi}], turns: [hi]}\n")
    suites = load_suites([path])
    assert [len(c.runs) for c in run_eval(suites, toy_env, scripted).cases] == [3, 1]
    assert [len(c.runs) for c in run_eval(suites, toy_env, scripted, RunSettings(repeat=2)).cases] == [2, 2]
    assert [c.case.id for c in run_eval(suites, toy_env, scripted, RunSettings(tags=["x"])).cases] == ["a"]


def test_workers_give_the_same_verdicts_in_the_same_order():
    one = run_file("failing.yaml")
    many = run_file("failing.yaml", workers=4, repeat=2)
    assert [c.case.id for c in many.cases] == [c.case.id for c in one.cases]
    assert all([r.attempt for r in c.runs] == [0, 1] for c in many.cases)
    assert all(r.failures[0].evaluator == c1.runs[0].failures[0].evaluator
               for c, c1 in zip(many.cases, one.cases, strict=True) for r in c.runs)


# ---------------------------------------------------------------- reports
def test_json_report_and_junit_xml_have_the_right_counts():
    result = run_eval(load_suites([FIXTURES / "passing.yaml", FIXTURES / "crashing.yaml"]), toy_env, scripted,
                      RunSettings(repeat=2))
    data = json.loads(json.dumps(report_dict(result)))
    assert data["summary"]["suites"]["toy-pass"] == {**data["summary"]["suites"]["toy-pass"], "cases": 3,
                                                     "runs": 6, "passed_runs": 6, "pass_at_1": 1.0}
    crash = data["summary"]["suites"]["toy-crash"]
    assert (crash["cases"], crash["runs"], crash["errors"], crash["pass_hat_k"]) == (4, 8, 6, 0.25)
    run = next(c for c in data["cases"] if c["case"] == "everything")["runs"][0]
    assert run["passed"] and run["state"] == {"cart": {"A1": 2}} and run["steps"] == 4
    assert [e["type"] for e in run["transcript"][1]["events"]][:3] == ["tool_call", "confirm", "tool_result"]
    down = next(c for c in data["cases"] if c["case"] == "model-down")["runs"][0]
    assert down["error"] == "turn 1: ModelUnavailable: connection refused"
    assert down["failures"][0] == {"evaluator": "error", "reason": "ModelUnavailable: connection refused", "turn": 0}

    root = ET.fromstring(ET.tostring(junit_xml(result).getroot()))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("14", "0", "6")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["toy-crash"].get("errors") == "6" and suites["toy-pass"].get("tests") == "6"
    names = [t.get("name") for t in suites["toy-pass"].iter("testcase")]
    assert names[:2] == ["everything[1]", "everything[2]"]
    error = suites["toy-crash"].find("testcase/error")
    assert "ModelUnavailable" in error.get("message") and "--- turn 1, shopper: hello" in error.text

    failing = junit_xml(run_file("failing.yaml")).getroot()
    assert (failing.get("tests"), failing.get("failures"), failing.get("errors")) == ("24", "24", "0")
    assert failing.find("testsuite/testcase/failure").get("type") == "tool_calls"


def test_summary_table_renders():
    console = Console(file=io.StringIO(), width=150)
    print_summary(run_file("failing.yaml"), console)
    out = console.file.getvalue()
    assert "pass@1" in out and "pass^k" in out and "tool-missing" in out and "overall" in out


# ---------------------------------------------------------------- the command
def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["eval", *argv])


def test_handler_exit_status_follows_min_pass(tmp_path):
    console = Console(file=io.StringIO(), width=120)
    mixed = [str(FIXTURES / "passing.yaml"), str(FIXTURES / "crashing.yaml")]  # 4 of 7 cases pass
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    args = parse(*mixed, "--scripted", "cases", "--min-pass", "0.5", "--report", str(report), "--junit", str(junit))
    assert handler(args, console, env_factory=toy_env) == 0
    assert json.loads(report.read_text())["summary"]["overall"]["pass_at_1"] == round(4 / 7, 4)
    assert ET.parse(junit).getroot().get("tests") == "7"
    assert handler(parse(*mixed, "--scripted", "cases", "--min-pass", "0.6"), console, env_factory=toy_env) == 1
    assert handler(parse(*mixed, "--scripted", "cases"), console, env_factory=toy_env) == 1  # default 1.0
    assert handler(parse(str(FIXTURES / "passing.yaml"), "--scripted", "cases", "--workers", "3"), console,
                   env_factory=toy_env) == 0
    out = console.file.getvalue()
    assert "below --min-pass" in out and "FAIL" in out and "model-down" in out


def test_handler_reports_invalid_suites_and_empty_selections(tmp_path):
    console = Console(file=io.StringIO(), width=200)
    (tmp_path / "bad.yaml").write_text("cases: [{id: x}]")
    assert handler(parse(str(tmp_path), "--scripted", "cases"), console, env_factory=toy_env) == 2
    assert handler(parse(str(FIXTURES / "passing.yaml"), "--scripted", "cases", "--tag", "nope"), console,
                   env_factory=toy_env) == 2
    out = console.file.getvalue()
    assert "Invalid suite" in out and "case 'x' (cases[0]) → turns: Field required" in out
    assert "No cases to run" in out


def test_handler_prints_transcripts_of_failing_runs():
    console = Console(file=io.StringIO(), width=200)
    handler(parse(str(FIXTURES / "failing.yaml"), "--scripted", "cases", "--tag", "none", "--transcripts"), console,
            env_factory=toy_env)
    args = parse(str(FIXTURES / "crashing.yaml"), "--scripted", "cases", "--transcripts")
    assert handler(args, console, env_factory=toy_env) == 1
    out = console.file.getvalue()
    assert "turn 1 · shopper: break something" in out and '"name": "explode"' in out
