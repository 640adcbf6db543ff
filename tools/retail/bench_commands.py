"""`cli.py tau run`: serve τ² retail tasks to simulated customers and report pass@1 / pass^k."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent import AgentSettings, ModelSettings, load_model
from agent.models import Model, ModelError
from evals.report import failing_details, print_summary, report_dict, write_junit
from tools.app import add_model_args, home, model_settings
from tools.retail.args import add_data_args, load_inputs

__all__ = ["add_role_model_args", "add_run_parser", "cmd_run", "role_settings", "summary_line"]

ROLES = {"user": "the simulated customer", "judge": "the nl_assertions judge (optional)"}


def add_role_model_args(p: argparse.ArgumentParser, role: str) -> None:
    """`--ROLE-model` and friends: any backend can play the customer or the judge (the agent takes the
    shared model flags)."""
    g = p.add_argument_group(f"{ROLES[role]} model")
    g.add_argument(f"--{role}-model", metavar="NAME|PATH", help="a .gguf path, 'embedded' (the bundled GGUF), "
                                                                "or with a base URL the endpoint's model name")
    g.add_argument(f"--{role}-base-url", metavar="URL", help="an OpenAI-compatible endpoint")
    g.add_argument(f"--{role}-api-key", metavar="KEY")
    g.add_argument(f"--{role}-scripted", metavar="FILE.json", help="a scripted model (deterministic test double)")
    g.add_argument(f"--{role}-n-ctx", type=int, default=8192, metavar="N")
    g.add_argument(f"--{role}-temperature", type=float, metavar="T")
    g.add_argument(f"--{role}-timeout", type=float, default=120.0, metavar="S", help="seconds per request")


def role_settings(args: argparse.Namespace, role: str) -> ModelSettings | None:
    """The role's ModelSettings, or None when no model was named for it."""
    get = lambda name: getattr(args, f"{role}_{name}")  # noqa: E731 - one prefix, seven flags
    if not (get("model") or get("base_url") or get("scripted")):
        return None
    model = None if get("model") == "embedded" else get("model")
    return ModelSettings(model=model, base_url=get("base_url"), api_key=get("api_key"), scripted=get("scripted"),
                         n_ctx=get("n_ctx"), temperature=get("temperature"), timeout=get("timeout"),
                         cache_dir=home() / "models")


