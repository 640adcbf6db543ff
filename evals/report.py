"""Eval reports: a JSON document (with transcripts), JUnit XML for CI, and rich tables for the terminal."""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

from rich.console import Console
from tools.render import escape  # strips control codes too
from rich.table import Table

from evals.runner import CaseResult, EvalResult, RunRecord

__all__ = ["check_writable", "failing_details", "junit_xml", "print_summary", "report_dict", "run_dict", "write_json",
           "write_junit"]


def run_dict(run: RunRecord) -> dict[str, Any]:
    """One run as data: verdicts, measurements and the whole transcript (events as dicts, per turn)."""
    return {
        "attempt": run.attempt,
        "passed": run.passed,
        "failures": [asdict(f) for f in run.failures],
        "error": run.error,
        "latency_s": round(run.latency_s, 4),
        "steps": run.steps,
        "tokens": run.tokens,
        "state": run.state,
        "state_error": run.state_error,
        "transcript": [{"turn": t.index, "user": t.user, "seconds": round(t.seconds, 4), "error": t.error,
                        "events": [e.to_dict() for e in t.events]} for t in run.turns],
    }


def _case_dict(c: CaseResult) -> dict[str, Any]:
    return {"suite": c.suite, "path": c.path, "case": c.case.id, "description": c.case.description,
            "tags": c.tags, "runs": [run_dict(r) for r in c.runs], "pass_rate": round(c.pass_rate, 4),
            "all_passed": c.all_passed}


def report_dict(result: EvalResult) -> dict[str, Any]:
    return {"model": result.model, "started_at": result.started_at, "wall_s": result.wall_s,
            "summary": result.summary(), "cases": [_case_dict(c) for c in result.cases]}


def write_json(result: EvalResult, path: str | Path, redact: Callable[[Any], Any] | None = None) -> None:
    """The JSON report, written whole or not at all; `redact` (e.g. `agent.safety.redact_pii`) masks its text."""
    data = report_dict(result)
    _write_atomic(path, json.dumps(redact(data) if redact else data, indent=1, ensure_ascii=False,
                                   default=str) + "\n")


def check_writable(path: str | Path) -> None:
    """Fail before a long run, not after it: `path` must be a file name in a directory we can write to."""
    path = Path(path)
    if path.is_dir():
        raise OSError(f"cannot write the report to {path}: it is a directory; name a file")
    _write_atomic(path.parent / f".{path.name}.check", "", keep=False)


def _write_atomic(path: str | Path, text: str, keep: bool = True) -> None:
    """Write beside `path`, then rename over it: a full disk leaves the old file, never half a new one."""
    path = Path(path)
    tmp: Path | None = None
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         delete=False) as f:
            tmp = Path(f.name)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if keep:
            os.replace(tmp, path)
            tmp = None
    except OSError as e:
        raise OSError(f"cannot write to {path}: {e.strerror or e}") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _failure_text(run: RunRecord) -> str:
    lines = [f"[{f.evaluator}]{f' turn {f.turn + 1}' if f.turn is not None else ''}: {f.reason}"
             for f in run.failures]
    for t in run.turns:
        lines.append(f"--- turn {t.index + 1}, shopper: {t.user}")
        lines += [json.dumps(e.to_dict(), ensure_ascii=False, default=str)[:2000] for e in t.events]
    return "\n".join(lines)


