"""The optional judge of τ²'s `nl_assertions`: a model reads the conversation and grades each assertion."""

from __future__ import annotations

import json
import re
from typing import Any

from agent.models import Model, TextDelta

__all__ = ["judge_assertions"]

_PROMPT = """You grade a customer-service conversation against expected outcomes.
For each expected outcome decide whether the agent satisfied it, judging only from the conversation.
Answer with a JSON array only, one object per outcome in the given order:
[{"outcome": "<the outcome>", "met": true or false, "reasoning": "<one short sentence>"}]"""


def judge_assertions(judge: Model, transcript: str, assertions: list[str]) -> list[dict[str, Any]]:
    """One verdict per assertion; an answer that cannot be read counts as not met, with the reason."""
    listing = "\n".join(f"{i + 1}. {a}" for i, a in enumerate(assertions))
    messages = [{"role": "system", "content": _PROMPT},
                {"role": "user", "content": f"Conversation:\n{transcript}\n\nExpected outcomes:\n{listing}"}]
    try:
        text = "".join(c.text for c in judge.stream(messages, []) if isinstance(c, TextDelta))
    except Exception as exc:  # noqa: BLE001 - a judge failure is a verdict to report, not a crash
        return [{"assertion": a, "met": False, "reasoning": f"judge failed: {exc}"} for a in assertions]
    verdicts = _parse(text)
    out = []
    for i, assertion in enumerate(assertions):
        v = verdicts[i] if i < len(verdicts) and isinstance(verdicts[i], dict) else None
        if v is None:
            out.append({"assertion": assertion, "met": False, "reasoning": f"no verdict in the judge's answer: "
                                                                            f"{text.strip()[:200]!r}"})
        else:
            out.append({"assertion": assertion, "met": v.get("met") is True, "reasoning": str(v.get("reasoning", ""))})
    return out


def _parse(text: str) -> list[Any]:
    match = re.search(r"\[.*\]", text, re.DOTALL)
    if not match:
        return []
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return []
    return data if isinstance(data, list) else []
