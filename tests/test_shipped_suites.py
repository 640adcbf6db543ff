"""The shipped eval suites: they load, cover every tool and every required kind of case, and each case's own
`script:` passes against the real tools, so every expectation is known to be satisfiable."""

from __future__ import annotations

from collections import Counter

import pytest

from agent import ScriptedModel
from evals.commands import DEFAULT_SUITES, ShopEnvFactory
from evals.runner import run_eval
from evals.suite import Case, Suite, load_suites
from tools.app import build_registry

REQUIRED_TAGS = ["multi-turn", "clarify", "no-history", "confirm", "decline", "out-of-scope", "adversarial"]


@pytest.fixture(scope="module")
def suites() -> list[Suite]:
    return load_suites([DEFAULT_SUITES])


def _cases(suites: list[Suite]) -> list[tuple[Suite, Case]]:
    return [(s, c) for s in suites for c in s.cases]


def test_at_least_40_cases_each_with_a_script(suites: list[Suite]) -> None:
    cases = _cases(suites)
    assert len(cases) >= 40
    assert [c.id for _, c in cases if not c.script] == []


def test_every_tool_is_expected_somewhere_and_only_real_tools_are_named(suites: list[Suite]) -> None:
    registered = set(build_registry().names)
    expected = {m.name for _, c in _cases(suites) for t in c.turns if t.tools for m in t.tools.calls}
    named = {n for n in expected if not any(ch in n for ch in "*?[")}  # patterns like "*" match any tool
    assert registered - named == set(), "tools no case expects"
    assert named - registered == set(), "expected tools that are not registered (a typo?)"


def test_every_required_kind_of_case_is_tagged(suites: list[Suite]) -> None:
    tags = Counter(t for s, c in _cases(suites) for t in s.case_tags(c))
    assert {t: tags[t] for t in REQUIRED_TAGS if tags[t] < 2} == {}  # at least two cases of each kind


def test_writes_are_checked_by_state(suites: list[Suite]) -> None:
    """A case that confirms or declines a write must say what the cart or the orders hold afterwards."""
    unchecked = [c.id for s, c in _cases(suites) if {"confirm", "decline"} & set(s.case_tags(c))
                 and not (c.state and {"cart", "orders"} & set(c.state.root)) and c.shopper]
    assert unchecked == []


@pytest.mark.parametrize("name", sorted(p.stem for p in DEFAULT_SUITES.glob("*.yaml")))
def test_each_case_passes_with_its_own_script(name: str, suites: list[Suite], demo_catalog) -> None:
    """The dry run of `cli.py eval --scripted cases`, over the real tools and demo data; scripts are used up."""
    suite = next(s for s in suites if s.path.endswith(f"{name}.yaml"))
    made: list[ScriptedModel] = []

    def scripted(case: Case) -> ScriptedModel:
        made.append(ScriptedModel(case.script or []))
        return made[-1]

    envs = ShopEnvFactory(demo_catalog=demo_catalog)
    try:
        result = run_eval([suite], envs, scripted)
    finally:
        envs.close()
    failed = {c.case.id: [f"{f.evaluator}: {f.reason}" for r in c.runs for f in r.failures]
              for c in result.cases if not c.all_passed}
    assert failed == {}
    leftover = {c.case.id: len(m.turns) for c, m in zip(result.cases, made) if m.turns}
    assert leftover == {}, "scripted turns never used: the script does not follow the case's turns"
