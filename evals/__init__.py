"""Eval suites for the agent: YAML cases, tiny evaluators, a runner that reads the loop's event stream."""

from evals.evaluators import Evaluator, Verdict, case_evaluators, turn_evaluators
from evals.runner import (CaseResult, Env, EnvFactory, EvalResult, Failure, ModelFactory, RunRecord, RunSettings,
                          TurnRecord, run_case, run_eval)
from evals.suite import Case, Suite, SuiteError, Turn, load_suite, load_suites

__all__ = [
    "Case", "CaseResult", "Env", "EnvFactory", "EvalResult", "Evaluator", "Failure", "ModelFactory", "RunRecord",
    "RunSettings", "Suite", "SuiteError", "Turn", "TurnRecord", "Verdict", "case_evaluators", "load_suite",
    "load_suites", "run_case", "run_eval", "turn_evaluators",
]