def add_run_parser(sub: Any) -> None:
    p = sub.add_parser("run", help="serve each task to a simulated customer; grade by final database and "
                                   "communicate_info (pass@1, pass^k)")
    add_data_args(p)
    p.add_argument("--policy", metavar="policy.md", help="the policy the agent follows (default: beside TASKS)")
    add_model_args(p)
    p.add_argument("--gold-agent", action="store_true",
                   help="the agent replays each task's gold actions (checks the harness, not a model)")
    add_role_model_args(p, "user")
    p.add_argument("--user-agreeable", action="store_true",
                   help="a scripted customer who says yes to every confirmation (with --gold-agent)")
    add_role_model_args(p, "judge")
    p.add_argument("--repeat", type=int, default=1, metavar="K", help="independent runs per task (pass^k)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="parallel runs; only with scripted or --base-url models (a local model is not thread-safe)")
    p.add_argument("--max-steps", type=int, default=12, help="agent model steps per customer message (default 12)")
    p.add_argument("--max-turns", type=int, default=30, help="customer messages before a run is cut off")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N tasks")
    p.add_argument("--report", metavar="FILE.json", help="write the full report, transcripts included")
    p.add_argument("--junit", metavar="FILE.xml", help="write JUnit XML for CI")
    p.add_argument("--transcripts", action="store_true", help="print the transcript of every failing run")
    p.set_defaults(func=cmd_run)


def _models(args: argparse.Namespace, db: Any, agent_settings: ModelSettings) -> tuple[Any, Any, Model | None,
                                                                                      str, bool]:
    """(agent factory, customer factory, judge, agent description, safe with workers > 1)."""
    from agent.models import ScriptedModel
    from tools.retail.registry import build_retail_registry
    from tools.retail.gold import AgreeableCustomer, GoldAgent

    if args.gold_agent:
        writes = {t.name for t in build_retail_registry() if t.writes}
        agents, described, parallel = (lambda task: GoldAgent(task, writes, db)), "gold", True
    elif agent_settings.scripted:
        agents, described, parallel = (lambda task: ScriptedModel.from_file(agent_settings.scripted)), "scripted", True
    else:
        # the shop's few-shot lines and hints are about products, not an order desk
        agent_model = load_model(dataclasses.replace(agent_settings, few_shot=[], preparer=None, grammar_header=None))
        agents, described, parallel = (lambda task: agent_model), agent_settings.describe(), bool(
            agent_settings.base_url)
    user = role_settings(args, "user")
    if args.user_agreeable:
        customers = lambda task: AgreeableCustomer()  # noqa: E731
    elif user is None:
        raise ValueError("name the simulated customer: --user-model NAME|PATH|embedded (with --user-base-url for "
                         "an endpoint), --user-scripted FILE, or --user-agreeable")
    elif user.scripted:
        customers = lambda task: ScriptedModel.from_file(user.scripted)  # noqa: E731
    else:
        customer_model = load_model(user)
        same_local = not user.base_url
        parallel = parallel and not same_local
        customers = lambda task: customer_model  # noqa: E731
    judge_settings = role_settings(args, "judge")
    judge = load_model(judge_settings) if judge_settings else None
    return agents, customers, judge, described, parallel


def cmd_run(args: argparse.Namespace, console: Console) -> int:
    """0 when the run completed (whatever the score), 2 when it could not start."""
    from tools.retail.bench import BenchSettings, run_bench
    from tools.retail.tasks import TaskFileError

    try:
        tasks, db = load_inputs(args)
        tasks = tasks[: args.limit] if args.limit else tasks
        policy_path = Path(args.policy) if args.policy else Path(args.tasks).with_name("policy.md")
        policy = policy_path.read_text(encoding="utf-8")
        agent_settings = model_settings(args)
        agents, customers, judge, described, parallel = _models(args, db, agent_settings)
    except (ValueError, TaskFileError, OSError, ModelError, ImportError) as exc:
        console.print(f"[bold red]Cannot start:[/] {escape(str(exc))}", highlight=False)
        return 2
    workers = max(1, args.workers)
    if workers > 1 and not parallel:
        console.print("[yellow]--workers ignored: a local model instance is not thread-safe.[/]")
        workers = 1
    settings = BenchSettings(repeat=max(1, args.repeat), workers=workers, max_turns=args.max_turns,
                             agent=AgentSettings(max_steps=args.max_steps, max_retries=3))
    result = run_bench(tasks, db, policy, agents, customers, settings, judge, model_name=described,
                       on_run=lambda run: console.print(f"[dim]task {escape(run.case_id)} run {run.attempt + 1}: "
                                                        f"{'pass' if run.passed else 'fail'}[/]"))
    print_summary(result, console)
    if judge is not None:
        _print_nl(result, console)
    failing_details(result, console, transcripts=args.transcripts)
    report = _report(result)
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n",
                                     encoding="utf-8")
        console.print(f"[dim]JSON report: {escape(args.report)}[/]")
    if args.junit:
        write_junit(result, args.junit)
        console.print(f"[dim]JUnit XML: {escape(args.junit)}[/]")
    print(json.dumps(summary_line(result), ensure_ascii=False), flush=True)
    return 0


def summary_line(result: Any) -> dict[str, Any]:
    """The final JSON line: pass@1, pass^k, and the nl_assertions rate when a judge ran."""
    overall = result.summary()["overall"]
    runs = [r for c in result.cases for r in c.runs]
    judged = [r.nl_passed for r in runs if r.nl_passed is not None]
    return {"tasks": overall["cases"], "runs": overall["runs"], "k": overall["k"], "pass_at_1": overall["pass_at_1"],
            "pass_hat_k": overall["pass_hat_k"], "errors": overall["errors"], "model": result.model,
            "mean_latency_s": overall["mean_latency_s"], "mean_agent_tokens": overall["mean_tokens"],
            "mean_customer_tokens": round(sum(r.customer_tokens for r in runs) / len(runs), 1) if runs else 0.0,
            "nl_assertions_pass": round(sum(judged) / len(judged), 4) if judged else None}


def _report(result: Any) -> dict[str, Any]:
    """The eval report, each run with what τ² grading looked at."""
    report = report_dict(result)
    for case, data in zip(result.cases, report["cases"]):
        for run, run_data in zip(case.runs, data["runs"]):
            run_data.update(termination=run.termination, db_sha256=run.db_sha256,
                            expected_db_sha256=run.expected_db_sha256, communicate=run.communicate,
                            nl_assertions=run.nl_assertions, customer_tokens=run.customer_tokens)
    report["tau"] = summary_line(result)
    return report


def _print_nl(result: Any, console: Console) -> None:
    table = Table(title="nl_assertions (judge; not part of pass@1)", header_style="bold cyan")
    for col in ("task", "run", "met", "first unmet"):
        table.add_column(col, overflow="fold")
    for c in result.cases:
        for r in c.runs:
            if r.nl_assertions is None:
                continue
            unmet = next((a for a in r.nl_assertions if not a["met"]), None)
            table.add_row(escape(c.case.id), str(r.attempt + 1),
                          f"{sum(a['met'] for a in r.nl_assertions)}/{len(r.nl_assertions)}",
                          escape(f"{unmet['assertion']}: {unmet['reasoning']}"[:160]) if unmet else "")
    console.print(table)
