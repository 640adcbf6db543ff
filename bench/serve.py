"""Latency of the UCP merchant server over REST: catalog search and create-checkout at 1, 8 and 32 clients.

Starts `python cli.py serve` on a free 127.0.0.1 port (the demo catalog, or `--ucp-shop DIR`) with a fresh
state dir, then for each concurrency level and each operation runs that many concurrent clients (asyncio +
httpx, one connection each) for `--seconds`, and reports p50/p95 latency, throughput and errors. Bounded in
time: startup ≤ 180 s, then 2 operations × 3 levels × `--seconds`. Prints a final JSON line.

Usage: python bench/serve.py [--seconds 5] [--ucp-shop ../shared/ucp/conformance/test_data/flower_shop]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import free_port  # noqa: E402

LEVELS = (1, 8, 32)
QUERIES = ["wireless headphones", "water bottle", "running shoes under 100", "coffee maker", "roses",
           "gaming mouse", "sheet set queen", "hiking daypack", "ceramic pot", "baby wipes"]
HEADERS = {"UCP-Agent": 'profile="https://bench.invalid/profile.json"; version="2026-01-11"'}


def start(args: argparse.Namespace, state: Path, port: int) -> subprocess.Popen[bytes]:
    argv = [sys.executable, str(ROOT / "cli.py"), "serve", "--port", str(port), "--state-dir", str(state)]
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
                        body = {"currency": "USD", "line_items": [{"item": {"id": product_id}, "quantity": 1}],
                                "payment": {"instruments": []}}
                        r = await http.post("/checkout-sessions", json=body,
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
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else latencies * 99 or [0.0] * 99
    return {"clients": clients, "requests": len(latencies), "errors": errors,
            "p50_ms": round(cuts[49] * 1000, 2), "p95_ms": round(cuts[94] * 1000, 2),
            "rps": round(len(latencies) / wall, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per operation and concurrency level")
    parser.add_argument("--ucp-shop", metavar="DIR", help="serve a UCP sample shop instead of the demo catalog")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as state:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start(args, Path(state), port)
        try:
            hits = httpx.get(f"{url}/catalog/search", params={"q": QUERIES[0], "limit": 25}).json()["results"]
            product_id = next(h["id"] for h in hits if h["in_stock"])
            for op in ("search", "create_checkout"):  # warm-up: first embeddings, SQLite pages, connections
                asyncio.run(run_level(url, op, 2, 1.0, product_id))
            results = {op: [asyncio.run(run_level(url, op, n, args.seconds, product_id)) for n in LEVELS]
                       for op in ("search", "create_checkout")}
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    for op, rows in results.items():
        for row in rows:
            print(f"{op:16} {row['clients']:>3} clients  p50 {row['p50_ms']:8.2f} ms  p95 {row['p95_ms']:8.2f} ms"
                  f"  {row['rps']:7.1f} req/s  ({row['requests']} ok, {row['errors']} errors)")
    print(json.dumps({"bench": "serve", "transport": "rest", "shop": args.ucp_shop or "demo catalog",
                      "seconds_per_level": args.seconds, "results": results}))


if __name__ == "__main__":
    main()
