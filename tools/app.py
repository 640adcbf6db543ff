"""The application: one owner for the home directory, the shop's name, model settings, the shared command-line
arguments, and the wiring of the shop's typed deps. Front ends (cli.py, evals, bench) call it; it calls none of them."""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from agent.models import Model, ModelSettings
from agent.session import private_file
from agent.tools import ToolContext, ToolRegistry
from tools.deps import ShopContext, ShopDeps
from tools.resources import demo_dir, load_prompt_yaml, prompts_dir, render_prompt

__all__ = ["SHOP_NAME", "ProgressFactory", "StorageProblem", "add_catalog_args", "add_mcp_args", "add_merchant_args",
           "add_model_args", "build_registry", "demo_dir", "home", "is_demo_catalog", "log_file", "model_settings",
           "new_catalog_dir", "open_catalog", "open_deps", "open_mcp", "progress_bars", "prompts_dir", "render_prompt",
           "shop_context", "shoppers_path", "step_preparer", "system_prompt", "writable_dir"]

SHOP_NAME = "Shopagent demo shop"
PROGRESS_THRESHOLD = 300  # items; smaller jobs finish in a blink and a bar would only flicker
ProgressFactory = Callable[[str, int], contextlib.AbstractContextManager[Callable[[int], None]]]


# ---------------------------------------------------------------- places
def home() -> Path:
    """Where the app keeps catalogs, shoppers, sessions, models and logs (`SHOPAGENT_HOME`, read at call time)."""
    return Path(os.environ.get("SHOPAGENT_HOME") or "~/.local/share/shopagent").expanduser()


def log_file() -> Path:
    return home() / "logs" / "shopagent.log"


def configure_logging() -> None:
    """Tracebacks of crashed tools go to the log file, never to the screen (no file when the home is unwritable)."""
    root = logging.getLogger()
    if any(getattr(h, "_shopagent", False) for h in root.handlers):
        return
    try:
        log_file().parent.mkdir(parents=True, exist_ok=True)
        private_file(log_file())  # tracebacks quote arguments, which may quote the shopper
        handler: logging.Handler = logging.FileHandler(log_file(), encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler._shopagent = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.WARNING))


class StorageProblem(Exception):
    """A place the app must write to cannot be written (read-only, full, a file where a folder belongs)."""


