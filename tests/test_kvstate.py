"""The prompt prefix's KV state kept on disk, with the real embedded model: a second process-like model loads it."""

from __future__ import annotations

import pytest

from agent.models.base import ToolCall, Usage
from agent.models.embedded import embedded_model_path
from agent.models.kvstate import KVStateStore
from agent.models.llama import LlamaCppModel
from agent.tools import tool
from tools import app

pytestmark = pytest.mark.model


@tool
def find_items(query: str, max_price: float | None = None) -> dict:
    """Search the items."""
    return {}


FEW_SHOT = [{"user": f"show me {thing}", "call": {"tool": "find_items", "args": {"query": thing}}}
            for thing in ("red socks", "a kettle", "garden chairs", "a desk lamp", "running shoes", "a tent")]
MESSAGES = [{"role": "system", "content": "You help people find items."},
            {"role": "user", "content": "find me a warm blanket"}]


def decide(model: LlamaCppModel, messages=MESSAGES) -> tuple[ToolCall, Usage]:
    chunks = list(model.stream(messages, [find_items.spec()]))
    return next(c for c in chunks if isinstance(c, ToolCall)), next(c for c in chunks if isinstance(c, Usage))


def fresh(state_dir) -> LlamaCppModel:
    return LlamaCppModel(embedded_model_path(app.home() / "models"), n_ctx=2048, few_shot=FEW_SHOT, max_tokens=24,
                         state_dir=state_dir)


def test_a_new_model_instance_starts_from_the_stored_prefix(tmp_path):
    first = fresh(tmp_path)
    call, usage = decide(first)
    assert usage.cached_tokens == 0 and list(tmp_path.glob("*.kv"))  # nothing stored yet; then stored
    second = fresh(tmp_path)  # a new context, as in a new process
    again, warm = decide(second, [MESSAGES[0], {"role": "user", "content": "find me a wool scarf"}])
    # everything up to the user line came from disk; only the new line was evaluated
    assert warm.cached_tokens > 0.8 * warm.prompt_tokens
    assert again.name == "find_items" and "scarf" in again.arguments


def test_a_damaged_state_file_is_dropped_and_rebuilt(tmp_path):
    decide(fresh(tmp_path))
    [stored] = tmp_path.glob("*.kv")
    stored.write_bytes(b"not a llama state")
    model = fresh(tmp_path)
    call, usage = decide(model)
    assert usage.cached_tokens == 0 and call.name == "find_items"  # the damaged file cost time, not the answer
    assert [p.read_bytes()[:4] != b"not " for p in tmp_path.glob("*.kv")] == [True]  # stored again, whole


def test_a_state_with_little_in_common_is_not_loaded(tmp_path):
    store = KVStateStore(tmp_path, "m", min_tokens=256)
    assert store.best([1, 2, 3]) is None  # nothing stored
    model = fresh(tmp_path)
    decide(model)
    assert store.best([1, 2, 3]) is None and KVStateStore(tmp_path, "other").best(model.llm._input_ids) is None
