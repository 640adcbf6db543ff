"""Conformance: replay each task's gold actions through the real agent loop and compare with τ²'s own results.

Each gold action is one turn of a scripted model (the call, then a one-word reply), approvals given, on a
fresh copy of the database. What is compared is what the model would have seen (the tool message text) and
the final database by its canonical hash.

τ²'s gold lists often carry only the state-changing calls and take authentication as done. The session here
starts unauthenticated, like a real conversation; when a list reaches a call about a user or an order while
nobody is authenticated, the harness authenticates the session as that record's owner first, the way a front
end sets the signed-in user. A list that authenticates itself goes through the tools' own binding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent import Agent, AgentSettings
from agent.events import Error, ToolResultEvent
from agent.models import ScriptedModel
from tools.retail.registry import build_retail_registry
from tools.retail.model import RetailDB
from tools.retail.policy import authenticate_session, retail_context, session_user
from tools.retail.tasks import Action, Expected, Task

__all__ = ["ActionResult", "TaskReplay", "record_owner", "replay_all", "replay_task"]


@dataclass
class ActionResult:
    action_id: str
    name: str
    output: str
    error: bool
    expected: str | None = None
    expected_error: bool | None = None

    @property
    def identical(self) -> bool | None:
        if self.expected is None:
            return None
        return self.output == self.expected and self.error == self.expected_error


@dataclass
class TaskReplay:
    task_id: str
    db_sha256: str
    actions: list[ActionResult] = field(default_factory=list)
    expected_db_sha256: str | None = None
    authenticated_by_harness: str | None = None
    problem: str | None = None  # why the replay could not be compared (action lists differ, a turn failed)
    db: RetailDB | None = field(default=None, repr=False)  # the final database itself

    @property
    def db_identical(self) -> bool:
        return self.problem is None and self.db_sha256 == self.expected_db_sha256

    @property
    def outputs_identical(self) -> bool:
        return self.problem is None and all(a.identical for a in self.actions)

    @property
    def identical(self) -> bool:
        return self.db_identical and self.outputs_identical

    def mismatches(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [{"problem": self.problem}] if self.problem else []
        if self.expected_db_sha256 is not None and self.db_sha256 != self.expected_db_sha256:
            out.append({"db_sha256": self.db_sha256, "expected": self.expected_db_sha256})
        out += [{"action_id": a.action_id, "name": a.name, "output": a.output[:300], "expected": a.expected[:300]}
                for a in self.actions if a.identical is False and a.expected is not None]
        return out


def _scoped(action: Action) -> bool:
    return "user_id" in action.arguments or "order_id" in action.arguments


def record_owner(action: Action, db: RetailDB) -> str | None:
    """Whose record a gold call is about, by its `user_id` or `order_id` argument."""
    args = action.arguments
    if isinstance(args.get("user_id"), str) and args["user_id"] in db.users:
        return args["user_id"]
    order = db.orders.get(args["order_id"]) if isinstance(args.get("order_id"), str) else None
    return order.user_id if order else None


def replay_task(task: Task, initial: RetailDB, expected: Expected | None = None) -> TaskReplay:
    """Run one task's gold actions through `Agent` with a scripted model; never raises for tool problems."""
    db = initial.copy_fresh()
    ctx = retail_context(db, f"tau-replay-{task.id}")
    turns: list[dict[str, Any]] = []
    for action in task.actions:
        turns += [{"tool_calls": [{"name": action.name, "arguments": action.arguments}]}, {"text": "Done."}]
    model = ScriptedModel(turns, context_window=1 << 30)  # never trim: every step sees the whole replay
    agent = Agent(model, build_retail_registry(), ctx, settings=AgentSettings(max_steps=2, max_retries=1),
                  confirm=lambda call, args: True)
    result = TaskReplay(task.id, "")
    for i, action in enumerate(task.actions):
        if session_user(ctx) is None and _scoped(action):
            # the customer is the owner of this record, or (a mistyped id) of the next one the list names
            owner = next((o for later in task.actions[i:] if (o := record_owner(later, db))), None)
            if owner is not None:
                authenticate_session(ctx, owner)
                result.authenticated_by_harness = owner
        result.actions.append(_run_action(agent, action))
    result.db_sha256, result.db = db.canonical_hash(), db
    if expected is not None:
        result.expected_db_sha256 = expected.db_sha256
        if [a.action_id for a in expected.actions] != [a.action_id for a in task.actions]:
            result.problem = "the expected file lists other actions for this task"
        for mine, theirs in zip(result.actions, expected.actions):
            mine.expected, mine.expected_error = theirs.output, theirs.error
    if result.problem is None:
        result.problem = next((f"{a.action_id}: {a.output}" for a in result.actions if a.name == "<turn error>"),
                              None)
    return result


def _run_action(agent: Agent, action: Action) -> ActionResult:
    events = list(agent.run(f"Gold action {action.action_id}"))
    failed = next((e for e in events if isinstance(e, Error)), None)
    done = next((e for e in events if isinstance(e, ToolResultEvent)), None)
    if failed is not None or done is None:
        why = failed.message if failed else "no tool result"
        return ActionResult(action.action_id, "<turn error>", why, True)
    seen = next(m["content"] for m in reversed(agent.messages)
                if m["role"] == "tool" and m.get("tool_call_id") == done.id)
    return ActionResult(action.action_id, action.name, seen, not done.ok)


def replay_all(tasks: list[Task], initial: RetailDB, expected: dict[str, Expected] | None = None
               ) -> tuple[list[TaskReplay], dict[str, Any]]:
    """Replay every task; the summary is the JSON line QA scripts read."""
    results = [replay_task(t, initial, (expected or {}).get(t.id) if expected is not None else None)
               for t in tasks]
    summary: dict[str, Any] = {"tasks": len(results)}
    if expected is not None:
        compared = [r for r in results if r.expected_db_sha256 is not None]
        summary |= {
            "identical": sum(r.identical for r in compared),
            "db_identical": sum(r.db_identical for r in compared),
            "outputs_identical": sum(r.outputs_identical for r in compared),
            "actions": sum(len(r.actions) for r in results),
            "actions_identical": sum(bool(a.identical) for r in results for a in r.actions),
            "without_expectation": [r.task_id for r in results if r.expected_db_sha256 is None],
            "authenticated_by_harness": sum(r.authenticated_by_harness is not None for r in results),
            "mismatched": {r.task_id: r.mismatches() for r in compared if not r.identical},
        }
    else:
        summary["db_sha256"] = {r.task_id: r.db_sha256 for r in results}
    return results, summary
