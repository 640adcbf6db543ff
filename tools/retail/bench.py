"""τ² retail against simulated customers: an LLM plays the customer from the task's scenario, the agent serves
them under the policy, and the run is graded as τ² grades it.

Protocol (τ²'s half-duplex one): the agent greets; the customer model, prompted with the scenario, answers;
each customer message is one agent turn (`Agent.run`); the conversation ends when the customer writes a stop
token (###STOP###, ###TRANSFER###, ###OUT-OF-SCOPE###) or after `max_turns` customer messages.

Grade: the final database equals the one the gold actions produce (canonical hash), every `communicate_info`
string appears in the agent's replies (case-insensitive, commas ignored, as τ² checks), and the conversation
ended by a stop token. `nl_assertions` are judged by an optional judge model and reported separately.
The records are the eval runner's (`evals.runner`), so its tables, JSON and JUnit reports apply as they are.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from agent import Agent, AgentSettings
from agent.events import Error
from agent.models import Model, TextDelta, Usage
from evals.records import Failure, RunRecord, TurnRecord
from evals.runner import CaseResult, EvalResult
from evals.suite import Case, Turn
from tools.retail.registry import build_retail_registry
from tools.retail.judge import judge_assertions
from tools.retail.model import RetailDB
from tools.retail.policy import retail_context
from tools.retail.replay import replay_task
from tools.retail.tasks import Instructions, Task
from tools.resources import render_prompt

__all__ = ["GREETING", "STOP_TOKENS", "BenchSettings", "Customer", "TauRun", "agent_prompt", "customer_consent",
           "db_differences", "run_bench", "run_task"]

SUITE = "tau_retail"
GREETING = "Hi! How can I help you today?"
STOP_TOKENS = {"###STOP###": "customer_stop", "###TRANSFER###": "transfer", "###OUT-OF-SCOPE###": "out_of_scope"}
ModelFor = Callable[[Task], Model]


@dataclass
class BenchSettings:
    repeat: int = 1  # K independent runs per task (fresh database each): pass^k needs K > 1
    workers: int = 1  # only with models that are safe to share across threads (scripted, remote endpoints)
    max_turns: int = 30  # customer messages before the conversation is cut off (a failed run)
    agent: AgentSettings = field(default_factory=lambda: AgentSettings(max_steps=12, max_retries=3))


@dataclass
class TauRun(RunRecord):
    """A run record plus what τ² grading looks at; the eval reports read the RunRecord part."""

    termination: str = ""
    db_sha256: str = ""
    expected_db_sha256: str = ""
    communicate: list[dict[str, Any]] = field(default_factory=list)
    nl_assertions: list[dict[str, Any]] | None = None  # None: no judge ran
    customer_tokens: int = 0

    @property
    def nl_passed(self) -> bool | None:
        return None if self.nl_assertions is None else all(a.get("met") for a in self.nl_assertions)


def agent_prompt(policy: str) -> str:
    return render_prompt("tau_retail_agent.md", policy=policy.strip())


class Customer:
    """The simulated customer: any model, prompted with the scenario; it sees the agent's words as 'user'."""

    def __init__(self, model: Model, scenario: str) -> None:
        self.model, self.tokens = model, 0
        tokens = {"stop": "###STOP###", "transfer": "###TRANSFER###", "out_of_scope": "###OUT-OF-SCOPE###"}
        self.messages: list[dict[str, Any]] = [
            {"role": "system", "content": render_prompt("tau_retail_customer.md", scenario=scenario, **tokens)}]

    def reply(self, agent_text: str) -> str:
        self.messages.append({"role": "user", "content": agent_text})
        parts: list[str] = []
        for chunk in self.model.stream(self.messages, []):
            if isinstance(chunk, TextDelta):
                parts.append(chunk.text)
            elif isinstance(chunk, Usage):
                self.tokens += chunk.prompt_tokens + chunk.completion_tokens
        text = "".join(parts).strip()
        self.messages.append({"role": "assistant", "content": text})
        return text


_YES = re.compile(r"\b(yes|yeah|yep|yup|sure|confirm(?:ed)?|go ahead|proceed|please do|do it|correct|ok(?:ay)?)\b",
                  re.IGNORECASE)
_NO = re.compile(r"\b(no|nope|not|don't|do not|never|wait|hold on)\b", re.IGNORECASE)


def customer_consent(message: str) -> bool:
    """An explicit yes in the customer's last message, not preceded by a no ("no, wait" is not consent)."""
    yes = _YES.search(message)
    no = _NO.search(message)
    return yes is not None and (no is None or no.start() > yes.start())


def db_differences(got: RetailDB, want: RetailDB, limit: int = 6) -> list[str]:
    """Which fields differ, down to the leaf: `orders['#W1'].status: 'cancelled' (expected 'pending')`."""
    out: list[str] = []
    a, b = got.canonical(), want.canonical()
    for table in ("orders", "users", "products"):  # orders first: that is where most tasks act
        for key in sorted(set(a[table]) | set(b[table])):
            if a[table].get(key) != b[table].get(key):
                out += _leaf_diffs(f"{table}[{key!r}]", a[table].get(key), b[table].get(key))
    return out[:limit]


_MAPS = ("payment_methods", "variants", "options")  # fields keyed by ids or names, not record fields


