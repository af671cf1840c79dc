"""Soak: a fixed request rate for a set time, with a fixed mix, against one real server
(``tactful serve --workers N``, SQLite); reports errors, latency percentiles, CPU per request
and the server's RSS slope. Memory must be bounded by settings (the serving cache's size) and
flat across repeated runs.

    python benchmarks/soak.py [--rate 200] [--minutes 10] [--runs 2] [--workers 1]
                              [--cache-size 10000] [--profile stacks.txt]

Synthetic shop (made here, seed 7): 2,000 items, 3,000 people who granted
personalization, 20 events each, EASE trained before the server starts. Mix: 70 %
``GET /v1/subjects/{id}/recommendations`` for a random person (a quarter of them people the
server never saw), 30 % ``POST /v1/events`` batches of 5 new events (new in every run).
Open loop (``loadgen.py``): request i is due at ``i / rate`` seconds whatever the earlier
ones do, and its latency is counted from then (so a stall shows as latency, not as a slower
rate); the achieved rate is requests over the seconds until the last answer. Every worker
answers a few requests before the first run (each loads its models on its first). RSS of
the server and its workers is read from ``/proc`` every 5 s; the slope is a least-squares
fit over each run after its first quarter (warm-up). CPU per request: the server's (all its
processes) and this script's own, from ``/proc`` and ``getrusage``. ``--profile`` samples
the server with py-spy during the first run (``benchmarks/stacks.py`` summarises it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.reliability.servers import environment, free_port  # noqa: E402

import loadgen  # noqa: E402
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


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the server and its worker processes so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rpartition(")")[2].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def tree_rss_mb(pid: int) -> float:
    """RSS of the server and its worker processes (``tactful serve --workers N``)."""
    total = rss_mb(pid)
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            total += rss_mb(int(child))
        except FileNotFoundError:
            continue  # a worker that just exited
    return total


class Mix:
    """The fixed mix as request bytes: 70 % recommendations for a random person (a quarter
    of them never seen by the server), 30 % batches of 5 new view events."""

    def __init__(self, secret: str, run: int) -> None:
        self.rng = random.Random(11 + run)
        self.run = run
        self.auth = f"Host: soak\r\nAuthorization: Bearer {secret}\r\n"

    def __call__(self, n: int) -> bytes:
        rng = self.rng
        if rng.random() < 0.7:
            who = rng.randrange(int(PEOPLE * 4 / 3))
            line = f"GET /v1/subjects/p{who}/recommendations?limit=10 HTTP/1.1\r\n"
            return f"{line}{self.auth}\r\n".encode()
        who = rng.randrange(PEOPLE)
        rows = ",".join(
            f'{{"event_id":"soak-{self.run}-{n}-{k}","subject_id":"p{who}",'
            f'"type":"view","item_id":"i{rng.randrange(ITEMS)}"}}'
            for k in range(5)
        )
        body = f'{{"events":[{rows}]}}'.encode()
        head = (
            f"POST /v1/events HTTP/1.1\r\n{self.auth}Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body


async def drive(
    port: int, secret: str, *, rate: float, seconds: float, pid: int, run: int
) -> dict[str, Any]:
    samples: list[tuple[float, float]] = []
    t0 = time.monotonic()

    async def sample() -> None:
        while True:
            samples.append((time.monotonic() - t0, tree_rss_mb(pid)))
            await asyncio.sleep(SAMPLE_SECONDS)

    sampler = asyncio.create_task(sample())
    total = int(rate * seconds)
    server_cpu, client_cpu = tree_cpu_seconds(pid), own_cpu_seconds()
    tally, elapsed = await loadgen.drive(
        "127.0.0.1", port, Mix(secret, run), rate=rate, total=total
    )
    server_cpu, client_cpu = tree_cpu_seconds(pid) - server_cpu, own_cpu_seconds() - client_cpu
    sampler.cancel()
    samples.append((time.monotonic() - t0, tree_rss_mb(pid)))
    lat = sorted(tally.latencies)
    warm = [s for s in samples if s[0] >= seconds / 4]
    return {
        "requests": total,
        "achieved_rate": round(total / elapsed, 1),
        "errors": tally.errors,
        "p50_ms": round(1000 * lat[len(lat) // 2], 1),
        "p95_ms": round(1000 * lat[int(len(lat) * 0.95)], 1),
        "p99_ms": round(1000 * lat[int(len(lat) * 0.99)], 1),
        "server_cpu_ms_per_request": round(1000 * server_cpu / total, 2),
        "client_cpu_ms_per_request": round(1000 * client_cpu / total, 2),
        "rss_start_mb": round(samples[0][1], 1),
        "rss_end_mb": round(samples[-1][1], 1),
        "rss_max_mb": round(max(m for _, m in samples), 1),
        "rss_slope_mb_per_min_after_warmup": round(slope_mb_per_min(warm), 2),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
    }


def serve(url: str, where: Path, workers: int, **env: str) -> tuple[subprocess.Popen[bytes], int]:
    """``tactful serve --workers N`` on a free port, once ``/healthz`` answers; its log
    (one JSON line a request) goes to ``server.log`` beside the database."""
    port = free_port()
    tactful = Path(sys.executable).with_name("tactful")
    cmd = [str(tactful), "serve", "--port", str(port), "--workers", str(workers)]
    log = (where / "server.log").open("wb")
    process = subprocess.Popen(
        cmd, env=environment(url, where, **env), cwd=where, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return process, port
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def warm(port: int, secret: str, workers: int) -> None:
    """Every worker loads its models on its first request (seconds): do that before timing."""
    headers = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60) as c:
        for n in range(20 * workers):
            c.get(f"/v1/subjects/p{n}/recommendations", params={"limit": 10})


def profile(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling the server (and its workers) for ``seconds``, as collapsed stacks."""
    spy = Path(sys.executable).with_name("py-spy")
    cmd = [str(spy), "record", "--pid", str(pid), "--subprocesses", "--nonblocking"]
    cmd += ["--rate", "50", "--duration", str(int(seconds)), "--format", "raw"]
    return subprocess.Popen([*cmd, "--output", str(out)], stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cache-size", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--profile", type=Path, help="py-spy collapsed stacks of run 1 here")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/soak.json")
    args = parser.parse_args()
    globals()["PEOPLE"] = args.people
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        url = f"sqlite:///{where / 'soak.db'}"
        settings = Settings(database_url=url, model_dir=where / "models")
        secret = seed_shop(settings, random.Random(7))
        env = {"TACTFUL_RECOMMEND__CACHE_SIZE": str(args.cache_size)}
        process, port = serve(url, where, args.workers, **env)
        runs = []
        try:
            warm(port, secret, args.workers)
            idle = tree_rss_mb(process.pid)
            for r in range(args.runs):
                seconds = args.minutes * 60
                spy = (
                    profile(process.pid, seconds, args.profile) if args.profile and r == 0 else None
                )
                result = loadgen.run(
                    drive(port, secret, rate=args.rate, seconds=seconds, pid=process.pid, run=r)
                )
                if spy is not None:
                    spy.wait(60)
                runs.append(result)
                print(f"run {r + 1}: {json.dumps(result)}", flush=True)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(60)
    report = {
        "rate": args.rate, "minutes": args.minutes, "workers": args.workers,
        "cache_size": args.cache_size, "people": args.people,
        "rss_idle_mb": round(idle, 1), "runs": runs,
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
