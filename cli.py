"""Terminal front end: `python cli.py` opens the chat; subcommands ingest, search, tools and more."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable, Iterable

from rich.console import Console
from rich.live import Live
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from agent import Agent, AgentSettings, SessionStore, load_model
from agent.events import Event
from agent.models import Model, ModelError
from tools import app

HELP = """Commands: /help  /reset (start a new conversation)  /quit.  Ctrl-C cancels a turn; Ctrl-D quits."""
InputFn = Callable[[str], str]


# ---------------------------------------------------------------- rendering
def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)[:60]
    return "" if value is None else str(value)


def table_for(result: Any) -> Table | None:
    """A table for the first list of records in a tool result (search hits, cart lines, comparisons)."""
    rows: Any = result
    if isinstance(result, dict):  # a tool's own "table" wins (comparisons), else its first list of records
        lists = [result["table"]] if isinstance(result.get("table"), list) else []
        rows = next(iter(lists + [v for k, v in result.items() if isinstance(v, list) and v and k != "alternatives"]),
                    None)
    if not rows or not all(isinstance(r, dict) for r in rows):
        return None
    columns = [k for k in rows[0] if all(not isinstance(r.get(k), (dict, list)) for r in rows)][:8]
    table = Table(show_lines=False, header_style="bold cyan")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows[:25]:
        table.add_row(*(_cell(r.get(c)) for c in columns))
    return table


def alternatives_table(result: Any) -> Table | None:
    """A search's near misses, apart from its results: "close, but over your budget"."""
    rows = result.get("alternatives") if isinstance(result, dict) else None
    if not rows or not all(isinstance(r, dict) for r in rows):
        return None
    misses = [str(m) for r in rows for m in r.get("misses") or []]
    title = "close, but over your budget" if misses and all(m.startswith("price") for m in misses) else \
        "close, but not everything you asked for"
    table = Table("id", "title", "price", "misses", title=title, header_style="bold yellow", title_justify="left")
    for r in rows[:25]:
        table.add_row(*(Text(cell) for cell in (_cell(r.get("id")), _cell(r.get("title")), _cell(r.get("price")),
                                                "; ".join(map(str, r.get("misses") or [])))))  # data, not markup
    return table


