"""Soak: concurrent scripted conversations against one home directory, then an audit of what was stored.

Each writer is a thread with its own SQLite connections (as a separate chat process has), and writers come in
pairs on one conversation and one shopper: the case of two `chat --resume` processes. A turn is a scripted
add_to_cart (approved) and a reply, through the real loop, tools and stores. A save that meets a newer version
raises SessionConflict; the writer reloads and goes on, as the chat does. Afterwards every acknowledged message
(its save returned) must be stored exactly once, and every acknowledged cart write (the tool returned ok) must
be in the cart exactly once.

Prints a final JSON line: conversations, writes, lost, duplicated, errors (plus conflicts and turns).
Usage: python bench/soak.py [--writers 8] [--seconds 60] [--home DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent import Agent, AgentSettings, ToolRegistry  # noqa: E402
from agent.models import ScriptedModel  # noqa: E402
from agent.session import SessionConflict, SessionStore  # noqa: E402
from tools import app  # noqa: E402
from tools.deps import ShopDeps  # noqa: E402
from tools.shoppers import ShopperStore  # noqa: E402


class Tally:
    """What the writers were told succeeded, shared across threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: Counter[tuple[str, str]] = Counter()  # (session, content) acknowledged
        self.cart: Counter[tuple[str, str]] = Counter()  # (shopper, product) -> quantity acknowledged
        self.turns = self.conflicts = self.writes = 0
        self.errors: list[str] = []


def acknowledging(registry: ToolRegistry, tally: Tally) -> ToolRegistry:
    """The shop's tools, with add_to_cart counting each write when it returns (the store has acknowledged it,
    whatever then happens to the conversation's save)."""
    add = registry.get("add_to_cart")

    def counted(ctx, **kwargs):
        out = add.fn(ctx, **kwargs)
        with tally.lock:
            tally.cart[(ctx.user_id, out["product_id"])] += out["added"]
            tally.writes += 1
        return out

    return ToolRegistry([dataclasses.replace(t, fn=counted) if t is add else t for t in registry])


def writer(name: str, session_id: str, shopper: str, products: list[str], home: Path, catalog, deadline: float,
           tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    sessions = SessionStore(home / "sessions.db")
    shoppers = ShopperStore(home / "shoppers.db")
    deps = ShopDeps(catalog=catalog, shoppers=shoppers)
    messages = sessions.load(session_id).messages
    registry = acknowledging(app.build_registry(), tally)
    n = 0
    try:
        while time.monotonic() < deadline:
            n += 1
            product = rng.choice(products)
            text = f"{name}-{n}: add {product}"
            script = [{"tool_calls": [{"id": f"{name}-{n}", "name": "add_to_cart", "arguments": {"product_id": product}}]},
                      {"text": f"{name}-{n}: added"}]

            def save(msgs):
                sessions.save(session_id, msgs)
                last = msgs[-1]  # the message this save appended, now acknowledged
                with tally.lock:
                    tally.messages[(session_id, json.dumps(last, sort_keys=True))] += 1

            agent = Agent(ScriptedModel(script), registry, app.shop_context(deps, shopper, session_id),
                          settings=AgentSettings(max_steps=4), confirm=lambda call, args: True,
                          messages=messages, on_change=save)
            try:
                for _ in agent.run(text):
                    pass
                with tally.lock:
                    tally.turns += 1
            except SessionConflict:
                with tally.lock:
                    tally.conflicts += 1
                messages = sessions.load(session_id).messages  # continue from the version stored
    except Exception:  # a writer that dies is an error of the run, counted and shown
        with tally.lock:
            tally.errors.append(traceback.format_exc(limit=3))
    finally:
        sessions.close()
        shoppers.close()


def audit(home: Path, sessions_ids: list[str], shoppers: list[str], tally: Tally) -> dict[str, int]:
    store, carts = SessionStore(home / "sessions.db"), ShopperStore(home / "shoppers.db")
    stored: Counter[tuple[str, str]] = Counter()
    for sid in sessions_ids:
        for m in store.load(sid).messages:
            stored[(sid, json.dumps(m, sort_keys=True))] += 1
    lost = sum(1 for key in tally.messages if stored[key] == 0)
    duplicated = sum(n - 1 for n in stored.values() if n > 1)  # every message is unique (ids carry the writer)
    in_cart = Counter({(s, line.product_id): line.quantity for s in shoppers for line in carts.cart(s)})
    for key in set(in_cart) | set(tally.cart):
        lost += max(0, tally.cart[key] - in_cart[key])
        duplicated += max(0, in_cart[key] - tally.cart[key])
    return {"lost": lost, "duplicated": duplicated}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8, help="concurrent writers (two per conversation)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--home", help="the home directory to soak (default: a fresh temporary one)")
    args = parser.parse_args()
    home = Path(args.home or tempfile.mkdtemp(prefix="shopagent-soak-"))
    os.environ["SHOPAGENT_HOME"] = str(home)
    catalog = app.open_catalog()  # the demo catalog, indexed into this home on first use
    products = sorted(catalog.ids())[:200]
    sessions = SessionStore(home / "sessions.db")
    pairs = max(1, args.writers // 2)
    shoppers = [f"SOAK{i}" for i in range(pairs)]
    session_ids = [sessions.create(s, "scripted") for s in shoppers]
    sessions.close()
    tally = Tally()
    deadline = time.monotonic() + args.seconds
    threads = [threading.Thread(target=writer, args=(f"w{i}", session_ids[i % pairs], shoppers[i % pairs], products,
                                                     home, catalog, deadline, tally, i))
               for i in range(args.writers)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = audit(home, session_ids, shoppers, tally)
    for error in tally.errors[:3]:
        print(error, file=sys.stderr)
    print(json.dumps({"conversations": len(session_ids), "writers": args.writers,
                      "seconds": round(time.monotonic() - started, 1), "turns": tally.turns, "writes": tally.writes,
                      "messages_acknowledged": sum(tally.messages.values()), "conflicts": tally.conflicts,
                      **counts, "errors": len(tally.errors)}))


if __name__ == "__main__":
    main()
