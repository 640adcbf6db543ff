"""Arguments both `tau` subcommands take: the task file, the database, a task selection."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

__all__ = ["add_data_args", "load_inputs"]


def add_data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("tasks", metavar="TASKS.json", help="a τ² task list, e.g. ../shared/data/tau_retail/tasks_tau2_dev.json")
    p.add_argument("--db", metavar="db.json", help="the initial database (default: db.json beside TASKS)")
    p.add_argument("--task", action="append", default=[], metavar="ID", help="only these task ids (repeatable)")


def load_inputs(args: argparse.Namespace) -> tuple[list[Any], Any]:
    """(tasks, initial db) from the arguments; raises ValueError with a message for the console."""
    from tools.retail.model import RetailDB
    from tools.retail.tasks import load_tasks

    tasks_path = Path(args.tasks)
    db_path = Path(args.db) if args.db else tasks_path.with_name("db.json")
    tasks = load_tasks(tasks_path)
    if args.task:
        unknown = sorted(set(args.task) - {t.id for t in tasks})
        if unknown:
            raise ValueError(f"no task with id {', '.join(unknown)} in {tasks_path}")
        tasks = [t for t in tasks if t.id in set(args.task)]
    try:
        db = RetailDB.load(db_path)
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{db_path}: cannot read the database: {exc}") from None
    except ValidationError as exc:
        raise ValueError(f"{db_path}: not a τ² retail database: {exc.errors(include_url=False)[0]}") from None
    return tasks, db
