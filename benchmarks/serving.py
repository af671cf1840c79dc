"""Serving throughput and latency of GET /v1/subjects/{id}/recommendations?limit=10 (full
guard pipeline and exposure logging) against a bare async FastAPI route of the same shape,
both served by uvicorn the same way, driven by wrk, in one run.

    python benchmarks/serving.py [--duration 15] [--workers 2]

Loads MovieLens latest-small through the REST API (items, consents, ratings), trains through
the API, then measures. Targets (issue 2): throughput ≥ 0.5× the bare route at 16
connections; p99 ≤ 20 ms at one connection. Needs `wrk` (Debian package) on PATH.

Also measured: the same server with the serving cache off (``recommend.cache_size = 0``:
every request reads the person's history and scores it), and, after the runs, what the
lists looked like (610 people asked many times each: the retargeting cap rests items shown
three times without engagement, so lists shrink as a run goes on).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("TACTFUL_DATASETS", ROOT.parent / "shared" / "datasets"))
ML = DATA / "movielens-latest-small"
console = Console()


def load_movielens() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    items = []
    with (ML / "movies.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            genres = [g for g in row["genres"].split("|") if g != "(no genres listed)"]
            items.append({"item_id": row["movieId"], "title": row["title"], "categories": genres})
    events = []
    with (ML / "ratings.csv").open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(row["timestamp"])))
            events.append(
                {
                    "event_id": f"r{n}",
                    "subject_id": f"u{row['userId']}",
                    "type": "rating",
                    "item_id": row["movieId"],
                    "value": float(row["rating"]),
                    "occurred_at": at,
                }
            )
    users = sorted({e["subject_id"] for e in events})
    return items, events, users


def start(cmd: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(
        f"server on {port} did not start: {proc.stderr.read() if proc.stderr else ''}"
    )


def seed(
    base: str, key: str, users: list[str], items: list[dict[str, Any]], events: list[dict[str, Any]]
) -> None:
    h = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, headers=h, timeout=300) as c:
        for i in range(0, len(items), 5000):
            c.put("/v1/items", json={"items": items[i : i + 5000]}).raise_for_status()
        grant = {"decisions": [{"purpose": "personalization", "decision": "granted"}]}
        for u in users:
            c.put(f"/v1/subjects/{u}/consents", json=grant).raise_for_status()
        for i in range(0, len(events), 10_000):
            r = c.post("/v1/events", json={"events": events[i : i + 10_000]})
            r.raise_for_status()
            assert not r.json()["rejected"], r.json()["rejected"][:3]
        train(c)


def train(c: httpx.Client) -> dict[str, Any]:
    """Start a training job and wait for it (``POST /v1/models/train`` answers 202)."""
    r = c.post("/v1/models/train")
    r.raise_for_status()
    job: dict[str, Any] = r.json()
    while job["status"] in ("queued", "running"):
        time.sleep(0.5)
        job = c.get(f"/v1/models/jobs/{job['job_id']}").raise_for_status().json()
    if job["status"] != "succeeded":
        raise RuntimeError(f"training {job['status']}: {job['error']}")
    return job


LUA = """
local users = {%s}
request = function()
  local u = users[math.random(#users)]
  return wrk.format("GET", "/v1/subjects/" .. u .. "/recommendations?limit=10",
                    {["Authorization"] = "Bearer %s"})
end
"""


def wrk(port: int, script: Path, conns: int, duration: int) -> dict[str, float]:
    threads = min(conns, 2)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{conns}",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50_ms": _ms(lat["50"]),
        "p99_ms": _ms(lat["99"]),
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def list_sizes(base: str, key: str, users: list[str]) -> dict[str, float]:
    """Ask everyone once more: how long the lists were and how many items rested."""
    h = {"Authorization": f"Bearer {key}"}
    sizes, rested = [], []
    with httpx.Client(base_url=base, headers=h, timeout=60) as c:
        for u in users:
            body = c.get(f"/v1/subjects/{u}/recommendations", params={"limit": 10}).json()
            sizes.append(len(body["items"]))
            held = {x["kind"]: x["count"] for x in body["held_back"]}
            rested.append(held.get("retargeting_cap", 0))
    return {
        "mean_items": sum(sizes) / len(sizes),
        "empty_share": sum(1 for s in sizes if s == 0) / len(sizes),
        "mean_rested": sum(rested) / len(rested),
    }


def measure(
    env: dict[str, str], *, workers: int, key: str, script: Path, duration: int, tag: str
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Serve, warm up (the model loads once in every worker), run wrk at 16 and 1."""
    tactful = str(Path(sys.executable).with_name("tactful"))
    results: dict[str, dict[str, float]] = {}
    server = start([tactful, "serve", "--port", "8811", "--workers", str(workers)], env, 8811)
    try:
        wrk(8811, script, 4, 15)
        results[f"{tag} c16"] = wrk(8811, script, 16, duration)
        results[f"{tag} c1"] = wrk(8811, script, 1, duration)
        users = re.findall(r'"(u\d+)"', script.read_text())
        lists = list_sizes("http://127.0.0.1:8811", key, users)
    finally:
        server.terminate()
        server.wait()
    return results, lists


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--model", default=None, help="serving model (default: settings)")
    args = ap.parse_args()
    if not ML.is_dir():
        console.print(f"skipped: {ML} is absent")
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    items, events, users = load_movielens()
    tactful = str(Path(sys.executable).with_name("tactful"))
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            TACTFUL_DATABASE_URL=f"sqlite:///{tmp}/bench.db",
            TACTFUL_MODEL_DIR=f"{tmp}/models",
            TACTFUL_CONFIG=f"{tmp}/none.toml",
        )
        if args.model:
            env["TACTFUL_RECOMMEND__MODEL"] = args.model
        key = subprocess.run(
            [tactful, "keys", "create", "--scope", "admin"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        script = Path(tmp) / "recs.lua"
        script.write_text(LUA % (",".join(f'"{u}"' for u in users), key))
        server = start([tactful, "serve", "--port", "8811"], env, 8811)
        try:
            t0 = time.perf_counter()
            seed("http://127.0.0.1:8811", key, users, items, events)
            console.print(f"loaded and trained through the API in {time.perf_counter() - t0:.1f}s")
        finally:
            server.terminate()
            server.wait()
        fresh = Path(tmp) / "fresh.db"
        shutil.copy(Path(tmp) / "bench.db", fresh)  # the uncached run starts from here too
        results, lists = measure(
            env, workers=args.workers, key=key, script=script, duration=args.duration, tag="tactful"
        )
        shutil.copy(fresh, Path(tmp) / "bench.db")
        for suffix in ("-wal", "-shm"):
            Path(tmp, f"bench.db{suffix}").unlink(missing_ok=True)
        uncached_env = dict(env, TACTFUL_RECOMMEND__CACHE_SIZE="0")
        more, lists_uncached = measure(
            uncached_env,
            workers=args.workers,
            key=key,
            script=script,
            duration=args.duration,
            tag="uncached",
        )
        results.update(more)
        bare = start(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bare_app:app",
                "--port",
                "8812",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
                "--app-dir",
                str(ROOT / "benchmarks"),
            ],
            env,
            8812,
        )
        try:
            wrk(8812, script, 4, 3)
            results["bare c16"] = wrk(8812, script, 16, args.duration)
            results["bare c1"] = wrk(8812, script, 1, args.duration)
        finally:
            bare.terminate()
            bare.wait()
    report(results, args.workers, {"cached": lists, "uncached": lists_uncached})


def report(
    results: dict[str, dict[str, float]], workers: int, lists: dict[str, dict[str, float]]
) -> None:
    table = Table(
        "run",
        "req/s",
        "p50 ms",
        "p99 ms",
        "non-2xx",
        title=f"GET recommendations?limit=10, uvicorn workers={workers}",
    )
    for name, r in results.items():
        table.add_row(
            name,
            f"{r['rps']:.0f}",
            f"{r['p50_ms']:.2f}",
            f"{r['p99_ms']:.2f}",
            f"{r['non_2xx']:.0f}",
        )
    console.print(table)
    ratio = results["tactful c16"]["rps"] / results["bare c16"]["rps"]
    console.print(f"throughput ratio tactful/bare at 16 connections: {ratio:.2f} (target ≥ 0.5)")
    console.print(f"p99 at 1 connection: {results['tactful c1']['p99_ms']:.2f} ms (target ≤ 20)")
    for name, got in lists.items():
        console.print(
            f"lists after the {name} runs: {got['mean_items']:.2f} items on average, "
            f"{got['empty_share']:.0%} empty, {got['mean_rested']:.1f} items resting per person"
        )
    print(json.dumps({"workers": workers, "ratio_c16": round(ratio, 3), **results, **lists}))


if __name__ == "__main__":
    main()
