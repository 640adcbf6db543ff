"""`cli.py tau replay` (conformance with τ²'s own results) and `cli.py tau run` (simulated customers)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tools.retail.args import add_data_args, load_inputs

__all__ = ["cmd_replay", "register"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("tau", help="τ²-bench retail: replay gold actions, or serve simulated customers",
                              description="The τ²-bench retail order desk (see README: τ² retail).")
    sub = p.add_subparsers(dest="tau_command", metavar="{replay,run}")
    sub.required = True
    r = sub.add_parser("replay", help="replay each task's gold actions through the agent loop and compare "
                                      "final databases and tool outputs with the expected ones")
    add_data_args(r)
    r.add_argument("--expected", metavar="FILE.jsonl", help="expected outputs and final hashes "
                                                            "(default: expected_dev.jsonl beside TASKS if present)")
    r.add_argument("--no-expected", action="store_true", help="only replay and print each final hash")
    r.set_defaults(func=cmd_replay)
    from tools.retail.bench_commands import add_run_parser

    add_run_parser(sub)


def cmd_replay(args: argparse.Namespace, console: Console) -> int:
    """Exit 0 when every compared task is identical, 1 when one differs, 2 when the inputs are unusable."""
    from tools.retail.replay import replay_all
    from tools.retail.tasks import TaskFileError, load_expected

    try:
        tasks, db = load_inputs(args)
        expected_path = None if args.no_expected else (
            Path(args.expected) if args.expected else Path(args.tasks).with_name("expected_dev.jsonl"))
        if expected_path is not None and not expected_path.exists():
            if args.expected:
                raise ValueError(f"{expected_path}: no such file")
            expected_path = None
        expected = load_expected(expected_path) if expected_path else None
    except (ValueError, TaskFileError) as exc:
        console.print(f"[bold red]Cannot replay:[/] {escape(str(exc))}", highlight=False)
        return 2
    results, summary = replay_all(tasks, db, expected)
    if expected is not None:
        table = Table(title=f"τ² retail replay · {len(results)} task(s) vs {escape(str(expected_path))}",
                      header_style="bold cyan")
        for col in ("task", "actions", "db", "outputs", "first difference"):
            table.add_column(col, overflow="fold")
        for r in results:
            if r.identical:
                continue
            first = (r.mismatches() or [{}])[0]
            table.add_row(escape(r.task_id), str(len(r.actions)), _mark(r.db_identical), _mark(r.outputs_identical),
                          escape(json.dumps(first)[:200]))
        if table.row_count:
            console.print(table)
        console.print(f"[bold]{summary['identical']}/{summary['tasks']}[/] tasks identical "
                      f"(db {summary['db_identical']}, outputs {summary['outputs_identical']}; "
                      f"{summary['actions_identical']}/{summary['actions']} tool outputs)")
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    if expected is None:
        return 0
    return 0 if summary["identical"] == summary["tasks"] else 1


def _mark(ok: bool) -> str:
    return "[green]same[/]" if ok else "[red]differs[/]"
