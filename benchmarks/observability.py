"""What observability costs per request: Tactful's two middlewares — the Prometheus counts
and latency histogram (``web.metrics.Metered``) and the JSON request line with its request
id (``web.logs.RequestLog``, written to a file at info) — around a stub ASGI app that
answers at once, against the stub alone, in one run (no network, no HTTP client: only the
middlewares' own work is left to measure).

    python benchmarks/observability.py [--requests 50000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from typing import Any

from tactful.web import logs, metrics


class Route:
    path = "/v1/subjects/{subject_id}/recommendations"


async def stub(scope: dict[str, Any], receive: Any, send: Any) -> None:
    scope["route"] = Route
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def _send(message: Any) -> None:
    return None


async def _receive() -> dict[str, str]:
    return {"type": "http.request"}


async def per_request(app: Any, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        scope = {"type": "http", "method": "GET", "path": "/v1/subjects/u1/x", "headers": []}
        await app(scope, _receive, _send)
    return (time.perf_counter() - start) / n * 1e6


async def measure(n: int, rounds: int = 10) -> dict[str, float]:
    apps = {
        "stub": stub,
        "metrics": metrics.Metered(stub),
        "log": logs.RequestLog(stub),
        "both": metrics.Metered(logs.RequestLog(stub)),
    }
    found: dict[str, list[float]] = {k: [] for k in apps}
    for _ in range(rounds):  # alternating rounds: the machine's load hits all alike
        for name, app in apps.items():
            found[name].append(await per_request(app, n // rounds))
    return {name: statistics.median(v) for name, v in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".log") as sink:
        logs.configure(stream=sink)  # type: ignore[arg-type]
        us = asyncio.run(measure(args.requests))
    for name, value in us.items():
        print(f"{name:8} {value:7.1f} µs/request  (+{value - us['stub']:.1f} over the stub)")
    print(json.dumps({"benchmark": "observability", "us_per_request": us}))


if __name__ == "__main__":
    main()
