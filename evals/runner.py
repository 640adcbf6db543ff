"""Runs suite cases against an agent, K times each, and judges every run with the evaluators.

The runner reads the same event stream as the CLI (`Agent.run`). It knows nothing of shopping: the tools,
stores and system prompt come from an environment factory, the model from a model factory, both per case.

Threads: `workers > 1` runs case runs in a thread pool. A llama.cpp model instance is not thread-safe, so
use more than one worker only when the model factory returns a fresh model per call (the scripted model)
or the backend is remote (an OpenAI-compatible server, which serialises or batches requests itself).
"""

from __future__ import annotations

import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from statistics import mean
from typing import Any, Callable, Protocol

from agent import Agent, AgentSettings, ToolContext, ToolRegistry
from agent.models import Model
from evals.evaluators import case_evaluators, turn_evaluators
from evals.records import Failure, RunRecord, TurnRecord
from evals.suite import Case, Suite

__all__ = ["CaseResult", "Env", "EnvFactory", "EvalResult", "Failure", "ModelFactory", "RunRecord", "RunSettings",
           "TurnRecord", "run_case", "run_eval", "select_cases"]


class Env(Protocol):
    """What one case run needs besides the model: tools, their context, the prompt, and the state to check.

    `state()` is the application's view of the world after the case (the shop reports its cart, a service desk
    its orders); a case's `state:` names some of its keys and the values they must have."""

    registry: ToolRegistry
    context: ToolContext
    system_prompt: str

    def state(self) -> dict[str, Any]:
        ...

    def set_stock(self, stock: dict[str, int]) -> None:
        """Change the shop's stock counts (a turn's `stock:`); only called for cases that use it."""
        ...

    def arrange(self, given: dict[str, Any]) -> None:
        """Set up the world a case starts from (its `given:`); only called for cases that have one."""
        ...

    def close(self) -> None:
        ...


# The environment gets the case's model: tools that write with a model (descriptions) use the agent's own.
EnvFactory = Callable[[Case, Model], Env]
ModelFactory = Callable[[Case], Model]


@dataclass
class RunSettings:
    repeat: int | None = None  # runs per case; overrides each case's own `repeat` (default 1)
    workers: int = 1  # see the module docstring before raising this with a local model
    tags: list[str] = field(default_factory=list)  # run only cases with at least one of these tags
    agent: AgentSettings = field(default_factory=AgentSettings)


@dataclass
class CaseResult:
    suite: str
    path: str
    case: Case
    tags: list[str]
    runs: list[RunRecord] = field(default_factory=list)

    @property
    def pass_rate(self) -> float:
        return sum(r.passed for r in self.runs) / len(self.runs) if self.runs else 0.0

    @property
    def all_passed(self) -> bool:
        return bool(self.runs) and all(r.passed for r in self.runs)


@dataclass
class EvalResult:
    cases: list[CaseResult]
    model: str = ""
    started_at: str = ""
    wall_s: float = 0.0

    def summary(self) -> dict[str, Any]:
        """Per suite and overall: pass@1 (mean per-case run pass rate) and pass^k (cases whose runs all pass)."""
        suites = {name: _stats([c for c in self.cases if c.suite == name])
                  for name in dict.fromkeys(c.suite for c in self.cases)}
        return {"overall": _stats(self.cases), "suites": suites}

    @property
    def pass_at_1(self) -> float:
        return self.summary()["overall"]["pass_at_1"]


def _stats(cases: list[CaseResult]) -> dict[str, Any]:
    runs = [r for c in cases for r in c.runs]
    return {
        "cases": len(cases),
        "runs": len(runs),
        "passed_runs": sum(r.passed for r in runs),
        "errors": sum(r.error is not None for r in runs),
        # pass@1: the chance one run of a case passes, each case weighted equally however often it ran
        "pass_at_1": round(mean(c.pass_rate for c in cases), 4) if cases else 0.0,
        # pass^k: the share of cases that passed every one of their k runs (reliability, not luck)
        "pass_hat_k": round(mean(c.all_passed for c in cases), 4) if cases else 0.0,
        "k": max((len(c.runs) for c in cases), default=0),
        "mean_latency_s": round(mean(r.latency_s for r in runs), 3) if runs else 0.0,
        "mean_steps": round(mean(r.steps for r in runs), 2) if runs else 0.0,
        "mean_tokens": round(mean(r.tokens for r in runs), 1) if runs else 0.0,
    }


def select_cases(suites: list[Suite], tags: list[str] | None = None) -> list[tuple[Suite, Case]]:
    """The (suite, case) pairs to run: all of them, or those carrying one of `tags`."""
    wanted = set(tags or [])
    return [(s, c) for s in suites for c in s.cases if not wanted or wanted & set(s.case_tags(c))]


def _describe(exc: BaseException) -> str:
    # the last frame says where a tool bug happened without a full traceback in every report row
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno} in {where.name})" if where else ""
    return f"{type(exc).__name__}: {exc}{at}"


