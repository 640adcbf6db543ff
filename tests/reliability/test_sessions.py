"""Stored conversations: no lost writes with two processes on one conversation, private files, PII masked on
request, and a valid transcript whatever way a turn ends (Ctrl-C, EOF at the confirm prompt)."""

from __future__ import annotations

import multiprocessing as mp
import os
import stat

import pytest

from agent.models import ScriptedModel
from agent.session import SessionConflict, SessionStore

from relkit import every_call_answered, stored_messages, writer


def test_a_second_writer_on_a_stale_copy_gets_a_clear_conflict(tmp_path):
    a, b = SessionStore(tmp_path / "s.db"), SessionStore(tmp_path / "s.db")  # two processes' stores
    sid = a.create("S001")
    msgs = a.load(sid).messages
    b_msgs = b.load(sid).messages
    a.save(sid, msgs + [{"role": "user", "content": "from a"}])
    with pytest.raises(SessionConflict, match="changed elsewhere"):
        b.save(sid, b_msgs + [{"role": "user", "content": "from b"}])
    assert [m["content"] for m in a.load(sid).messages] == ["from a"]  # the first write survived intact
    again = b.load(sid).messages  # after reloading, b continues from the latest version
    b.save(sid, again + [{"role": "user", "content": "from b"}])
    assert [m["content"] for m in a.load(sid).messages] == ["from a", "from b"]


def test_two_processes_on_one_conversation_lose_nothing(tmp_path):
    path = tmp_path / "s.db"
    sid = SessionStore(path).create("S001")
    ctx = mp.get_context("spawn")
    acked = ctx.Queue()
    procs = [ctx.Process(target=writer, args=(str(path), sid, n, 40, acked)) for n in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    acknowledged = [acked.get(timeout=5) for _ in range(80)]
    stored = [m["content"] for m in SessionStore(path).load(sid).messages]
    assert sorted(stored) == sorted(acknowledged) and len(stored) == 80  # every ack stored, exactly once
    for name in ("a", "b"):  # each writer's messages in its own order
        mine = [m for m in stored if m.startswith(name)]
        assert mine == [f"{name}-{i}" for i in range(40)]


def test_state_files_are_private(run_cli, home, tmp_path):
    run_cli("chat", "--once", "hi", script=[{"text": "hello"}])
    for path in (home / "sessions.db", tmp_path / "state" / "shoppers.db"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_the_log_file_is_private(home, monkeypatch):
    import logging

    from tools import app

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [h for h in root.handlers if not getattr(h, "_shopagent", False)])
    app.configure_logging()
    try:
        assert stat.S_IMODE(os.stat(app.log_file()).st_mode) == 0o600
    finally:
        for h in [h for h in root.handlers if getattr(h, "_shopagent", False)]:
            h.close()


def test_redact_pii_masks_what_the_shopper_typed(run_cli, home):
    typed = "mail a.b@example.com, card 4111 1111 1111 1111, call +1 415-555-0199 about P0042"
    run_cli("chat", "--once", typed, "--redact-pii", script=[{"text": "Noted a.b@example.com."}])
    (messages,) = stored_messages(home)
    stored = " ".join(str(m.get("content")) for m in messages)
    assert "a.b@example.com" not in stored and "4111 1111" not in stored and "555-0199" not in stored
    assert "[email]" in stored and "[card ****1111]" in stored and "[phone]" in stored and "P0042" in stored


@pytest.mark.parametrize("answer", [EOFError(), KeyboardInterrupt()])
def test_eof_or_ctrl_c_at_the_confirm_prompt_declines(run_cli, home, answer):
    script = [{"tool_calls": [{"name": "add_to_cart", "arguments": {"product_id": "P0001"}}]}, {"text": "Okay."}]
    code, screen, _ = run_cli("chat", inputs=["add P0001", answer, "/quit"], script=script)
    assert code == 0 and "Traceback" not in screen
    assert "Declined at your request" in screen and "Okay." in screen
    (messages,) = stored_messages(home)
    assert every_call_answered(messages)


def test_ctrl_c_during_a_turn_returns_the_prompt_and_keeps_a_valid_transcript(run_cli, home):
    def interrupted(messages, tools):
        raise KeyboardInterrupt  # what Ctrl-C raises in the main thread between two tokens

    model = ScriptedModel([{"tool_calls": [{"name": "view_cart", "arguments": {}}]}, interrupted,
                           {"text": "Back again."}])
    code, screen, _ = run_cli("chat", inputs=["cart?", "hello", "/quit"], model=model)
    assert code == 0 and "(turn cancelled)" in screen and "Back again." in screen
    (messages,) = stored_messages(home)
    assert every_call_answered(messages)
    assert [m["content"] for m in messages if m["role"] == "user"] == ["cart?", "hello"]


def test_a_conflict_in_the_chat_reloads_and_says_so(run_cli, home):
    run_cli("chat", "--once", "first", script=[{"text": "one"}])

    def elsewhere(messages, tools):  # another process saves the same conversation mid-turn
        store = SessionStore(home / "sessions.db")
        sid = store.latest("S001")
        store.save(sid, store.load(sid).messages + [{"role": "user", "content": "from elsewhere"}])
        return {"text": "two"}

    code, screen, _ = run_cli("chat", "--resume", inputs=["second", "/quit"], model=ScriptedModel([elsewhere]))
    assert code == 0 and "changed elsewhere" in screen and "Reloaded the latest version" in screen
    (messages,) = stored_messages(home)
    assert [m["content"] for m in messages if m["role"] == "user"] == ["first", "second", "from elsewhere"]
