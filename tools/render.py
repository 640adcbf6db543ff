"""The chat's rich renderings of the agent's events. Every piece of data (catalog text, model text, arguments) is
drawn as `Text` with its control codes removed, never parsed as markup."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.markdown import Markdown
from rich.markup import escape as _markup_escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from agent.events import Event
from agent.safety import strip_controls

__all__ = ["MAX_ROWS", "Renderer", "call_text", "confirm_prompt", "escape", "result_view", "safe", "table_for"]

MAX_ROWS = 25  # rows drawn per table; the rest are counted ("… and 3 more"), never silently dropped
_TEXT_LIMIT = 4000  # characters of a non-tabular result drawn


def escape(value: Any) -> str:
    """Data for a markup string: control codes removed and rich markup escaped (`[link=…]` stays text)."""
    return _markup_escape(safe(value))


def safe(value: Any) -> str:
    """Any value as display text: its control characters removed (markup is harmless once it is in a `Text`)."""
    return strip_controls(value if isinstance(value, str) else str(value))


def _cell(value: Any) -> Text:
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, float):
        return Text(f"{value:.2f}".rstrip("0").rstrip("."))
    if isinstance(value, (list, dict)):
        return Text(safe(json.dumps(value, ensure_ascii=False))[:60])
    return Text("" if value is None else safe(value))


def call_text(name: str, arguments: Any) -> Text:
    """`name(a=1, b='x')` as plain text: the whole call, however its values are spelled."""
    if isinstance(arguments, dict):
        shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    else:
        shown = str(arguments)
    text = Text(safe(name), style="bold")
    text.append(f"({safe(shown)})")
    return text


def confirm_prompt(name: str, arguments: Any) -> Text:
    """The question before a tool that changes state: the full call and the default (no)."""
    prompt = Text("Allow ")
    prompt.append_text(call_text(name, arguments))
    prompt.append("? [y/N] ")
    return prompt


def table_for(rows: Any, title: str | None = None) -> Table | None:
    """A table for a list of records (search hits, cart lines, comparison rows), or None for other data."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return None
    columns = [k for k in rows[0] if all(not isinstance(r.get(k), (dict, list)) for r in rows)][:8]
    if not columns:
        return None
    table = Table(show_lines=False, header_style="bold cyan", title=Text(safe(title)) if title else None,
                  title_justify="left")
    for c in columns:
        table.add_column(Text(safe(c)), overflow="fold")
    for r in rows[:MAX_ROWS]:
        table.add_row(*(_cell(r.get(c)) for c in columns))
    if len(rows) > MAX_ROWS:
        table.caption = f"… and {len(rows) - MAX_ROWS} more"
    return table


def alternatives_table(result: Any) -> Table | None:
    """A search's near misses, apart from its results: "close, but over your budget"."""
    rows = result.get("alternatives") if isinstance(result, dict) else None
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return None
    misses = [str(m) for r in rows for m in r.get("misses") or []]
    title = "close, but over your budget" if misses and all(m.startswith("price") for m in misses) else \
        "close, but not everything you asked for"
    table = Table("id", "title", "price", "misses", title=title, header_style="bold yellow", title_justify="left")
    for r in rows[:MAX_ROWS]:
        table.add_row(_cell(r.get("id")), _cell(r.get("title")), _cell(r.get("price")),
                      _cell("; ".join(map(str, r.get("misses") or []))))
    return table


def result_view(result: Any) -> RenderableType:
    """Everything the model was given, drawn: a tool's own `table` first, every list of records as a table
    (all rows, or a count of the rest), other lists joined, and prose and scalar fields as lines."""
    if isinstance(result, list):
        return table_for(result) or _plain(result)
    if not isinstance(result, dict):
        return _plain(result)
    parts: list[RenderableType] = []
    lines = Text()
    ordered = sorted(result.items(), key=lambda kv: kv[0] != "table")  # comparisons: their table first
    for key, value in ordered:
        if key == "alternatives":
            continue  # drawn apart, after the results (alternatives_table)
        table = table_for(value, title=key if key != "table" else None)
        if table is not None:
            parts.append(table)
        elif isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
            if value:
                lines.append(f"{safe(key)}: ", style="bold").append(safe(", ".join(map(str, value))) + "\n")
        elif isinstance(value, (dict, list)):
            lines.append(f"{safe(key)}: ", style="bold").append(
                safe(json.dumps(value, ensure_ascii=False))[:_TEXT_LIMIT] + "\n")
        elif value is not None:
            lines.append(f"{safe(key)}: ", style="bold").append(_cell(value)).append("\n")
    lines.rstrip()
    if lines:
        parts.append(lines)
    return Group(*parts) if parts else _plain(result)


def _plain(result: Any) -> Text:
    text = result if isinstance(result, str) else json.dumps(result, indent=1, ensure_ascii=False)
    text = safe(text)
    if len(text) > _TEXT_LIMIT:
        text = f"{text[:_TEXT_LIMIT]} … and {len(text) - _TEXT_LIMIT} more characters"
    return Text(text)


class Renderer:
    """Draws one turn's events: streamed markdown, a panel per tool call and result, notices for the rest."""

    def __init__(self, console: Console, interactive: bool = True) -> None:
        self.console, self.interactive, self._live, self._text = console, interactive, None, ""

    def __call__(self, event: Event) -> None:
        if event.type == "text":
            self._text += event.text
            # Markdown from the model's text without control codes (rich markup is not parsed in Markdown)
            view = Markdown(strip_controls(self._text))
            if self._live is None:
                self._live = Live(view, console=self.console, refresh_per_second=12)
                self._live.start()
            self._live.update(view)
            return
        self.flush()
        if event.type == "tool_call":
            self.console.print(Panel(call_text(event.name, event.arguments), title="tool call",
                                     border_style="blue", expand=False))
        elif event.type == "tool_result":
            body = result_view(event.result) if event.ok else _plain(event.result)
            self.console.print(Panel(body, title=Text(f"{safe(event.name)} {'ok' if event.ok else 'failed'}"),
                                     border_style="green" if event.ok else "red", expand=False))
            near = alternatives_table(event.result) if event.ok else None
            if near is not None:
                self.console.print(near)
        elif event.type == "confirm" and not event.approved:
            said = (f"Declined at your request: {safe(event.name)} was not run." if self.interactive else
                    f"Not run: {safe(event.name)} changes state and needs your approval (add --yes to allow it).")
            self.console.print(Text(said, style="yellow"))
        elif event.type == "error":
            line = Text(f"Error ({safe(event.kind)}): ", style="bold red")
            self.console.print(line.append(safe(event.message), style="default"))
        elif event.type == "done":
            t = event.timings.get("total_s", 0.0)
            self.console.print(Text(f"{event.steps} step(s), {event.usage.get('total_tokens', 0)} tokens, {t:.1f}s",
                                    style="dim"))

    def flush(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live, self._text = None, ""