class Renderer:
    """Draws one turn's events: streamed markdown, a panel per tool call, tables for tabular results."""

    def __init__(self, console: Console) -> None:
        self.console, self._live, self._text = console, None, ""

    def __call__(self, event: Event) -> None:
        if event.type == "text":
            self._text += event.text
            if self._live is None:
                self._live = Live(Markdown(self._text), console=self.console, refresh_per_second=12)
                self._live.start()
            self._live.update(Markdown(self._text))
            return
        self.flush()
        if event.type == "tool_call":
            args = event.arguments if isinstance(event.arguments, str) else ", ".join(
                f"{k}={v!r}" for k, v in event.arguments.items())
            self.console.print(Panel(f"[bold]{event.name}[/]({args})", title="tool call", border_style="blue",
                                     expand=False))
        elif event.type == "tool_result":
            body = table_for(event.result) if event.ok else None
            if body is None:
                text = event.result if isinstance(event.result, str) else json.dumps(event.result, indent=1)
                body = text if len(text) < 1500 else text[:1500] + " …"
            self.console.print(Panel(body, title=f"{event.name} {'ok' if event.ok else 'failed'}",
                                     border_style="green" if event.ok else "red", expand=False))
            near = alternatives_table(event.result) if event.ok else None
            if near is not None:
                self.console.print(near)
        elif event.type == "confirm" and not event.approved:
            self.console.print(f"[yellow]Not run: {event.name} needs your confirmation.[/]")
        elif event.type == "error":
            self.console.print(f"[bold red]Error ({event.kind}):[/] {event.message}")
        elif event.type == "done":
            t = event.timings.get("total_s", 0.0)
            self.console.print(f"[dim]{event.steps} step(s), {event.usage.get('total_tokens', 0)} tokens, "
                               f"{t:.1f}s[/]")

    def flush(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live, self._text = None, ""


# ---------------------------------------------------------------- chat
def build_agent(args: argparse.Namespace, console: Console, confirm: Callable[..., bool],
                model: Model | None = None) -> tuple[Agent, Any]:
    """The chat's agent over the shop's deps; `model` replaces the one the flags name (tests inject one)."""
    settings = app.model_settings(args)
    model = model or load_model(settings)
    # write_description drafts with the same model the chat runs on
    deps = app.open_deps(args.catalog, args.chroma_url, progress=app.progress_bars(console),
                         state_dir=args.state_dir, llm=model)
    sessions = SessionStore(app.home() / "sessions.db")
    session_id = sessions.latest(args.shopper) if args.resume else None
    messages = sessions.load(session_id).messages if session_id else []
    session_id = session_id or sessions.create(args.shopper, settings.describe())
    agent = Agent(model, app.build_registry(), app.shop_context(deps, args.shopper, session_id),
                  system_prompt=app.system_prompt(args.shopper), settings=AgentSettings(max_steps=args.max_steps),
                  confirm=confirm, messages=messages, on_change=lambda m: sessions.save(session_id, m))
    return agent, sessions


def run_turn(agent: Agent, text: str, emit: Callable[[Event], None]) -> None:
    stream = agent.run(text)
    try:
        for event in stream:
            emit(event)
    finally:
        stream.close()


def cmd_chat(args: argparse.Namespace, console: Console, input_fn: InputFn, model: Model | None = None) -> int:
    interactive = args.once is None

    def confirm(call: Any, validated: Any) -> bool:
        if args.yes:
            return True
        if not interactive:
            return False
        shown = ", ".join(f"{k}={v!r}" for k, v in validated.model_dump().items())
        answer = input_fn(f"Allow {call.name}({shown})? [y/N] ").strip().lower()
        return answer in ("y", "yes")

    try:
        agent, sessions = build_agent(args, console, confirm, model)
    except (ModelError, ValueError, FileNotFoundError) as exc:
        console.print(f"[bold red]Cannot start:[/] {exc}")
        return 2
    emit = (lambda e: print(json.dumps(e.to_dict(), ensure_ascii=False), flush=True)) if args.json \
        else Renderer(console)
    if not interactive:
        run_turn(agent, args.once, emit)
        return 0
    console.print(Panel(f"Shopping assistant · model: {app.model_settings(args).describe()} · shopper: {args.shopper}"
                        f"\n{HELP}", border_style="magenta"))
    while True:
        try:
            text = input_fn("[bold magenta]you>[/] ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return 0
        if not text:
            continue
        if text in ("/quit", "/exit"):
            return 0
        if text == "/help":
            console.print(HELP)
            continue
        if text == "/reset":
            del agent.messages[1:]
            sessions.save(agent.context.session_id, agent.messages)
            console.print("[dim]Conversation cleared.[/]")
            continue
        try:
            run_turn(agent, text, emit)
        except KeyboardInterrupt:
            if isinstance(emit, Renderer):
                emit.flush()
            console.print("[yellow](turn cancelled)[/]")


def cmd_tools(args: argparse.Namespace, console: Console) -> int:
    registry = app.build_registry()
    if args.json:
        print(json.dumps([dict(t.spec()["function"], writes=t.writes) for t in registry], indent=2))
        return 0
    table = Table("tool", "writes", "arguments", "description", header_style="bold cyan", show_lines=True)
    for t in registry:
        props = t.spec()["function"]["parameters"].get("properties", {})
        table.add_row(t.name, "yes" if t.writes else "", ", ".join(props), t.description.splitlines()[0])
    console.print(table)
    return 0


# ---------------------------------------------------------------- entry point
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description="A tool-calling shopping agent.")
    sub = parser.add_subparsers(dest="command")
    chat = sub.add_parser("chat", help="chat with the shopping assistant (the default)")
    chat.add_argument("--once", metavar="TEXT", help="run one turn without a prompt, then exit")
    chat.add_argument("--json", action="store_true", help="print one JSON object per event per line")
    chat.add_argument("--yes", action="store_true", help="pre-approve tools that change state (cart)")
    chat.add_argument("--shopper", default="S001", help="the signed-in shopper id (default S001, a demo shopper)")
    chat.add_argument("--resume", action="store_true", help="continue the last conversation")
    chat.add_argument("--max-steps", type=int, default=8, help="model steps per turn (default 8)")
    chat.add_argument("--state-dir", metavar="DIR", help="where shoppers and carts live (default: beside the catalog)")
    app.add_model_args(chat)
    app.add_catalog_args(chat)
    chat.set_defaults(func=cmd_chat)
    tools_cmd = sub.add_parser("tools", help="list the registered tools and their JSON schemas")
    tools_cmd.add_argument("--json", action="store_true")
    tools_cmd.set_defaults(func=cmd_tools)
    for register in _plugin_commands():
        register(sub)
    return parser


def _plugin_commands() -> Iterable[Callable[[Any], None]]:
    """Subcommands owned by other packages register themselves through the same argparse API."""
    from evals.commands import register as register_eval
    from tools.commands import register_all

    yield register_all
    yield register_eval


def main(argv: list[str] | None = None, console: Console | None = None, input_fn: InputFn | None = None,
         model: Model | None = None) -> int:
    """The entry point (`shopagent`); `console`, `input_fn` and `model` are seams for tests and embedding apps."""
    console = console or Console()
    app.configure_logging()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "chat")
    args = build_parser().parse_args(argv)
    input_fn = input_fn or (lambda prompt: console.input(prompt))
    if args.func is cmd_chat:
        return cmd_chat(args, console, input_fn, model)
    return args.func(args, console)


if __name__ == "__main__":
    sys.exit(main())
