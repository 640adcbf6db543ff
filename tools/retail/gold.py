"""Scripted stand-ins for the two roles, to check the benchmark harness itself (like evals' `--scripted`).

`GoldAgent` follows a task's gold actions: reads straight away, and before each write it lists the call and
asks for a yes, as the policy demands; at the end it says the task's `communicate_info`. Where the gold list
leaves authentication out (τ² lists often hold only the writes), it first looks the customer up by email. `AgreeableCustomer`
says yes to every confirmation and stops when asked whether there is anything else.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from agent.models.base import ModelChunk, TextDelta, ToolCall, Usage, approx_tokens
from tools.retail.model import RetailDB
from tools.retail.replay import record_owner
from tools.retail.tasks import Action, Task

__all__ = ["AgreeableCustomer", "GoldAgent"]

CONFIRM = "Do you confirm? (yes/no)"
ANYTHING_ELSE = "Is there anything else I can help you with?"


class GoldAgent:
    name = "gold"
    context_window = 1 << 30

    def __init__(self, task: Task, write_tools: set[str], db: RetailDB) -> None:
        self.actions, self.info = _authenticated(task.actions, db), list(task.evaluation_criteria.communicate_info)
        self.write_tools = write_tools  # from the registry's `writes` flags
        self._next, self._asked, self._ids = 0, False, 0

    def count_tokens(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> int:
        return approx_tokens(messages)

    def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Iterator[ModelChunk]:
        last = messages[-1]["role"] if messages else "user"
        if last == "assistant":  # nothing new to react to
            yield TextDelta(ANYTHING_ELSE)
            return
        if self._next < len(self.actions):
            action = self.actions[self._next]
            if action.name in self.write_tools and not (self._asked and last == "user"):
                self._asked = True
                yield TextDelta(f"I will call {action.name} with {json.dumps(action.arguments)}. {CONFIRM}")
            else:
                self._next, self._asked, self._ids = self._next + 1, False, self._ids + 1
                yield ToolCall(f"gold_{self._ids}", action.name, json.dumps(action.arguments))
        else:
            yield TextDelta(" ".join([*self.info, "That is all done.", ANYTHING_ELSE]))
        yield Usage(prompt_tokens=self.count_tokens(messages), completion_tokens=8)


class AgreeableCustomer:
    name = "agreeable-customer"
    context_window = 1 << 30

    def count_tokens(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> int:
        return approx_tokens(messages)

    def stream(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Iterator[ModelChunk]:
        heard = str(messages[-1].get("content") or "") if messages else ""
        if "confirm" in heard.lower():
            yield TextDelta("Yes, please go ahead.")
        elif "anything else" in heard.lower():
            yield TextDelta("No, thanks. ###STOP###")
        else:
            yield TextDelta("I need help with my orders, please.")
        yield Usage(prompt_tokens=self.count_tokens(messages), completion_tokens=6)


def _authenticated(actions: list[Action], db: RetailDB) -> list[Action]:
    """The gold actions, preceded by an email lookup of the customer when they do not authenticate first."""
    for action in actions:
        if action.name.startswith("find_user_id_"):
            return list(actions)
        if (owner := record_owner(action, db)) is not None:
            login = Action(action_id="auth", name="find_user_id_by_email",
                           arguments={"email": db.users[owner].email})
            return [login, *actions]
    return list(actions)
