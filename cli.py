"""Terminal front end: `python cli.py` opens the chat; subcommands ingest, search, tools and more."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from typing import Any, Callable, Iterable

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from agent import Agent, AgentSettings, SessionStore, ToolContext, ToolError, load_model
from agent.events import Event
from agent.models import Model, ModelError
from agent.safety import redact_pii, redact_secrets
from agent.session import SessionConflict
from tools import app
from tools.render import Renderer, confirm_prompt, safe

HELP = """Commands:
  /help   this list
  /reset  start a new conversation (the cart is kept)
  /quit   leave (or Ctrl-D)
Ctrl-C cancels the turn in progress. Cart changes are asked first: answer y to allow, anything else declines.
Ask for products in your own words: "wireless earbuds under $60", "compare P0001 and P0002", "add P0012 to my cart"."""
InputFn = Callable[[Any], str]  # given the prompt (markup text or a rich Text), returns the line typed


# ---------------------------------------------------------------- chat
def build_agent(args: argparse.Namespace, console: Console, confirm: Callable[..., bool],
                model: Model | None = None) -> tuple[Agent, SessionStore, int]:
    """The chat's agent over the shop's deps; `model` replaces the one the flags name (tests inject one).
    Also returns how many messages a resumed conversation brought back."""
    settings = app.model_settings(args)
    model = model or load_model(settings)
    if args.merchant:  # shop on someone else's UCP store: its checkout tools instead of the shop's
        from tools.merchant_tools import build_merchant_registry, merchant_system_prompt, open_merchant

        deps: Any = open_merchant(args.merchant, args.buyer, args.agent_profile)
        registry, system = build_merchant_registry(), merchant_system_prompt(args.merchant, args.shopper)
    else:
        # write_description drafts with the same model the chat runs on
        deps = app.open_deps(args.catalog, args.chroma_url, progress=app.progress_bars(console),
                             state_dir=args.state_dir, llm=model)
        registry, system = app.build_registry(), app.system_prompt(args.shopper)
    app.open_mcp(args, registry)
    sessions = SessionStore(app.home() / "sessions.db", redact=redact_pii if args.redact_pii else None)
    session_id = sessions.latest(args.shopper) if args.resume else None
    messages = sessions.load(session_id).messages if session_id else []
    session_id = session_id or sessions.create(args.shopper, settings.describe())
    restored = sum(m["role"] in ("user", "assistant") and bool(m.get("content")) for m in messages)
    agent = Agent(model, registry, ToolContext(deps=deps, user_id=args.shopper, session_id=session_id),
                  system_prompt=system, settings=AgentSettings(max_steps=args.max_steps),
                  confirm=confirm, messages=messages, on_change=lambda m: sessions.save(session_id, m))
    return agent, sessions, restored


def run_turn(agent: Agent, text: str, emit: Callable[[Event], None]) -> bool:
    """One turn's events to `emit`; whether it ended well (no error, a reply)."""
    ok = True
    stream = agent.run(text)
    try:
        for event in stream:
            emit(event)
            ok = ok and event.type != "error" and not (event.type == "done" and not event.ok)
    finally:
        stream.close()
    return ok


def _storage_error(exc: BaseException, sessions: SessionStore) -> str:
    if isinstance(exc, SessionConflict):
        return str(exc)
    return f"cannot write to {sessions.path}: {safe(getattr(exc, 'strerror', None) or exc)}"


def _conflict(agent: Agent, sessions: SessionStore, error: SessionConflict, console: Console) -> None:
    """Another process saved this conversation: continue from its version, saying what was not kept."""
    agent.messages[:] = sessions.load(agent.context.session_id).messages
    console.print(Text(f"{error}\nReloaded the latest version ({len(agent.messages)} messages). What this turn "
                       "already did (a cart change) stays done: look before you send it again.", style="yellow"))