def _play(agent: Agent, env: Env, case: Case, answer: dict[str, bool], run: RunRecord) -> None:
    """Run the case's turns in order; stop at the first turn that ends in an error."""
    earlier_results: list[Any] = []
    earlier_user: list[str] = []
    if case.given:
        env.arrange(case.given)
    for i, turn in enumerate(case.turns):
        answer["yes"] = bool(turn.confirm)
        if turn.stock:
            env.set_stock(turn.stock)
        record = TurnRecord(i, turn.user, earlier_results=list(earlier_results), earlier_user=list(earlier_user))
        run.turns.append(record)
        started = time.perf_counter()
        stream = agent.run(turn.user)
        try:
            for event in stream:
                record.events.append(event)
        except Exception as exc:  # noqa: BLE001 - a tool bug or an exhausted script fails this case, not the run
            record.error = _describe(exc)
        finally:
            stream.close()
            record.seconds = time.perf_counter() - started
            run.latency_s += record.seconds
        err = record.error_event
        if err is not None and record.error is None:
            record.error = f"{err.kind}: {err.message}"
        if record.error:
            run.error = f"turn {i + 1}: {record.error}"
            return
        earlier_results += record.results
        earlier_user.append(turn.user)


def run_case(suite: Suite, case: Case, attempt: int, env_factory: EnvFactory, model_factory: ModelFactory,
             agent_settings: AgentSettings | None = None) -> RunRecord:
    """One run of one case: fresh environment and agent, every turn, then every evaluator. Never raises."""
    run = RunRecord(suite.name, case.id, attempt)
    env = None
    try:
        model = model_factory(case)
        env = env_factory(case, model)
        answer = {"yes": False}  # the current turn's confirmation answer, read by the confirmer
        agent = Agent(model, env.registry, env.context, system_prompt=env.system_prompt,
                      settings=agent_settings or AgentSettings(), confirm=lambda call, args: answer["yes"])
        _play(agent, env, case, answer, run)
        if case.state is not None:
            try:
                run.state = dict(env.state())
            except Exception as exc:  # noqa: BLE001 - reported by the state evaluator's reason
                run.state_error = _describe(exc)
    except Exception as exc:  # noqa: BLE001 - the environment or model could not be built: a failed run
        run.error = f"setup: {_describe(exc)}"
    finally:
        if env is not None:
            try:
                env.close()
            except Exception:  # noqa: BLE001 - a failed cleanup must not hide the verdict
                pass
    _judge(suite, case, run)
    return run


def _judge(suite: Suite, case: Case, run: RunRecord) -> None:
    """Apply the evaluators to the turns that completed and to the whole run."""
    if run.error:
        failed = next((t for t in run.turns if t.error), None)
        run.failures.append(Failure("error", failed.error, failed.index) if failed and failed.error
                            else Failure("error", run.error))
    for record in run.turns:
        if record.error:
            break
        for evaluator in turn_evaluators(case.turns[record.index], case, suite):
            verdict = evaluator.evaluate(record)
            if not verdict.ok:
                run.failures.append(Failure(verdict.evaluator, verdict.reason, record.index))
    if run.error and not run.turns:
        return  # nothing ran: state and budget verdicts would only repeat the setup error
    for evaluator in case_evaluators(case, suite):
        verdict = evaluator.evaluate(run)
        if not verdict.ok:
            run.failures.append(Failure(verdict.evaluator, verdict.reason))


def run_eval(suites: list[Suite], env_factory: EnvFactory, model_factory: ModelFactory,
             settings: RunSettings | None = None, on_run: Callable[[RunRecord], None] | None = None,
             model_name: str = "") -> EvalResult:
    """Run every selected case K times (in a thread pool when workers > 1) and collect the records."""
    settings = settings or RunSettings()
    started, t0 = datetime.now(timezone.utc).isoformat(timespec="seconds"), time.perf_counter()
    pairs = select_cases(suites, settings.tags)
    results = [CaseResult(s.name, s.path, c, s.case_tags(c)) for s, c in pairs]
    jobs = [(i, attempt) for i, (_, case) in enumerate(pairs)
            for attempt in range(settings.repeat or case.repeat or 1)]
    slots: dict[tuple[int, int], RunRecord] = {}

    def work(job: tuple[int, int]) -> None:
        suite, case = pairs[job[0]]
        slots[job] = record = run_case(suite, case, job[1], env_factory, model_factory, settings.agent)
        if on_run:
            on_run(record)

    if settings.workers > 1:
        with ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="eval") as pool:
            list(pool.map(work, jobs))  # list(): re-raise anything unexpected from a worker
    else:
        for job in jobs:
            work(job)
    for i, attempt in sorted(slots):  # deterministic order whatever the scheduling
        results[i].runs.append(slots[(i, attempt)])
    return EvalResult(results, model_name, started, round(time.perf_counter() - t0, 3))
