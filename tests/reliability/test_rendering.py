"""Catalog and model text never reaches the terminal as markup or control codes; the confirm prompt shows the
whole call. Drawn on a colour terminal so that any escape sequence the data smuggled in would be visible."""

from __future__ import annotations

import json
import re

from relkit import HOSTILE

ESC = "\x1b"


def _data_escapes(screen: str) -> list[str]:
    """The sequences the hostile data carries, if any reached the screen (rich itself only styles text and, for
    the live reply, moves the cursor: it never clears the screen, rings the bell or writes OSC sequences)."""
    return [seq for seq in ("\x1b[2J", "\x1b]", "\x07", "\x1b\\", "\x1b[31mred") if seq in screen]


def test_search_results_render_hostile_rows_as_text(run_cli, hostile_catalog):
    script = [{"tool_calls": [{"name": "search_catalog", "arguments": {"query": "kitchen kettle toaster"}}]},
              {"text": "Found \x1b[2J these \x1b]8;;http://127.0.0.1:9/x\x1b\\[link=http://127.0.0.1:9/y]two[/link]"}]
    code, screen, _ = run_cli("chat", "--once", "kettle", script=script, colour=True, catalog=hostile_catalog)
    assert code == 0
    assert "\x1b]8;" not in screen  # no OSC-8 hyperlink: neither from markup nor from raw sequences
    assert _data_escapes(screen) == []  # no clear-screen, no bell-terminated OSC, nothing but colours
    assert "\x07" not in screen
    assert "[link=http://127.0.0.1:9/phish]" in screen  # the markup is shown as the text it is
    assert "\x1b[5m" not in screen  # a brand of "[blink][bold red]Evil[/]" did not switch blinking on


def test_confirm_prompt_shows_the_whole_call_and_the_default(run_cli, hostile_catalog):
    script = [{"tool_calls": [{"name": "add_to_cart", "arguments": {"product_id": "X9[conceal]", "quantity": 20}}]},
              {"text": "Not added."}]
    code, screen, _ = run_cli("chat", inputs=["add it", "n", "/quit"], script=script, colour=True,
                              catalog=hostile_catalog)
    prompt = next(p for p in run_cli.prompts if "Allow" in p)
    assert code == 0
    assert "product_id='X9[conceal]'" in prompt and "quantity=20" in prompt and prompt.endswith("[y/N] ")
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)  # rich's own styling removed
    assert "quantity=20)? [y/N]" in plain  # nothing after the id was hidden
    assert "\x1b[8m" not in screen  # rich's "conceal" style never switched on


def test_search_command_strips_control_codes(run_cli, hostile_catalog):
    code, screen, _ = run_cli("search", "toaster", "--catalog", str(hostile_catalog.location), colour=True)
    assert code == 0
    assert "Concealed" in screen and "\x1b[31mred" not in screen and _data_escapes(screen) == []


def test_tool_result_panel_shows_the_json_fallback_as_text(run_cli, hostile_catalog):
    script = [{"tool_calls": [{"name": "get_product", "arguments": {"product_id": "H1"}}]}, {"text": "ok"}]
    _, screen, _ = run_cli("chat", "--once", "H1?", script=script, colour=True, catalog=hostile_catalog)
    assert HOSTILE[0]["title"] in screen.replace(ESC, "")  # the title with its markup, literally
    assert "\x1b]8;" not in screen and "\x1b[2J" not in screen


def test_json_events_escape_control_codes(run_cli, hostile_catalog):
    script = [{"tool_calls": [{"name": "get_product", "arguments": {"product_id": "H1"}}]}, {"text": "ok"}]
    _, _, stdout = run_cli("chat", "--once", "H1?", "--json", script=script, catalog=hostile_catalog)
    assert ESC not in stdout  # json.dumps writes \u001b
    result = next(json.loads(l) for l in stdout.splitlines() if json.loads(l)["type"] == "tool_result")
    assert result["result"]["id"] == "H1"