def _leaf_diffs(path: str, mine: Any, gold: Any) -> list[str]:
    if isinstance(mine, dict) and isinstance(gold, dict):
        keys = sorted(set(mine) | set(gold), key=lambda k: (k != "status", k))  # the status says the most
        by_id = path.endswith(_MAPS)
        return [d for k in keys if mine.get(k) != gold.get(k)
                for d in _leaf_diffs(f"{path}[{k!r}]" if by_id else f"{path}.{k}", mine.get(k), gold.get(k))]
    return [f"{path}: {_short(mine)} (expected {_short(gold)})"]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _communicated(info: str, replies: list[str]) -> bool:
    return any(info.lower() in reply.lower().replace(",", "") for reply in replies)


def run_task(task: Task, attempt: int, initial: RetailDB, gold: RetailDB, policy: str, agent_model: Model,
             customer_model: Model, settings: BenchSettings, judge: Model | None = None) -> TauRun:
    """One conversation on a fresh database, graded. Never raises: a crash is the run's `error`."""
    run = TauRun(SUITE, task.id, attempt, expected_db_sha256=gold.canonical_hash())
    db = initial.copy_fresh()
    started = time.perf_counter()
    try:
        customer = Customer(customer_model, str(task.user_scenario))
        agent = Agent(agent_model, build_retail_registry(), retail_context(db, f"tau-{task.id}-{attempt}"),
                      system_prompt=agent_prompt(policy), settings=settings.agent,
                      confirm=lambda call, args: customer_consent(customer.messages[-1]["content"]))
        agent.messages.append({"role": "assistant", "content": GREETING})
        said_last = GREETING
        for i in range(settings.max_turns):
            said = customer.reply(said_last)
            stop = next((why for token, why in STOP_TOKENS.items() if token in said), None)
            if stop:
                run.termination = stop
                break
            record = TurnRecord(i, said)
            run.turns.append(record)
            t0 = time.perf_counter()
            record.events = list(agent.run(said))
            record.seconds = time.perf_counter() - t0
            failed = next((e for e in record.events if isinstance(e, Error)), None)
            if failed is not None:  # the turn ended early; the conversation goes on, as it would with a person
                record.error = f"{failed.kind}: {failed.message}"
            said_last = record.reply.strip() or "(no reply)"
        else:
            run.termination = "max_turns"
        run.customer_tokens = customer.tokens
    except Exception as exc:  # noqa: BLE001 - a crashed run is reported, the benchmark goes on
        run.error = f"{type(exc).__name__}: {exc}"
    run.latency_s = time.perf_counter() - started
    run.db_sha256 = db.canonical_hash()
    _grade(task, run, db, gold, judge)
    return run


def _grade(task: Task, run: TauRun, db: RetailDB, gold: RetailDB, judge: Model | None) -> None:
    if run.termination not in STOP_TOKENS.values() and run.error is None:
        run.failures.append(Failure("termination", f"the conversation did not end with a stop token "
                                                   f"({run.termination or 'no ending'})"))
    if run.db_sha256 != run.expected_db_sha256:
        changes = db_differences(db, gold)
        run.failures.append(Failure("db", "final database differs from the gold one: " + "; ".join(changes)))
    replies = [t.reply for t in run.turns]
    for info in task.evaluation_criteria.communicate_info:
        ok = _communicated(info, replies)
        run.communicate.append({"info": info, "met": ok})
        if not ok:
            run.failures.append(Failure("communicate", f"the agent never said {info!r}"))
    assertions = task.evaluation_criteria.nl_assertions
    if judge is not None and assertions:
        run.nl_assertions = judge_assertions(judge, _transcript(run), assertions)


def _transcript(run: TauRun) -> str:
    lines = [f"assistant: {GREETING}"]
    for t in run.turns:
        lines += [f"user: {t.user}", f"assistant: {t.reply.strip()}"]
    return "\n".join(lines)


def _case(task: Task) -> Case:
    """The task as an eval case, so the eval reports can name and describe it."""
    said = task.user_scenario.instructions
    reason = said.reason_for_call if isinstance(said, Instructions) else said
    return Case(id=task.id, description=reason[:200], turns=[Turn(user="(simulated customer)")])


def run_bench(tasks: list[Task], initial: RetailDB, policy: str, agent_models: ModelFor, customer_models: ModelFor,
              settings: BenchSettings | None = None, judge: Model | None = None, model_name: str = "",
              on_run: Callable[[TauRun], None] | None = None) -> EvalResult:
    """K runs of every task (in a thread pool when workers > 1), as an EvalResult for evals.report."""
    settings = settings or BenchSettings()
    started, t0 = datetime.now(timezone.utc).isoformat(timespec="seconds"), time.perf_counter()
    golds = {t.id: replay_task(t, initial).db for t in tasks}
    jobs = [(i, k) for i in range(len(tasks)) for k in range(settings.repeat)]
    slots: dict[tuple[int, int], TauRun] = {}

    def work(job: tuple[int, int]) -> None:
        task = tasks[job[0]]
        slots[job] = run = run_task(task, job[1], initial, golds[task.id], policy, agent_models(task),
                                    customer_models(task), settings, judge)
        if on_run:
            on_run(run)

    if settings.workers > 1:
        with ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="tau") as pool:
            list(pool.map(work, jobs))
    else:
        for job in jobs:
            work(job)
    cases = [CaseResult(SUITE, "", _case(t), ["tau2", "retail"]) for t in tasks]
    for i, k in sorted(slots):
        cases[i].runs.append(slots[(i, k)])
    return EvalResult(cases, model_name, started, round(time.perf_counter() - t0, 3))
