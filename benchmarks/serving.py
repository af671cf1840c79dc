"""Serving throughput and latency of GET /v1/subjects/{id}/recommendations?limit=10 (full
guard pipeline and exposure logging) against a bare async FastAPI route of the same shape,
both served by uvicorn the same way, driven by wrk, in one run.

    python benchmarks/serving.py [--duration 15] [--workers 1] [--patterns warm,returning]
                                 [--uncached] [--profile DIR]

Loads MovieLens latest-small through the REST API (items, consents, ratings), trains through
the API, then measures two access patterns, each from a copy of the freshly trained database
(no exposures logged yet) on a freshly started server, against the bare route:

- ``warm``: 15 s of warm-up at 4 connections (every one of the 610 people asked many times,
  so every worker holds everyone), then wrk at 16 and at 1 connection;
- ``returning``: no warm-up beyond loading the model (one request for someone unknown),
  then wrk at 16 connections over the 610 people at random (each person asked about a dozen
  times at a few hundred requests a second: their first request reads and scores their
  history, and the retargeting cap keeps changing their lists, as when people come back),
  then at 1 connection.

Targets (issue 16): throughput ≥ 0.35× the bare route at 16 connections on one worker, for
both patterns; p99 ≤ 20 ms at one connection. Needs `wrk` (Debian package) on PATH.

Also measured with ``--uncached``: the server with the serving cache off
(``recommend.cache_size = 0``: every request reads the person's history and scores it).
After each pattern's runs, what the lists looked like (the retargeting cap rests items
shown three times without engagement, so lists shrink as a run goes on).
``--profile DIR`` runs the returning pattern once more under pyinstrument (the server's
main thread, which runs every request) and writes its text report there.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
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
RESULTS = ROOT / "benchmarks" / "results" / "serving.json"
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


def start(cmd: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """Start a server, its output (one JSON line per request) to the file ``log``: a pipe
    nobody reads would fill up and stop the server."""
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=out)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server on {port} did not start: {log.read_text()[-2000:]}")


def stop(proc: subprocess.Popen[bytes], *, interrupt: bool = False) -> None:
    """SIGTERM; or SIGINT for a server under pyinstrument, which writes its report when
    interrupted (uvicorn re-raises the signal it stopped for, and SIGTERM would end the
    process before the report is written)."""
    proc.send_signal(signal.SIGINT if interrupt else signal.SIGTERM)
    proc.wait()


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
local threads = 0
setup = function(thread)  -- each wrk thread draws its own sequence of people
  threads = threads + 1
  thread:set("seed", threads)
end
init = function(args)
  math.randomseed(os.time() * 100 + (seed or 0))
end
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


def fresh_database(tmp: Path) -> None:
    """The database as it was right after training (no exposures logged yet)."""
    shutil.copy(tmp / "fresh.db", tmp / "bench.db")
    for suffix in ("-wal", "-shm"):
        Path(tmp, f"bench.db{suffix}").unlink(missing_ok=True)


def serve_cmd(workers: int, profile: Path | None = None) -> list[str]:
    tactful = str(Path(sys.executable).with_name("tactful"))
    cmd = [tactful, "serve", "--port", "8811", "--workers", str(workers)]
    if profile is None:
        return cmd
    pyinstrument = str(Path(sys.executable).with_name("pyinstrument"))
    return [pyinstrument, "-r", "text", "--show-all", "-o", str(profile), *cmd]


def measure(
    env: dict[str, str],
    *,
    pattern: str,
    workers: int,
    key: str,
    script: Path,
    duration: int,
    tag: str,
    profile: Path | None = None,
) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Serve from the fresh database; ``warm``: warm up (the model loads once in every
    worker, everyone is asked many times), ``returning``: only load the model; then run
    wrk at 16 and 1 connections."""
    tmp = Path(env["TACTFUL_MODEL_DIR"]).parent
    fresh_database(tmp)
    results: dict[str, dict[str, float]] = {}
    server = start(serve_cmd(workers, profile), env, 8811, tmp / "server.log")
    try:
        if pattern == "warm":
            wrk(8811, script, 4, 15)
        else:
            for _ in range(2 * workers):  # someone unknown: loads the models, caches no one
                h = {"Authorization": f"Bearer {key}"}
                url = "http://127.0.0.1:8811/v1/subjects/nobody/recommendations"
                httpx.get(url, headers=h, timeout=120).raise_for_status()
        results[f"{tag} c16"] = wrk(8811, script, 16, duration)
        results[f"{tag} c1"] = wrk(8811, script, 1, duration)
        users = re.findall(r'"(u\d+)"', script.read_text())
        lists = list_sizes("http://127.0.0.1:8811", key, users)
    finally:
        stop(server, interrupt=profile is not None)
    return results, lists


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--patterns", default="warm,returning", help="warm, returning or both")
    ap.add_argument("--uncached", action="store_true", help="also run with the cache off")
    ap.add_argument("--profile", type=Path, default=None, help="pyinstrument reports here")
    ap.add_argument("--model", default=None, help="serving model (default: settings)")
    ap.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep the loaded, trained database here and reuse it next time (default: a "
        "temporary directory)",
    )
    args = ap.parse_args()
    patterns = [p.strip() for p in args.patterns.split(",") if p.strip()]
    if unknown := set(patterns) - {"warm", "returning"}:
        sys.exit(f"unknown patterns: {', '.join(sorted(unknown))}")
    if not ML.is_dir():
        console.print(f"skipped: {ML} is absent")
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    items, events, users = load_movielens()
    with tempfile.TemporaryDirectory() as name:
        tmp = args.workdir.resolve() if args.workdir else Path(name)
        tmp.mkdir(parents=True, exist_ok=True)
        env, key, script = prepare(tmp, items, events, users, args.model)
        results: dict[str, dict[str, float]] = {}
        lists: dict[str, dict[str, float]] = {}
        runs = [(p, env, p) for p in patterns]
        if args.uncached:
            runs.append(("warm", dict(env, TACTFUL_RECOMMEND__CACHE_SIZE="0"), "uncached"))
        for pattern, run_env, tag in runs:
            got, lists[tag] = measure(
                run_env,
                pattern=pattern,
                workers=args.workers,
                key=key,
                script=script,
                duration=args.duration,
                tag=tag,
            )
            results.update(got)
        results.update(bare(env, tmp, script, args.workers, args.duration))
        if args.profile is not None:
            args.profile.mkdir(parents=True, exist_ok=True)
            out = args.profile.resolve() / "returning.txt"
            measure(
                env,
                pattern="returning",
                workers=1,
                key=key,
                script=script,
                duration=args.duration,
                tag="profiled",
                profile=out,
            )
            console.print(f"profile of the returning pattern: {out}")
    report(results, args.workers, patterns, lists)


