"""Soak: a fixed request rate for a set time, with a fixed mix, against one real server
process; reports errors, latency percentiles and the server's RSS slope. Memory must be
bounded by settings (the serving cache's size) and flat across repeated runs.

    python benchmarks/soak.py [--rate 200] [--minutes 10] [--runs 2] [--cache-size 10000]

Synthetic shop (made here, seed 7): 2,000 items, 3,000 people who granted
personalization, 20 events each, EASE trained before the server starts. Mix: 70 %
``GET /v1/subjects/{id}/recommendations`` for a random person (a quarter of them people the
server never saw), 30 % ``POST /v1/events`` batches of 5 new events. Open loop: request i
is sent at ``i / rate`` seconds whatever the earlier ones do, and its latency is counted from
then (so a stall shows as latency, not as a slower rate). RSS is read from
``/proc/<pid>/status`` every 5 s; the slope is a least-squares fit over each run after its
first quarter (warm-up).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.servers import start  # noqa: E402

from tactful.app.open import open_app  # noqa: E402
from tactful.settings import Settings  # noqa: E402
from tactful.types import Item  # noqa: E402

ITEMS, PEOPLE, EVENTS_EACH = 2_000, 3_000, 20
SAMPLE_SECONDS = 5.0
CATEGORIES = ("garden", "kitchen", "books", "music", "tools", "outdoor", "toys", "craft")


def seed_shop(settings: Settings, rng: random.Random) -> str:
    """Items, people, consents and events straight through the services; trains; returns a
    read+ingest key's secret."""
    app = open_app(settings)
    now = datetime.now(UTC)
    items = [
        Item(
            f"i{n}",
            f"Item {n}",
            categories=(CATEGORIES[n % len(CATEGORIES)],),
            added_at=now - timedelta(days=365),  # an established catalogue, no new arrivals
        )
        for n in range(ITEMS)
    ]
    app.catalogue.upsert(items)
    grant = [{"purpose": "personalization", "decision": "granted"}]
    rows: list[dict[str, Any]] = []
    for p in range(PEOPLE):
        app.consents.record(f"p{p}", grant)
        for e in range(EVENTS_EACH):
            at = now - timedelta(days=rng.uniform(1, 60))
            kind = "purchase" if rng.random() < 0.1 else "view"
            item = f"i{int(rng.paretovariate(1.2)) % ITEMS}"
            rows.append(
                {"event_id": f"s{p}-{e}", "subject_id": f"p{p}", "type": kind,
                 "item_id": item, "occurred_at": at.isoformat()}
            )  # fmt: skip
    for start_at in range(0, len(rows), 5_000):
        app.ingestion.record(rows[start_at : start_at + 5_000])
    app.training.train()
    _key, secret = app.access.create_key("soak", ["read", "ingest"])
    app.close()
    return secret


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def slope_mb_per_min(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB), in MB per minute."""
    if len(samples) < 3:
        return float("nan")
    xs, ys = [t for t, _ in samples], [m for _, m in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return 60 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den


class Load:
    """One run's counters."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.batches = 0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def one(
    client: httpx.AsyncClient, load: Load, rng: random.Random, due: float, n: int
) -> None:
    await asyncio.sleep(max(0.0, due - time.monotonic()))
    try:
        if rng.random() < 0.7:
            who = rng.randrange(int(PEOPLE * 4 / 3))  # a quarter never seen by the server
            r = await client.get(f"/v1/subjects/p{who}/recommendations", params={"limit": 10})
        else:
            who = rng.randrange(PEOPLE)
            rows = [
                {"event_id": f"soak-{n}-{k}", "subject_id": f"p{who}", "type": "view",
                 "item_id": f"i{rng.randrange(ITEMS)}"}
                for k in range(5)
            ]  # fmt: skip
            r = await client.post("/v1/events", json={"events": rows})
        if r.status_code >= 400:
            load.error(str(r.status_code))
    except httpx.HTTPError as exc:
        load.error(type(exc).__name__)
    load.latencies.append(time.monotonic() - due)


async def drive(base: str, secret: str, rate: float, seconds: float, pid: int) -> dict[str, Any]:
    load, rng = Load(), random.Random(11)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    headers = {"Authorization": f"Bearer {secret}"}
    samples: list[tuple[float, float]] = []
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:
        t0 = time.monotonic()
        total = int(rate * seconds)
        tasks = []

        async def sample() -> None:
            while True:
                samples.append((time.monotonic() - t0, rss_mb(pid)))
                await asyncio.sleep(SAMPLE_SECONDS)

        sampler = asyncio.create_task(sample())
        for n in range(total):
            due = t0 + n / rate
            if due - time.monotonic() > 1.0:
                await asyncio.sleep(due - time.monotonic() - 0.5)
            tasks.append(asyncio.create_task(one(client, load, rng, due, n)))
        await asyncio.gather(*tasks)
        samples.append((time.monotonic() - t0, rss_mb(pid)))
        sampler.cancel()
        elapsed = time.monotonic() - t0
    lat = sorted(load.latencies)
    warm = [s for s in samples if s[0] >= seconds / 4]
    return {
        "requests": total,
        "achieved_rate": round(total / elapsed, 1),
        "errors": load.errors,
        "p50_ms": round(1000 * lat[len(lat) // 2], 1),
        "p95_ms": round(1000 * lat[int(len(lat) * 0.95)], 1),
        "p99_ms": round(1000 * lat[int(len(lat) * 0.99)], 1),
        "rss_start_mb": round(samples[0][1], 1),
        "rss_end_mb": round(samples[-1][1], 1),
        "rss_max_mb": round(max(m for _, m in samples), 1),
        "rss_slope_mb_per_min_after_warmup": round(slope_mb_per_min(warm), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--cache-size", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/soak.json")
    args = parser.parse_args()
    globals()["PEOPLE"] = args.people
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        url = f"sqlite:///{where / 'soak.db'}"
        settings = Settings(database_url=url, model_dir=where / "models")
        secret = seed_shop(settings, random.Random(7))
        env = {"TACTFUL_RECOMMEND__CACHE_SIZE": str(args.cache_size)}
        server = start(url, where, secret, **env)
        runs = []
        try:
            idle = rss_mb(server.process.pid)
            for r in range(args.runs):
                result = asyncio.run(
                    drive(server.base, secret, args.rate, args.minutes * 60, server.process.pid)
                )
                runs.append(result)
                print(f"run {r + 1}: {json.dumps(result)}", flush=True)
        finally:
            server.stop()
    report = {
        "rate": args.rate, "minutes": args.minutes, "cache_size": args.cache_size,
        "people": args.people,
        "rss_idle_mb": round(idle, 1), "runs": runs,
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
