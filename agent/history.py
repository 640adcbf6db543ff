"""Fitting a conversation into a model's context window."""

from __future__ import annotations

from typing import Any, Callable

from agent.models.base import ContextOverflow

__all__ = ["trim_to_window"]


def trim_to_window(messages: list[dict[str, Any]], count: Callable[[list[dict[str, Any]]], int],
                   budget: int) -> list[dict[str, Any]]:
    """Drop the oldest whole turns until `count(messages) <= budget`.

    The system prompt and the current turn (from the last user message on) are never dropped; a turn is
    dropped whole so no tool result is left without the call that asked for it.
    """
    if count(messages) <= budget:
        return messages
    head = messages[:1] if messages and messages[0]["role"] == "system" else []
    body = messages[len(head):]
    user_idx = [i for i, m in enumerate(body) if m["role"] == "user"]
    current = user_idx[-1] if user_idx else 0
    for start in user_idx[1:] + [current]:
        kept = head + body[start:]
        if count(kept) <= budget or start == current:
            break
    if count(kept) > budget:
        raise ContextOverflow(f"the system prompt and this message need more than the model's "
                              f"{budget}-token budget; shorten the message or use a larger --n-ctx")
    return kept