def prepare(
    tmp: Path,
    items: list[dict[str, Any]],
    events: list[dict[str, Any]],
    users: list[str],
    model: str | None,
) -> tuple[dict[str, str], str, Path]:
    """Load and train through the API; keep the trained database as ``fresh.db`` (reused
    when ``tmp`` holds one already, with its key)."""
    tactful = str(Path(sys.executable).with_name("tactful"))
    env = dict(
        os.environ,
        TACTFUL_DATABASE_URL=f"sqlite:///{tmp}/bench.db",
        TACTFUL_MODEL_DIR=f"{tmp}/models",
        TACTFUL_CONFIG=f"{tmp}/none.toml",
    )
    if model:
        env["TACTFUL_RECOMMEND__MODEL"] = model
    script = tmp / "recs.lua"
    if (tmp / "fresh.db").is_file() and (tmp / "key").is_file():
        key = (tmp / "key").read_text().strip()
        script.write_text(LUA % (",".join(f'"{u}"' for u in users), key))
        return env, key, script
    key = subprocess.run(
        [tactful, "keys", "create", "--scope", "admin"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    script.write_text(LUA % (",".join(f'"{u}"' for u in users), key))
    server = start([tactful, "serve", "--port", "8811"], env, 8811, tmp / "server.log")
    try:
        t0 = time.perf_counter()
        seed("http://127.0.0.1:8811", key, users, items, events)
        console.print(f"loaded and trained through the API in {time.perf_counter() - t0:.1f}s")
    finally:
        stop(server)
    shutil.copy(tmp / "bench.db", tmp / "fresh.db")  # every pattern starts from here
    (tmp / "key").write_text(key)
    return env, key, script


def bare(
    env: dict[str, str], tmp: Path, script: Path, workers: int, duration: int
) -> dict[str, dict[str, float]]:
    """The bare route, served by uvicorn as Tactful is (same workers, same log level)."""
    server = start(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bare_app:app",
            "--port",
            "8812",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--app-dir",
            str(ROOT / "benchmarks"),
        ],
        env,
        8812,
        tmp / "bare.log",
    )
    try:
        wrk(8812, script, 4, 3)
        return {
            "bare c16": wrk(8812, script, 16, duration),
            "bare c1": wrk(8812, script, 1, duration),
        }
    finally:
        stop(server)


def report(
    results: dict[str, dict[str, float]],
    workers: int,
    patterns: list[str],
    lists: dict[str, dict[str, float]],
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
    ratios = {}
    for pattern in patterns:
        ratios[pattern] = results[f"{pattern} c16"]["rps"] / results["bare c16"]["rps"]
        console.print(
            f"{pattern}: throughput ratio tactful/bare at 16 connections "
            f"{ratios[pattern]:.2f} (target ≥ 0.35); p99 at 1 connection "
            f"{results[f'{pattern} c1']['p99_ms']:.2f} ms (target ≤ 20)"
        )
    for name, got in lists.items():
        console.print(
            f"lists after the {name} runs: {got['mean_items']:.2f} items on average, "
            f"{got['empty_share']:.0%} empty, {got['mean_rested']:.1f} items resting per person"
        )
    load = os.getloadavg()
    summary = {
        "workers": workers,
        "load_average": [round(x, 2) for x in load],
        "ratios_c16": {k: round(v, 3) for k, v in ratios.items()},
        **results,
        "lists": lists,
    }
    RESULTS.write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
