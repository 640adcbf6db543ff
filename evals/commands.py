"""The `eval` subcommand: load suites, run them against a model, print and write the reports."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from tools.render import escape  # strips control codes too

from agent import AgentSettings, ToolContext, ToolError, ToolRegistry, load_model
from agent.models import Model, ModelError, ScriptedModel
from agent.safety import redact_pii
from tools import app
from tools.checkout.simulate import past_order
from tools.deps import ShopDeps
from evals.report import check_writable, failing_details, print_summary, write_json, write_junit
from evals.runner import EnvFactory, ModelFactory, RunSettings, run_eval, select_cases
from evals.suite import Case, SuiteError, load_suites

__all__ = ["DEFAULT_SUITES", "ShopEnv", "ShopEnvFactory", "handler", "model_factory", "register"]

DEFAULT_SUITES = Path(__file__).resolve().parent / "suites"


def register(subparsers: Any) -> None:
    """Add `eval` to the CLI; the model flags are the chat command's own (app.add_model_args)."""

    p = subparsers.add_parser("eval", help="run eval suites (YAML) and report pass@1 / pass^k",
                              description="Run eval suites against a model. With `--scripted cases` every case "
                                          "is driven by its own `script:` (a dry run of the harness).")
    p.add_argument("paths", nargs="*", default=[str(DEFAULT_SUITES)], metavar="PATH",
                   help="suite files or directories (default: evals/suites)")
    app.add_model_args(p)
    app.add_mcp_args(p)
    p.add_argument("--repeat", type=int, metavar="K", help="runs per case (overrides each case's `repeat`)")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="only cases with this tag (repeatable)")
    p.add_argument("--report", metavar="FILE.json", help="write the full report, transcripts included")
    p.add_argument("--junit", metavar="FILE.xml", help="write JUnit XML for CI")
    p.add_argument("--min-pass", type=float, default=1.0, metavar="F",
                   help="exit 1 when overall pass@1 is below F (default 1.0: every run must pass)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="parallel case runs; only with --scripted or --base-url (a local model is not thread-safe)")
    p.add_argument("--max-steps", type=int, default=8, help="model steps per turn (default 8)")
    p.add_argument("--transcripts", action="store_true", help="print the transcript of every failing run")
    p.add_argument("--redact-pii", action="store_true",
                   help="mask e-mails, card and phone numbers in the written reports")
    p.set_defaults(func=handler)


# ---------------------------------------------------------------- the shop environment (glue with tools/)
@dataclass
class ShopEnv:
    """The real shopping tools over a shared catalog; shopper/cart state lives in a throwaway directory."""

    registry: ToolRegistry
    context: ToolContext[ShopDeps]
    system_prompt: str
    state_dir: Path

    def state(self) -> dict[str, Any]:
        """The shop's state a case may check: `cart`, product id → quantity; `orders`, the shopper's order
        statuses, oldest first (placed, shipped, delivered, canceled, return_requested, exchange_requested)."""
        user = self.context.user_id
        lines = self.context.deps.shoppers.cart(user) if user else []
        checkout = self.context.deps.checkout
        orders = [o.status for o in reversed(checkout.orders_for(user))] if user and checkout is not None else []
        return {"cart": {line.product_id: int(line.quantity) for line in lines}, "orders": orders}

    def arrange(self, given: dict[str, Any]) -> None:
        """A case's `given:` world: `orders` the shopper placed before (see evals/suite.py's Case.given)."""
        unknown = set(given) - {"orders"}
        if unknown:
            raise ValueError(f"the shop knows no given {sorted(unknown)} (it takes: orders)")
        if not self.context.user_id or self.context.deps.checkout is None:
            raise ValueError("given orders need a signed-in shopper and a checkout")
        for order in given.get("orders") or []:
            past_order(self.context.deps.checkout, self.context.user_id, dict(order["items"]),
                       order.get("status", "placed"))

    def set_stock(self, stock: dict[str, int]) -> None:
        assert self.context.deps.checkout is not None
        self.context.deps.checkout.configure(lambda shop: [shop.set_on_hand(pid, n) for pid, n in stock.items()])

    def close(self) -> None:
        # Only the per-case stores are ours to close: the catalog and the model are shared by every case.
        self.context.deps.close()
        shutil.rmtree(self.state_dir, ignore_errors=True)


class ShopEnvFactory:
    """THE glue with tools/: each case run gets fresh shopper/cart state in its own state_dir, over a catalog
    opened once per (catalog, chroma_url), and the case's own model in its deps (write_description drafts with it)."""

    def __init__(self, chroma_url: str | None = None, demo_catalog: Any = None) -> None:
        self.chroma_url = chroma_url
        self.registry = app.build_registry()
        self._catalogs: dict[tuple[str | None, str | None], Any] = {}
        self._given = demo_catalog  # an already open store for `catalog: demo` (tests pass their fixture)
        if demo_catalog is not None:
            self._catalogs[(None, chroma_url)] = demo_catalog
        self._lock = threading.Lock()

    def _catalog(self, catalog: str | None) -> Any:
        with self._lock:  # workers > 1: open (and on first use, index) each catalog once
            key = (catalog, self.chroma_url)
            if key not in self._catalogs:
                self._catalogs[key] = app.open_catalog(catalog, self.chroma_url)
            return self._catalogs[key]

    def __call__(self, case: Case, model: Model) -> ShopEnv:
        catalog = None if case.catalog == "demo" else case.catalog
        state_dir = Path(tempfile.mkdtemp(prefix="shopagent-eval-"))
        deps = app.open_deps(catalog, self.chroma_url, state_dir=state_dir, catalog_store=self._catalog(catalog),
                             llm=model, demo=catalog is None and self.chroma_url is None)
        context = app.shop_context(deps, case.shopper, f"eval-{case.id}")
        return ShopEnv(self.registry, context, app.system_prompt(case.shopper), state_dir)

    def close(self) -> None:
        for store in self._catalogs.values():
            if store is not self._given and callable(getattr(store, "close", None)):
                store.close()
        self._catalogs.clear()


# ---------------------------------------------------------------- the model
def model_factory(args: argparse.Namespace) -> tuple[ModelFactory, str, bool]:
    """(factory, description, safe for workers > 1). With --scripted each case run gets a fresh script."""
    settings = app.model_settings(args)
    if settings.scripted:
        fallback = Path(settings.scripted) if Path(settings.scripted).is_file() else None

        def scripted(case: Case) -> ScriptedModel:
            if case.script is not None:
                return ScriptedModel(case.script)
            if fallback is not None:
                return ScriptedModel.from_file(fallback)
            raise ValueError(f"case {case.id!r} has no `script:` and --scripted names no script file")

        return scripted, "scripted", True
    # one model for every case: the conversation lives in the Agent, so sharing it sequentially is safe
    model = load_model(settings)
    return (lambda case: model), settings.describe(), bool(settings.base_url)


# ---------------------------------------------------------------- the command
def handler(args: argparse.Namespace, console: Console, env_factory: EnvFactory | None = None) -> int:
    """Run the suites; 0 when overall pass@1 ≥ --min-pass, 1 below it, 2 when nothing could run."""
    try:
        suites = load_suites(args.paths)
    except SuiteError as exc:
        console.print(f"[bold red]Invalid suite:[/]\n{escape(str(exc))}", highlight=False)
        return 2
    selected = select_cases(suites, args.tag)
    if not selected:
        console.print(f"[bold red]No cases to run[/] in {', '.join(map(str, args.paths))}"
                      f"{' with tags ' + ', '.join(args.tag) if args.tag else ''}.")
        return 2
    try:  # every place this run writes, checked before it starts: a long run must not fail at its end
        app.writable_dir(app.home(), "the app's home")
        app.writable_dir(tempfile.gettempdir(), "per-case shopper state")
        for out in (args.report, args.junit):
            if out:
                check_writable(out)
    except (OSError, app.StorageProblem) as exc:
        console.print(f"[bold red]Cannot start:[/] {escape(str(exc))}")
        return 2
    try:
        models, described, parallel_ok = model_factory(args)
        shop = ShopEnvFactory() if env_factory is None else None
        envs = env_factory or shop
        if shop is not None:
            app.open_mcp(args, shop.registry)  # --mcp: remote tools join the shop's in every case
    except (ModelError, ValueError, FileNotFoundError, ImportError, ToolError) as exc:
        console.print(f"[bold red]Cannot start:[/] {escape(str(exc))}")
        return 2
    workers = max(1, args.workers)
    if workers > 1 and not parallel_ok:
        console.print("[yellow]--workers ignored: one local model instance is not thread-safe "
                      "(use --base-url or --scripted for parallel runs).[/]")
        workers = 1
    settings = RunSettings(repeat=args.repeat, workers=workers, tags=args.tag,
                           agent=AgentSettings(max_steps=args.max_steps))
    total = sum(settings.repeat or case.repeat or 1 for _, case in selected)
    try:
        with app.progress_bars(console, threshold=0)("eval", total) as advance:
            result = run_eval(suites, envs, models, settings, on_run=lambda run: advance(1),
                              model_name=described)
    finally:
        if shop is not None:
            shop.close()
    print_summary(result, console)
    failing_details(result, console, transcripts=args.transcripts)
    redact = redact_pii if args.redact_pii else None
    try:
        if args.report:
            write_json(result, args.report, redact)
            console.print(f"[dim]JSON report: {escape(args.report)}[/]")
        if args.junit:
            write_junit(result, args.junit, redact)
            console.print(f"[dim]JUnit XML: {escape(args.junit)}[/]")
    except OSError as exc:
        console.print(f"[bold red]Report not written:[/] {escape(str(exc))}")
        return 2
    rate = result.pass_at_1
    if rate < args.min_pass:
        console.print(f"[bold red]pass@1 {rate:.1%} is below --min-pass {args.min_pass:.1%}[/]")
        return 1
    return 0