def writable_dir(path: str | Path, what: str = "the app's data", *, contents: bool = False) -> Path:
    """`path` as a directory the app can write to, created if missing; else StorageProblem saying why and where.
    With `contents`, every folder and file already inside must be writable too (a store another user made).

    Checked before opening stores, so a read-only or full disk is one clear line, not a SQLite or Chroma trace."""
    path = Path(path).expanduser()
    if path.exists() and not path.is_dir():
        raise StorageProblem(f"cannot use {path} for {what}: it is a file, not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".write-test-{os.getpid()}"
        with open(probe, "wb") as f:
            f.write(b"0" * 4096)  # a few blocks, so a full disk fails here and not halfway through a write
            f.flush()
            os.fsync(f.fileno())
        probe.unlink()
    except OSError as e:
        raise StorageProblem(f"cannot write to {path} ({what}): {e.strerror or e}") from None
    if contents:
        _writable_contents(path, what)
    return path


def _writable_contents(path: Path, what: str) -> None:
    """StorageProblem naming the first folder or file under `path` this process may not write: SQLite and Chroma
    would open it and fail on their first write with a trace. The model cache is only read, so it is not asked."""
    for folder, dirs, files in os.walk(path):
        if Path(folder) == path:
            dirs[:] = [d for d in dirs if d != "models"]
        for name in dirs + files:
            entry = Path(folder) / name
            if not entry.is_symlink() and not os.access(entry, os.W_OK, effective_ids=os.access in os.supports_effective_ids):
                raise StorageProblem(f"cannot write to {entry} ({what}): {os.strerror(errno.EACCES)}")


def new_catalog_dir(catalog: str | None) -> Path | None:
    """The named catalog directory when it does not exist yet or holds nothing (a typo, or a catalog never
    ingested); None for the default catalog, a server, or a catalog with data."""
    if catalog is None:
        return None
    path = Path(catalog).expanduser()
    if path.exists() and not path.is_dir():
        raise StorageProblem(f"--catalog {path} is a file; name a catalog directory")
    return path if not path.exists() or not any(path.iterdir()) else None


def system_prompt(user_id: str | None) -> str:
    return render_prompt("system.md", shop_name=SHOP_NAME, shopper_id=user_id or "guest")


# ---------------------------------------------------------------- arguments shared by every command
def add_model_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model (default: the embedded gemma-3-270m GGUF)")
    g.add_argument("--model", help="a .gguf path, or with --base-url the endpoint's model name")
    g.add_argument("--base-url", help="an OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1")
    g.add_argument("--api-key", help="API key for --base-url (default: $OPENAI_API_KEY)")
    g.add_argument("--scripted", metavar="FILE.json", help="a scripted model (deterministic test double)")
    g.add_argument("--n-gpu-layers", type=int, help="layers to offload (default: all when the build supports it)")
    g.add_argument("--n-ctx", type=int, default=8192, help="context window in tokens (default 8192)")
    g.add_argument("--threads", type=int,
                   help="CPU threads for llama.cpp (default: one per physical core this process may use)")
    g.add_argument("--tool-protocol", choices=["auto", "native", "grammar"], default="auto",
                   help="how a local GGUF calls tools (default: from the GGUF's chat template)")
    g.add_argument("--no-preparer", action="store_true",
                   help="grammar protocol: no Hints:/Summary: lines and no pinned arguments (to measure them)")
    g.add_argument("--temperature", type=float)
    g.add_argument("--timeout", type=float, default=120.0, help="seconds per model request (endpoints)")


def add_catalog_args(p: argparse.ArgumentParser, default: str = "(default: the demo catalog)") -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--catalog", metavar="DIR", help=f"a catalog directory {default}")
    g.add_argument("--chroma-url", metavar="URL", help="a Chroma server, e.g. http://127.0.0.1:8000")


def add_mcp_args(p: argparse.ArgumentParser) -> None:
    """`--mcp URL|COMMAND` for every command that runs the agent: remote MCP tools join the shop's."""
    g = p.add_argument_group("MCP servers whose tools the agent may use")
    g.add_argument("--mcp", action="append", default=[], metavar="URL|COMMAND",
                   help="an MCP server: a streamable-HTTP URL or a command to run over stdio (repeatable)")
    g.add_argument("--mcp-token", default=os.environ.get("SHOPAGENT_MCP_TOKEN"),
                   help="bearer token sent to MCP URLs (default: $SHOPAGENT_MCP_TOKEN)")


def open_mcp(args: argparse.Namespace, registry: ToolRegistry) -> list[Any]:
    """Connect to each `--mcp` server and adopt its tools into `registry`; the connections close at exit.
    Raises `agent.mcp.MCPUnavailable` (a ToolError) naming a server that cannot be reached."""
    import atexit

    from agent.mcp import adopt_mcp, connect

    headers = {"Authorization": f"Bearer {args.mcp_token}"} if getattr(args, "mcp_token", None) else {}
    conns = []
    for target in getattr(args, "mcp", None) or []:
        conn = connect(target, headers=headers)
        atexit.register(conn.close)
        adopt_mcp(registry, conn)
        conns.append(conn)
    return conns


def add_merchant_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("shop on another store (UCP)")
    g.add_argument("--merchant", metavar="URL", help="a UCP merchant to check out on, e.g. http://127.0.0.1:8182")
    g.add_argument("--buyer", metavar="FILE.json", help="the shopper's address and payment token for --merchant")
    g.add_argument("--agent-profile", metavar="URI", help="the UCP-Agent profile URI sent to the merchant")


def model_settings(args: argparse.Namespace) -> ModelSettings:
    """The model the flags of `add_model_args` name, with the shop's few-shot bank, grammar header and step
    preparer for small models (the grammar protocol; other protocols ignore them)."""
    return ModelSettings(model=args.model, base_url=args.base_url, api_key=args.api_key, scripted=args.scripted,
                         n_gpu_layers=args.n_gpu_layers, n_ctx=args.n_ctx, n_threads=args.threads,
                         tool_protocol=args.tool_protocol, timeout=args.timeout, temperature=args.temperature,
                         few_shot=load_prompt_yaml("fewshot.yaml"),
                         grammar_header=(prompts_dir() / "grammar_header.j2").read_text(encoding="utf-8"),
                         preparer=None if args.no_preparer else step_preparer(),
                         cache_dir=home() / "models")


@functools.lru_cache(maxsize=None)
def step_preparer() -> Any:
    """The shop's StepPreparer (tools/hints.py) over its tools: one shared instance, its index built on first use."""
    from tools.hints import ShoppingHints

    return ShoppingHints(build_registry(), cache_dir=lambda: home() / "models" / "intents",
                         known_lines=[example["user"] for example in load_prompt_yaml("fewshot.yaml")])


def progress_bars(console: Any, threshold: int = PROGRESS_THRESHOLD) -> ProgressFactory:
    """A rich progress bar for jobs larger than `threshold` items (a context yielding `advance(n)`)."""
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    @contextlib.contextmanager
    def make(label: str, total: int) -> Iterator[Callable[[int], None]]:
        if total <= threshold:
            yield lambda n: None
            return
        with Progress(TextColumn(escape(label)), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda n: bar.advance(task, n)

    return make


# ---------------------------------------------------------------- the shop's wiring
def build_registry() -> ToolRegistry:
    from tools import SHOPPING_TOOLS

    return ToolRegistry(SHOPPING_TOOLS)


def build_mcp_registry() -> ToolRegistry:
    """What the MCP server offers: the catalog and checkout under UCP's MCP binding names, then the shop's own
    tools for what UCP has no tool for (cart, history, reviews, …). The chat's own checkout tools (start_checkout,
    place_order, …) are left out: they do what UCP's do, and two ways to pay would only confuse a client."""
    from tools import SHOPPING_TOOLS
    from tools.checkout_tools import CHAT_CHECKOUT_TOOLS
    from tools.ucp_catalog_tools import UCP_CATALOG_TOOLS
    from tools.ucp_checkout_tools import UCP_CHECKOUT_TOOLS

    ucp = UCP_CATALOG_TOOLS + UCP_CHECKOUT_TOOLS
    taken = {t.name for t in ucp}
    return ToolRegistry(ucp + [t for t in SHOPPING_TOOLS if t.name not in taken and t not in CHAT_CHECKOUT_TOOLS])


def open_catalog(catalog: str | None = None, chroma_url: str | None = None,
                 progress: ProgressFactory | None = None, embedder: Any = None, *, demo: bool = True) -> Any:
    """The named catalog, or the default one in the home directory (filled from the demo feed on first use
    unless `demo` is false)."""
    from tools.catalog.demo import open_catalog as _open

    return _open(catalog, chroma_url, embedder, progress, default_dir=home() / "catalog",
                 demo_feed=demo_dir() / "catalog.jsonl" if demo else None)


def open_deps(catalog: str | None = None, chroma_url: str | None = None, *, progress: ProgressFactory | None = None,
              state_dir: str | Path | None = None, catalog_store: Any = None, llm: Model | None = None,
              demo: bool | None = None) -> ShopDeps:
    """The deps of one conversation: the catalog (opened unless given), the shopper store beside it, or in
    `state_dir` when given (fresh state per eval case), and the checkout store next to the shopper store."""
    from tools.checkout.store import CheckoutStore, checkout_path_for
    from tools.shoppers import ShopperStore

    store = catalog_store or open_catalog(catalog, chroma_url, progress)
    path = Path(state_dir) / "shoppers.db" if state_dir else shoppers_path(catalog, store)
    # Only the demo catalog's shoppers start with the demo histories: their product ids name demo products.
    # `demo` None: decide from the catalog opened (an eval case over `catalog: demo` says so itself).
    if demo is None:
        demo = catalog is None and chroma_url is None and is_demo_catalog(store)
    shoppers = ShopperStore.open_default(path, store, demo_dir() if demo else None)
    return ShopDeps(catalog=store, shoppers=shoppers, llm=llm, checkout=CheckoutStore(checkout_path_for(path), store))


def is_demo_catalog(store: Any) -> bool:
    """Whether `store` is the demo catalog shown until the merchant's default catalog holds products."""
    return store is not None and store.path is not None and Path(store.path).resolve() == (home() / "demo").resolve()


def shoppers_path(catalog: str | Path | None, store: Any = None) -> Path:
    """Shoppers live beside the catalog their product ids name: a named catalog's in its folder, the demo's in the
    demo folder, the merchant's default (and a server's) in the home."""
    if catalog:
        return Path(catalog).expanduser() / "shoppers.db"
    return home() / "demo" / "shoppers.db" if is_demo_catalog(store) else home() / "shoppers.db"


def shop_context(deps: ShopDeps, shopper_id: str | None, session_id: str | None = None) -> ShopContext:
    return ToolContext(deps=deps, user_id=shopper_id, session_id=session_id)
