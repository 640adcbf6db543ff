"""Sessions in real SQLite, and history trimming to a context window."""

from __future__ import annotations

import pytest

from agent import Agent, ScriptedModel, SessionStore, ToolRegistry
from agent.history import trim_to_window
from agent.models.base import ContextOverflow


def count(messages):
    return sum(len(m.get("content") or "") for m in messages)


def conversation(turns: int) -> list[dict]:
    msgs = [{"role": "system", "content": "S" * 10}]
    for i in range(turns):
        msgs += [{"role": "user", "content": f"u{i}" * 5},
                 {"role": "assistant", "content": None, "tool_calls": [{"id": f"c{i}", "type": "function",
                                                                       "function": {"name": "t", "arguments": "{}"}}]},
                 {"role": "tool", "tool_call_id": f"c{i}", "content": "r" * 10},
                 {"role": "assistant", "content": "a" * 10}]
    return msgs


def test_trim_keeps_system_and_current_turn_and_drops_whole_old_turns():
    msgs = conversation(5)
    kept = trim_to_window(msgs, count, budget=10 + 3 * 30)  # each turn counts 30
    assert kept[0]["role"] == "system"
    assert kept[1]["role"] == "user" and kept[1]["content"].startswith("u2")
    assert kept[-1] == msgs[-1]
    # every tool result still follows the call that asked for it
    ids = [c["id"] for m in kept if m["role"] == "assistant" for c in m.get("tool_calls") or []]
    assert [m["tool_call_id"] for m in kept if m["role"] == "tool"] == ids


def test_trim_is_identity_when_it_fits_and_overflows_clearly():
    msgs = conversation(2)
    assert trim_to_window(msgs, count, budget=10_000) is msgs
    with pytest.raises(ContextOverflow, match="budget"):
        trim_to_window(msgs, count, budget=20)


def test_sessions_persist_and_resume(tmp_path):
    db = tmp_path / "s.db"
    store = SessionStore(db)
    sid = store.create("S1", "scripted")
    agent = Agent(ScriptedModel([{"text": "Hello!"}]), ToolRegistry(), system_prompt="sys",
                  on_change=lambda m: store.save(sid, m))
    list(agent.run("hi"))
    store.close()

    again = SessionStore(db)
    assert again.latest() == sid and again.latest("S1") == sid and again.latest("S2") is None
    record = again.load(sid)
    assert record.user_id == "S1"
    assert [m["role"] for m in record.messages] == ["system", "user", "assistant"]
    resumed = Agent(ScriptedModel([{"text": "You said hi."}]), ToolRegistry(), system_prompt="sys",
                    messages=record.messages)
    list(resumed.run("what did I say?"))
    assert [m["content"] for m in resumed.messages][1:] == ["hi", "Hello!", "what did I say?", "You said hi."]
    later = again.create("S1")
    assert again.latest("S1") == later
    with pytest.raises(KeyError):
        again.load("nope")


def test_saving_writes_only_what_changed(tmp_path):
    store = SessionStore(tmp_path / "s.db")
    sid = store.create("S1")
    msgs = conversation(3)
    store.save(sid, msgs)

    def changes(messages):
        before = store._db.total_changes
        store.save(sid, messages)
        return store._db.total_changes - before

    assert changes(msgs + [{"role": "user", "content": "more"}]) == 1 + 1  # one insert, the session's time
    edited = [*msgs[:2], {"role": "user", "content": "edited"}, *msgs[3:]]
    # from the change on: the stored tail (12 rows, "more" included) deleted and the new one (11) written
    assert changes(edited) == 1 + (len(msgs) + 1 - 2) + (len(edited) - 2)
    assert changes(edited[:5]) == 1 + (len(edited) - 5)  # shorter: the rest is deleted
    assert SessionStore(tmp_path / "s.db").load(sid).messages == edited[:5]
    store.reset(sid)
    assert store.load(sid).messages == [] and changes(msgs[:2]) == 1 + 2
    assert SessionStore(tmp_path / "s.db").load(sid).messages == msgs[:2]


def test_trimmed_window_is_what_the_model_sees_but_history_is_kept():
    model = ScriptedModel([{"text": "ok"}], context_window=700)
    agent = Agent(model, ToolRegistry(), system_prompt="sys", messages=[{"role": "system", "content": "sys"}])
    for i in range(30):
        agent.messages += [{"role": "user", "content": "x" * 200}, {"role": "assistant", "content": "y" * 200}]
    from agent import AgentSettings
    agent.settings = AgentSettings(reserve_tokens=100)
    list(agent.run("latest question"))
    seen = model.calls[0]
    assert seen[0]["content"] == "sys" and seen[-1]["content"] == "latest question"
    assert len(seen) < len(agent.messages) - 1
    assert model.count_tokens(seen, []) <= 600
