"""Latency of the merchant server over REST and MCP: catalog search and create-checkout at 1, 8 and 32 clients.

Starts `python cli.py serve --with-mcp` on a free 127.0.0.1 port (the demo catalog, or `--ucp-shop DIR`) with a
fresh state dir and a bearer token, then for each transport, operation and concurrency level runs that many
concurrent clients for `--seconds` and reports p50/p95 latency and throughput:
- REST: asyncio + httpx, one connection each; `GET /catalog/search` and `POST /checkout-sessions`;
- MCP (streamable HTTP at /mcp of the same server): one `mcp` SDK session each (opened before the clock starts;
  `bench/mcp_latency.py`'s runner); UCP's `search_catalog` and `create_checkout`. create_checkout is a write, so
  each call includes the consent round trip (the client answers the server's elicitation with yes).
MCP over stdio is left to `bench/mcp_latency.py` (a server process per client: not cheap at 32).
Bounded in time: startup ≤ 180 s, then 2 transports × 2 operations × 3 levels × `--seconds` (plus opening the
MCP sessions). Prints a final JSON line with both transports side by side.

Usage: python bench/serve.py [--seconds 5] [--ucp-shop ../shared/ucp/conformance/test_data/flower_shop]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import anyio
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.mcp_latency import cell, http_target, percentiles_ms  # noqa: E402
from tests.servers import free_port  # noqa: E402
from tools.mcp_tokens import TokenStore  # noqa: E402

LEVELS = (1, 8, 32)
QUERIES = ["wireless headphones", "water bottle", "running shoes under 100", "coffee maker", "roses",
           "gaming mouse", "sheet set queen", "hiking daypack", "ceramic pot", "baby wipes"]
HEADERS = {"UCP-Agent": 'profile="https://bench.invalid/profile.json"; version="2026-01-11"'}


def start(args: argparse.Namespace, state: Path, port: int) -> subprocess.Popen[bytes]:
    argv = [sys.executable, str(ROOT / "cli.py"), "serve", "--port", str(port), "--state-dir", str(state),
            "--with-mcp"]
    if args.ucp_shop:
        argv += ["--ucp-shop", args.ucp_shop]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/.well-known/ucp", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the server did not answer within 180 s")


async def run_level(url: str, op: str, clients: int, seconds: float, product_id: str) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    queries = itertools.cycle(QUERIES)
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=30, limits=httpx.Limits(max_connections=1)) as http:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    if op == "search":
                        r = await http.get("/catalog/search", params={"q": next(queries), "limit": 10})
                    else:
                        r = await http.post("/checkout-sessions", json=_checkout(product_id),
                                            headers=dict(HEADERS, **{"idempotency-key": str(uuid.uuid4())}))
                    ok = r.status_code in (200, 201)
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - started
    p50, p95 = percentiles_ms(latencies)
    return {"clients": clients, "requests": len(latencies), "errors": errors, "p50_ms": p50, "p95_ms": p95,
            "rps": round(len(latencies) / wall, 1)}


def _checkout(product_id: str) -> dict[str, Any]:
    """The same create-checkout body over both transports (REST's body is MCP's `checkout` argument)."""
    return {"currency": "USD", "line_items": [{"item": {"id": product_id}, "quantity": 1}],
            "payment": {"instruments": []}}


def mcp_calls(product_id: str) -> dict[str, Any]:
    """The MCP twins of the REST operations: UCP's search_catalog (limit 10, the same queries) and create_checkout."""
    agent = {"ucp-agent": {"profile": "https://bench.invalid/profile.json"}}

    def search(client: Any, i: int) -> Any:
        return client.call_tool("search_catalog", {"catalog": {"query": QUERIES[i % len(QUERIES)],
                                                               "pagination": {"limit": 10}}, "meta": agent})

    def create(client: Any, i: int) -> Any:
        return client.call_tool("create_checkout", {"checkout": _checkout(product_id),
                                                    "meta": dict(agent, **{"idempotency-key": str(uuid.uuid4())})})

    return {"search": search, "create_checkout": create}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per operation and concurrency level")
    parser.add_argument("--ucp-shop", metavar="DIR", help="serve a UCP sample shop instead of the demo catalog")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as state:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        token = TokenStore(Path(state)).add("bench-shopper", label="bench/serve.py")
        proc = start(args, Path(state), port)
        try:
            hits = httpx.get(f"{url}/catalog/search", params={"q": QUERIES[0], "limit": 25}).json()["results"]
            product_id = next(h["id"] for h in hits if h["in_stock"])
            for op in ("search", "create_checkout"):  # warm-up: first embeddings, SQLite pages, connections
                asyncio.run(run_level(url, op, 2, 1.0, product_id))
            results: dict[str, Any] = {"rest": {op: [asyncio.run(run_level(url, op, n, args.seconds, product_id))
                                                     for n in LEVELS] for op in ("search", "create_checkout")}}
            target = http_target(f"{url}/mcp", token)
            results["mcp_http"] = {op: [anyio.run(cell, target, n, args.seconds, call) for n in LEVELS]
                                   for op, call in mcp_calls(product_id).items()}
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    for transport, ops in results.items():
        for op, rows in ops.items():
            for row in rows:
                done = f"({row['requests']} ok, {row['errors']} errors)" if "requests" in row else \
                    f"({row['calls']} calls)"
                rate = row.get("rps", row.get("calls_per_s"))
                print(f"{transport:8} {op:16} {row['clients']:>3} clients  p50 {row['p50_ms']:8.2f} ms  "
                      f"p95 {row['p95_ms']:8.2f} ms  {rate:7.1f} /s  {done}")
    print(json.dumps({"bench": "serve", "transports": list(results), "shop": args.ucp_shop or "demo catalog",
                      "seconds_per_level": args.seconds, "cpus": os.cpu_count(), "results": results}))


if __name__ == "__main__":
    main()