def cmd_chat(args: argparse.Namespace, console: Console, input_fn: InputFn, model: Model | None = None) -> int:
    interactive = args.once is None

    def confirm(call: Any, validated: Any) -> bool:
        if args.yes:
            return True
        if not interactive:
            return False
        try:
            answer = input_fn(confirm_prompt(call.name, validated.model_dump(mode="json")))
        except (EOFError, KeyboardInterrupt):  # no answer is a no, and the turn goes on to say so
            console.print()
            return False
        return answer.strip().lower() in ("y", "yes")

    try:
        agent, sessions, restored = build_agent(args, console, confirm, model)
    except (ModelError, ValueError, FileNotFoundError, ToolError, app.StorageProblem) as exc:  # ToolError: --mcp
        console.print(Text("Cannot start: ", style="bold red").append(safe(redact_secrets(str(exc))), style="default"))
        return 2
    emit = (lambda e: print(json.dumps(e.to_dict(), ensure_ascii=False), flush=True)) if args.json \
        else Renderer(console, interactive=interactive)
    if restored and not args.json:
        console.print(Text(f"Restored conversation {agent.context.session_id} ({restored} messages).", style="dim"))
    if not interactive:
        try:
            return 0 if run_turn(agent, args.once, emit) else 1
        except (SessionConflict, sqlite3.Error, OSError) as exc:
            console.print(Text(f"Not saved: {_storage_error(exc, sessions)}", style="bold red"))
            return 1
    console.print(Panel(Text(f"Shopping assistant · model: {safe(app.model_settings(args).describe())} · shopper: "
                             f"{safe(args.shopper)}\nType /help for commands."), border_style="magenta"))
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
            console.print(Text(HELP))
            continue
        try:
            if text == "/reset":
                del agent.messages[1:]
                sessions.save(agent.context.session_id, agent.messages)
                console.print("[dim]Conversation cleared.[/]")
                continue
            run_turn(agent, text, emit)
        except SessionConflict as exc:
            _conflict(agent, sessions, exc, console)
        except (sqlite3.Error, OSError) as exc:
            console.print(Text(f"Not saved: {_storage_error(exc, sessions)}", style="bold red"))
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
        table.add_row(Text(t.name), "yes" if t.writes else "", Text(", ".join(props)),
                      Text(safe(t.description.splitlines()[0])))
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
    chat.add_argument("--redact-pii", action="store_true",
                      help="mask e-mails, card and phone numbers in the stored conversation")
    app.add_model_args(chat)
    app.add_catalog_args(chat)
    app.add_mcp_args(chat)
    app.add_merchant_args(chat)
    chat.set_defaults(func=cmd_chat)
    tools_cmd = sub.add_parser("tools", help="list the registered tools and their JSON schemas")
    tools_cmd.add_argument("--json", action="store_true")
    tools_cmd.set_defaults(func=cmd_tools)
    for register in _plugin_commands():
        register(sub)
    return parser


def _check_places(args: argparse.Namespace) -> None:
    """Every command that keeps state says at once, and in one line, when it cannot: a read-only or full home,
    a file where a directory belongs, or a named catalog that does not exist (a typo reads as an empty shop)."""
    if args.func is cmd_tools:
        return
    app.writable_dir(app.home(), "the app's home", contents=True)
    catalog, state_dir = getattr(args, "catalog", None), getattr(args, "state_dir", None)
    if catalog:
        empty = None if args.command == "ingest" else app.new_catalog_dir(catalog)
        if empty is not None:
            raise app.StorageProblem(f"the catalog {empty} is new and empty; ingest a feed into it first "
                                     f"(python cli.py ingest FILE --catalog {empty})")
        app.writable_dir(catalog, "the catalog", contents=True)
    if state_dir:
        app.writable_dir(state_dir, "--state-dir", contents=True)


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
    try:
        _check_places(args)
    except app.StorageProblem as exc:
        console.print(Text("Cannot start: ", style="bold red").append(safe(str(exc)), style="default"))
        return 2
    if args.func is cmd_chat:
        return cmd_chat(args, console, input_fn, model)
    return args.func(args, console)


if __name__ == "__main__":
    sys.exit(main())
