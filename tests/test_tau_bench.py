"""The τ² retail benchmark runner: simulated customers, grading by final database and communicate_info,
consent from the customer's own words, reports; with scripted, embedded and OpenAI-compatible models."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from rich.console import Console

from agent import AgentSettings, ScriptedModel
from evals.report import junit_xml, report_dict
from tools.retail import build_retail_registry
from tools.retail.bench import BenchSettings, customer_consent, run_bench
from tools.retail.gold import AgreeableCustomer, GoldAgent
from tools.retail.model import RetailDB
from tools.retail.tasks import load_tasks

from tests.tau_data import need_tau

WRITES = {t.name for t in build_retail_registry() if t.writes}
GOLD_SETTINGS = BenchSettings(agent=AgentSettings(max_steps=40, max_retries=5))


@pytest.fixture(scope="module")
def tau():
    root = need_tau()
    tasks = {t.id: t for t in load_tasks(root / "tasks_tau2_dev.json")}
    return tasks, RetailDB.load(root / "db.json"), (root / "policy.md").read_text()


def _bench(tau, ids, agents, customers=lambda task: AgreeableCustomer(), settings=GOLD_SETTINGS, **kw):
    tasks, db, policy = tau
    return run_bench([tasks[i] for i in ids], db, policy, agents, customers, settings, **kw)


def test_consent_is_an_explicit_yes_in_the_customers_last_message():
    assert customer_consent("Yes, please go ahead.")
    assert customer_consent("ok, do it")
    assert not customer_consent("Please cancel order #W1.")
    assert not customer_consent("No, wait, yes")
    assert not customer_consent("I don't want that, yes I'm sure")


def test_a_gold_agent_with_an_agreeable_customer_scores_one(tau):
    # 38 authenticates after a failed lookup and must say two facts; 69 reads first; 36 lists only its write
    ids = ["38", "69", "36", "105"]
    db = tau[1]
    result = _bench(tau, ids, lambda task: GoldAgent(task, WRITES, db))
    assert [(c.case.id, c.runs[0].failures, c.runs[0].error) for c in result.cases] == [(i, [], None) for i in ids]
    overall = result.summary()["overall"]
    assert (overall["pass_at_1"], overall["pass_hat_k"]) == (1.0, 1.0)
    run = result.cases[0].runs[0]
    assert run.termination == "customer_stop" and run.db_sha256 == run.expected_db_sha256
    assert [c["met"] for c in run.communicate] == [True, True]


def _wrong_cancel(task):
    return ScriptedModel([
        {"tool_calls": [{"name": "find_user_id_by_name_zip",
                         "arguments": {"first_name": "Emma", "last_name": "Smith", "zip": "10192"}}]},
        {"text": "I will cancel order #W3614011 (no longer needed). Do you confirm? (yes/no)"},
        {"tool_calls": [{"name": "cancel_pending_order",
                         "arguments": {"order_id": "#W3614011", "reason": "no longer needed"}}]},
        {"text": "Cancelled. Is there anything else I can help you with?"}])


def test_an_agent_that_cancels_the_wrong_order_scores_zero_and_says_why(tau):
    result = _bench(tau, ["69"], _wrong_cancel, settings=BenchSettings(repeat=2))
    assert result.summary()["overall"]["pass_at_1"] == 0.0
    for run in result.cases[0].runs:
        assert [f.evaluator for f in run.failures] == ["db"]
        reason = run.failures[0].reason
        assert "orders['#W2417020'].status: 'pending' (expected 'cancelled')" in reason
        assert "orders['#W3614011'].status: 'cancelled' (expected 'pending')" in reason
    console = Console(file=io.StringIO(), width=200)
    from evals.report import failing_details, print_summary

    print_summary(result, console)
    failing_details(result, console)
    shown = console.file.getvalue()
    assert "0/2" in shown and "final database differs" in shown
    suite = junit_xml(result).getroot().find("testsuite")
    assert suite.get("failures") == "2" and suite.find("testcase/failure").get("type") == "db"
    assert json.dumps(report_dict(result), default=str)  # the JSON report serialises as it is


def test_a_write_the_customer_did_not_say_yes_to_is_refused(tau):
    def hasty(task):  # authenticates, then cancels without asking
        return ScriptedModel([
            {"tool_calls": [{"name": "find_user_id_by_name_zip",
                             "arguments": {"first_name": "Emma", "last_name": "Smith", "zip": "10192"}}]},
            {"tool_calls": [{"name": "cancel_pending_order",
                             "arguments": {"order_id": "#W2417020", "reason": "no longer needed"}}]},
            {"text": "Is there anything else I can help you with?"}])

    result = _bench(tau, ["69"], hasty)
    run = result.cases[0].runs[0]
    confirms = [e for t in run.turns for e in t.events if e.type == "confirm"]
    assert [c.approved for c in confirms] == [False]
    assert run.failures[0].evaluator == "db" and "expected 'cancelled'" in run.failures[0].reason


def test_a_customer_that_never_stops_is_cut_off_and_fails(tau):
    db = tau[1]
    chatty = lambda task: ScriptedModel([{"text": "hello?"}] * 3)  # noqa: E731
    result = _bench(tau, ["38"], lambda task: GoldAgent(task, WRITES, db), chatty,
                    BenchSettings(max_turns=3, agent=AgentSettings(max_steps=40)))
    run = result.cases[0].runs[0]
    assert run.termination == "max_turns" and run.failures[0].evaluator == "termination"


@pytest.mark.model
def test_the_embedded_model_runs_three_tasks_end_to_end(tau):
    """Both roles on the bundled 270M base model; its score is what it is (printed, not asserted)."""
    from agent import ModelSettings
    from agent.models import load_model
    from tools.app import home

    model = load_model(ModelSettings(cache_dir=home() / "models"))
    settings = BenchSettings(max_turns=3, agent=AgentSettings(max_steps=2, max_retries=1))
    result = _bench(tau, ["38", "69", "88"], lambda task: model, lambda task: model, settings)
    runs = [r for c in result.cases for r in c.runs]
    assert len(runs) == 3 and all(r.turns for r in runs)
    assert all(r.error is None for r in runs), [r.error for r in runs]  # graded runs, not crashes
    assert all(r.failures or r.passed for r in runs)
    print("embedded tau_retail:", json.dumps(result.summary()["overall"]),
          [[f.evaluator for f in r.failures] for r in runs])


@pytest.mark.server
@pytest.mark.model
def test_an_openai_compatible_server_plays_both_roles(tau):
    from agent.models.embedded import embedded_model_path
    from agent.models.openai_compat import OpenAIModel
    from llama_server import llama_server
    from tools.app import home

    with llama_server(embedded_model_path(home() / "models"), n_ctx=8192) as url:
        make = lambda task: OpenAIModel("gemma", url, max_tokens=48, temperature=0.0, timeout=300)  # noqa: E731
        settings = BenchSettings(max_turns=2, agent=AgentSettings(max_steps=2, max_retries=1))
        result = _bench(tau, ["69"], make, make, settings)
    run = result.cases[0].runs[0]
    assert run.error is None and run.turns and run.turns[0].user
    assert run.db_sha256 and run.expected_db_sha256
    print("openai-compatible tau_retail:", json.dumps(result.summary()["overall"]),
          [f.evaluator for f in run.failures])


# ---------------------------------------------------------------- the commands, through cli.main
def _cli(*argv: str, capsys) -> tuple[int, str, str]:
    import cli

    out = io.StringIO()
    code = cli.main(list(argv), console=Console(file=out, width=160, color_system=None))
    return code, out.getvalue(), capsys.readouterr().out


def test_tau_replay_command_prints_the_json_line_qa_reads(capsys):
    tasks = need_tau() / "tasks_tau2_dev.json"
    code, shown, stdout = _cli("tau", "replay", str(tasks), "--task", "36", "--task", "64", capsys=capsys)
    line = json.loads(stdout.strip().splitlines()[-1])
    assert code == 0 and (line["tasks"], line["identical"], line["db_identical"], line["outputs_identical"]) == \
        (2, 2, 2, 2)
    assert "2/2 tasks identical" in shown


def test_tau_commands_refuse_unusable_input_with_a_message(tmp_path, capsys):
    bad = tmp_path / "tasks.json"
    bad.write_text('[{"id": 1}]')
    code, shown, _ = _cli("tau", "replay", str(bad), capsys=capsys)
    assert code == 2 and "not a τ² task list" in shown
    tasks = need_tau() / "tasks_tau2_dev.json"
    code, shown, _ = _cli("tau", "run", str(tasks), "--gold-agent", "--task", "69", capsys=capsys)
    assert code == 2 and "name the simulated customer" in shown


def test_tau_run_command_reports_pass_hat_k_json_and_junit(tmp_path, capsys):
    tasks = need_tau() / "tasks_tau2_dev.json"
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    code, shown, stdout = _cli("tau", "run", str(tasks), "--gold-agent", "--user-agreeable", "--task", "69",
                               "--task", "38", "--repeat", "2", "--workers", "2", "--max-steps", "40",
                               "--report", str(report), "--junit", str(junit), capsys=capsys)
    line = json.loads(stdout.strip().splitlines()[-1])
    assert code == 0 and (line["tasks"], line["runs"], line["k"], line["pass_at_1"], line["pass_hat_k"]) == \
        (2, 4, 2, 1.0, 1.0)
    data = json.loads(report.read_text())
    run = data["cases"][0]["runs"][0]
    assert run["termination"] == "customer_stop" and run["db_sha256"] == run["expected_db_sha256"]
    assert run["transcript"][0]["user"] == "I need help with my orders, please."
    assert ET.parse(junit).getroot().get("tests") == "4"
    assert "pass^k" in shown
