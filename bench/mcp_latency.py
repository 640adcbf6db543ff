"""MCP latency: p50/p95 of a `search_catalog` call on our MCP server, over stdio and streamable HTTP, at 1 and 8
concurrent clients (each its own MCP session; over stdio each its own server process, as stdio clients have).

    python bench/mcp_latency.py [--clients 1,8] [--seconds 15] [--catalog DIR]

Everything runs on 127.0.0.1: the servers are `python cli.py mcp-serve` processes started here, the clients
the `mcp` SDK's own. Each cell is bounded by --seconds of calls after its sessions are open (opening is not
timed). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools import app  # noqa: E402
from tools.mcp_tokens import TokenStore  # noqa: E402

QUERIES = ["wireless earbuds", "running shoes under $120", "yoga mat", "desk lamp", "water bottle",
           "backpack for hiking", "coffee grinder", "rain jacket", "gaming mouse", "kids books"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_argv(catalog: str, state: str, *extra: str) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), "mcp-serve", "--catalog", catalog, "--state-dir", state, *extra]


def percentiles_ms(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds of latencies in seconds (bench/serve.py reports REST with the same cut)."""
    if not samples:
        return 0.0, 0.0
    cuts = statistics.quantiles(samples, n=100) if len(samples) >= 2 else samples * 99
    return round(cuts[49] * 1000, 2), round(cuts[94] * 1000, 2)


def search_call(client, i: int):
    """One `search_catalog` call (UCP binding, limit 5) with the i-th query."""
    return client.call_tool("search_catalog", {"catalog": {"query": QUERIES[i % len(QUERIES)],
                                                           "pagination": {"limit": 5}}})


def http_target(url: str, token: str):
    """A factory of streamable-HTTP transports to `url`, each with the shopper's bearer token."""
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    return lambda: streamable_http_client(url, http_client=httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30, read=300)))


async def _accept(ctx, params):
    import mcp_types as types

    return types.ElicitResult(action="accept", content={"confirm": True})


async def _client_loop(target_factory, call, deadline_s: float, samples: list[float], opened: anyio.Event,
                       ready: list[int], n: int, go: anyio.Event) -> None:
    from mcp import Client

    async with Client(target_factory(), read_timeout_seconds=120, elicitation_callback=_accept) as client:
        await call(client, 0)  # warm up (first embeddings, SQLite pages); not timed
        ready.append(1)
        if len(ready) == n:
            opened.set()
        await go.wait()
        end = time.perf_counter() + deadline_s
        i = len(ready) * 7
        while time.perf_counter() < end:
            i += 1
            t0 = time.perf_counter()
            result = await call(client, i)
            samples.append(time.perf_counter() - t0)
            if result.is_error:
                raise RuntimeError(f"the call failed: {result.content}")


async def cell(target_factory, clients: int, seconds: float, call=search_call) -> dict:
    """`clients` concurrent MCP sessions calling `call(client, i)` for `seconds` once all are open (a write is
    confirmed by an elicitation answer, inside the timed call); p50/p95 and throughput."""
    samples: list[float] = []
    opened, go, ready = anyio.Event(), anyio.Event(), []
    async with anyio.create_task_group() as tg:
        for _ in range(clients):
            tg.start_soon(_client_loop, target_factory, call, seconds, samples, opened, ready, clients, go)
        with anyio.fail_after(600):
            await opened.wait()
        started = time.perf_counter()
        go.set()
    wall = time.perf_counter() - started
    p50, p95 = percentiles_ms(samples)
    return {"clients": clients, "calls": len(samples), "p50_ms": p50, "p95_ms": p95,
            "calls_per_s": round(len(samples) / wall, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,8", help="concurrent client counts (default 1,8)")
    parser.add_argument("--seconds", type=float, default=15.0, help="seconds of calls per cell (default 15)")
    parser.add_argument("--catalog", help="an indexed catalog directory (default: the demo catalog, indexed once)")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]

    with tempfile.TemporaryDirectory(prefix="mcp-bench-") as tmp:
        catalog = args.catalog or str(Path(tmp) / "catalog")
        if not args.catalog:  # index the demo once here, so no server process races to do it
            from tools.catalog.ingest import ingest_file

            store = app.open_catalog(catalog)
            if store.count() == 0:
                ingest_file(store, app.demo_dir() / "catalog.jsonl")
            del store
        state = str(Path(tmp) / "state")
        token = TokenStore(Path(state)).add("S001", label="bench")
        results: dict = {"stdio": {}, "http": {}}

        from mcp import StdioServerParameters

        argv = _serve_argv(catalog, state)
        stdio = lambda: StdioServerParameters(command=argv[0], args=argv[1:], cwd=str(ROOT),  # noqa: E731
                                              env={"SHOPAGENT_MCP_TOKEN": token})
        for n in counts:
            results["stdio"][str(n)] = anyio.run(cell, stdio, n, args.seconds)
            print(f"stdio x{n}: {results['stdio'][str(n)]}", file=sys.stderr)

        port = _free_port()
        proc = subprocess.Popen(_serve_argv(catalog, state, "--http", "--port", str(port)),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the HTTP MCP server did not start") from None
                    time.sleep(0.3)
            http = http_target(f"http://127.0.0.1:{port}/mcp", token)
            for n in counts:
                results["http"][str(n)] = anyio.run(cell, http, n, args.seconds)
                print(f"http x{n}: {results['http'][str(n)]}", file=sys.stderr)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    results["tool"] = "search_catalog (UCP binding, limit 5)"
    results["cpus"] = os.cpu_count()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