def junit_xml(result: EvalResult) -> ET.ElementTree:
    """One <testsuite> per suite, one <testcase> per case run; a crash is an <error>, a failed check a <failure>."""
    stats = result.summary()
    root = ET.Element("testsuites", name="evals", time=f"{result.wall_s:.3f}")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for name in stats["suites"]:
        cases = [c for c in result.cases if c.suite == name]
        suite_el = ET.SubElement(root, "testsuite", name=name)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        seconds = 0.0
        for c in cases:
            for run in c.runs:
                label = c.case.id if len(c.runs) == 1 else f"{c.case.id}[{run.attempt + 1}]"
                tc = ET.SubElement(suite_el, "testcase", classname=f"evals.{name}", name=label,
                                   time=f"{run.latency_s:.3f}")
                counts["tests"] += 1
                seconds += run.latency_s
                if run.error:
                    counts["errors"] += 1
                    ET.SubElement(tc, "error", message=run.error[:500], type="error").text = _failure_text(run)
                elif run.failures:
                    counts["failures"] += 1
                    first = run.failures[0]
                    ET.SubElement(tc, "failure", message=f"{first.evaluator}: {first.reason}"[:500],
                                  type=first.evaluator).text = _failure_text(run)
        suite_el.attrib.update({k: str(v) for k, v in counts.items()}, time=f"{seconds:.3f}")
        for k in totals:
            totals[k] += counts[k]
    root.attrib.update({k: str(v) for k, v in totals.items()})
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(result: EvalResult, path: str | Path, redact: Callable[[Any], Any] | None = None) -> None:
    root = junit_xml(result).getroot()
    if redact:
        for el in root.iter():
            el.text = redact(el.text) if el.text else el.text
            el.attrib.update({k: redact(v) for k, v in el.attrib.items()})
    _write_atomic(path, ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def print_summary(result: EvalResult, console: Console) -> None:
    """A row per case (runs passed, first failure, cost), then pass@1 and pass^k per suite and overall."""
    cases = Table(title="Eval cases", header_style="bold cyan", show_lines=False)
    for col in ("suite", "case", "passed", "latency", "steps", "tokens"):
        cases.add_column(col, overflow="fold", no_wrap=col not in ("suite", "case"),
                         justify="right" if col in ("latency", "steps", "tokens") else "left")
    cases.add_column("first failure", overflow="fold")
    for c in result.cases:
        runs = c.runs or []
        first = next((r.failures[0] for r in runs if r.failures), None)
        style = "green" if c.all_passed else ("yellow" if c.pass_rate else "red")
        why = f"{first.evaluator}: {first.reason}" if first else ""
        n = max(len(runs), 1)
        cases.add_row(escape(c.suite), escape(c.case.id), f"[{style}]{sum(r.passed for r in runs)}/{len(runs)}[/]",
                      f"{sum(r.latency_s for r in runs) / n:.2f}s", f"{sum(r.steps for r in runs) / n:g}",
                      f"{sum(r.tokens for r in runs) / n:g}", escape(why[:160] + ("…" if len(why) > 160 else "")))
    console.print(cases)
    stats = result.summary()
    totals = Table(title=f"Summary · model: {escape(result.model or '?')}", header_style="bold cyan")
    for col in ("suite", "cases", "runs", "pass@1", "pass^k", "k", "errors", "mean latency", "mean tokens"):
        totals.add_column(col, justify="left" if col == "suite" else "right")
    rows = [*stats["suites"].items(), ("overall", stats["overall"])]
    for i, (name, s) in enumerate(rows):
        label = f"[bold]{escape(name)}[/]" if i == len(rows) - 1 else escape(name)
        totals.add_row(label, str(s["cases"]), str(s["runs"]),
                       _pct(s["pass_at_1"]), _pct(s["pass_hat_k"]), str(s["k"]), str(s["errors"]),
                       f"{s['mean_latency_s']:.2f}s", f"{s['mean_tokens']:g}", end_section=i == len(rows) - 2)
    console.print(totals)


def failing_details(result: EvalResult, console: Console, transcripts: bool = False) -> None:
    """Every failing run's failures, and with `transcripts` the events of each of its turns."""
    for c in result.cases:
        for run in c.runs:
            if run.passed:
                continue
            console.print(f"[bold red]FAIL[/] {escape(c.suite)} › {escape(c.case.id)} (run {run.attempt + 1})")
            for f in run.failures:
                where = f" turn {f.turn + 1}" if f.turn is not None else ""
                console.print(f"  [red]{f.evaluator}[/]{where}: {escape(f.reason)}", highlight=False)
            if transcripts:
                for t in run.turns:
                    console.print(f"  [dim]turn {t.index + 1} · shopper:[/] {escape(t.user)}", highlight=False)
                    for e in t.events:
                        if e.type != "text":
                            line = json.dumps(e.to_dict(), ensure_ascii=False, default=str)[:300]
                            console.print(f"    [dim]{escape(line)}[/]", highlight=False)
                    console.print(f"    [dim]reply:[/] {escape(t.reply)}", highlight=False)
