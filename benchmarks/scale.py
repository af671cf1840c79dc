"""The cost curve: how every cost grows with the number of events, on a synthetic shop.

    python benchmarks/scale.py --events 1M,3M [--people 100000 --items 50000]
        [--backends sqlite,postgres] [--workers 1,2,4] [--duration 10] [--no-spark]

The shop (generated under ``--tmp``, default /tmp/tactful-scale, never committed): ``--people``
people, ``--items`` items with power-law popularity (exponent 0.9), the demo's mix of views,
clicks, carts and purchases over a year; 80 % of the people grant ``personalization``, the
rest deny it (their events are refused by the gate). One database per backend grows through
the sizes: it is ingested up to the first size, measured, then ingested on to the next, so
the ingest rate at each size is measured on a table already that large. At each size:

- ingest: events/s through ``Ingestion.record`` (validation, consent gate, de-duplication,
  the after-ingest reactions), batches of 1,000; the last 10 % of the batches on their own;
- training (SQLite): seconds and peak memory of ``tactful.app.training.train`` end to end
  (read of the consented snapshot, fit, save), each model in its own process: ALS
  (``implicit``), item-kNN, ALS on Spark ``local[2]`` (its JVM's peak counted too); EASE
  only where its items x items inverse fits (``recommend.ease_max_items``);
- serving: ``GET /v1/subjects/{id}/recommendations?limit=10`` (every guard, exposure logging)
  with ALS serving, ``tactful serve --workers N`` for each N, wrk at 16 connections over
  2,000 consented people at random, and at one connection with one worker;
- erasure: ``Rights.erase`` of a person, models forgotten included (median of 3);
- database size.

Prints a table, writes ``benchmarks/results/scale.json`` and ``benchmarks/results/scale.png``.
Needs wrk on PATH for serving, pyspark (``[spark]``) for Spark, PostgreSQL for that backend.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_report import plot, table
from serving import LUA, start, wrk
from tactful.app.open import open_app
from tactful.privacy.access import CLI
from tactful.settings import Settings
from tactful.types import ConsentRecord, Decision, Item, Purpose

RESULTS = Path(__file__).resolve().parent / "results"
PG_ADMIN = os.environ.get(
    "TACTFUL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PG_SCHEMA = "tactful_scale_bench"
KINDS = ["view", "click", "add_to_cart", "purchase"]
KIND_P = [0.6, 0.25, 0.1, 0.05]
BATCH = 1_000
GRANTED = 0.8
console = Console()


def count(text_: str) -> int:
    """``1M``, ``300k`` or ``1000000``."""
    scale = {"k": 1_000, "m": 1_000_000}.get(text_[-1].lower(), 1)
    return int(float(text_[:-1] if scale > 1 else text_) * scale)


class Shop:
    """The synthetic shop's people, items and an endless, seeded stream of events."""

    def __init__(self, people: int, items: int, seed: int = 7, stream: int = 0) -> None:
        self.people, self.items = people, items
        self.rng = np.random.default_rng(seed)
        self.granted = self.rng.random(people) < GRANTED
        if stream:  # the same people and consents, a different stream of events
            self.rng = np.random.default_rng([seed, stream])
        p = 1.0 / np.arange(1, items + 1) ** 0.9
        self.popularity = p / p.sum()
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.made = 0

    def catalogue(self) -> list[Item]:
        return [
            Item(f"i{j:06d}", f"item {j}", categories=(f"c{j % 40}",)) for j in range(self.items)
        ]

    def consents(self) -> list[ConsentRecord]:
        at = self.now - timedelta(days=400)
        return [
            ConsentRecord(
                f"p{i:06d}",
                Purpose.PERSONALIZATION,
                Decision.GRANTED if self.granted[i] else Decision.DENIED,
                at,
            )
            for i in range(self.people)
        ]

    def batch(self, n: int) -> list[dict[str, Any]]:
        who = self.rng.integers(0, self.people, n)
        what = self.rng.choice(self.items, n, p=self.popularity)
        kind = self.rng.choice(len(KINDS), n, p=KIND_P)
        age = self.rng.random(n) * 365 * 86400
        rows = []
        for k in range(n):
            at = self.now - timedelta(seconds=float(age[k]))
            rows.append(
                {
                    "event_id": f"e{self.made + k:010d}",
                    "subject_id": f"p{who[k]:06d}",
                    "type": KINDS[kind[k]],
                    "item_id": f"i{what[k]:06d}",
                    "occurred_at": at.isoformat(),
                }
            )
        self.made += n
        return rows

    def consented(self, n: int, seed: int = 11) -> list[str]:
        ids = [f"p{i:06d}" for i in np.flatnonzero(self.granted)]
        return random.Random(seed).sample(ids, min(n, len(ids)))


class Backend:
    """One growing database and its own copy of the shop's event stream."""

    def __init__(self, name: str, url: str, folder: Path, shop: Shop) -> None:
        self.name, self.url, self.folder, self.shop = name, url, folder, shop
        self.settings = Settings(database_url=url, model_dir=folder / "models")
        self.offered = 0

    def setup(self) -> None:
        app = open_app(self.settings)
        try:
            app.stores.items.upsert(self.shop.catalogue())
            app.stores.consents.append(self.shop.consents())
        finally:
            app.close()

    def ingest_to(self, total: int) -> dict[str, float]:
        """Offer events until ``total`` have been offered; the rate overall and at the end."""
        app = open_app(self.settings)
        seconds: list[float] = []
        stored = 0
        try:
            while self.offered < total:
                rows = self.shop.batch(min(BATCH, total - self.offered))
                start = time.perf_counter()
                stored += app.ingestion.record(rows).accepted
                seconds.append(time.perf_counter() - start)
                self.offered += len(rows)
        finally:
            app.close()
        tail = seconds[-max(1, len(seconds) // 10) :]
        offered = len(seconds) * BATCH
        return {
            "events_per_s": round(offered / sum(seconds)),
            "last_tenth_events_per_s": round(len(tail) * BATCH / sum(tail)),
            "stored": stored,
        }

    def size_mb(self) -> float:
        if self.name == "sqlite":
            path = Path(self.url.removeprefix("sqlite:///"))
            files = [path, Path(f"{path}-wal")]
            return round(sum(f.stat().st_size for f in files if f.exists()) / 2**20, 1)
        engine = create_engine(PG_ADMIN)
        with engine.connect() as conn:
            size = conn.execute(
                text(
                    "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = :s AND c.relkind = 'r'"
                ),
                {"s": PG_SCHEMA},
            ).scalar_one()
        engine.dispose()
        return round(float(size or 0) / 2**20, 1)


def pg_url(reset: bool) -> str:
    engine = create_engine(PG_ADMIN)
    with engine.begin() as conn:
        if reset:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{PG_SCHEMA}"'))
    engine.dispose()
    return f"{PG_ADMIN}?options=-csearch_path%3D{PG_SCHEMA}"


def drop_pg() -> None:
    engine = create_engine(PG_ADMIN)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
    engine.dispose()


def train_one(url: str, model_dir: str, model: str, engine_name: str) -> dict[str, Any]:
    """In a child process: train ``model`` end to end; seconds and peak memory."""
    from tactful.app.training import LocalEngine, TrainingEngine, train
    from tactful.consent.policy import ConsentPolicy
    from tactful.recommend.artifacts import FileModelStore
    from tactful.sql import open_stores

    settings = Settings(database_url=url, model_dir=Path(model_dir))
    recommend = settings.recommend.model_copy(update={"model": model})
    engine: TrainingEngine = LocalEngine()
    if engine_name == "spark":
        from tactful.spark import SparkEngine

        engine = SparkEngine(master="local[2]")
    stores = open_stores(url)
    start = time.perf_counter()
    report = train(
        stores,
        FileModelStore(Path(model_dir)),
        recommend,
        ConsentPolicy(),
        now=datetime.now(UTC),
        engine=engine,
    )
    seconds = time.perf_counter() - start
    jvm = _jvm_peak_mb(engine)
    stores.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak + jvm),
        "jvm_peak_mb": round(jvm) if jvm else None,
        "trained": report.model,
        "warnings": list(report.warnings),
        "interactions": report.interactions,
    }


def _jvm_peak_mb(engine: Any) -> float:
    session = getattr(engine, "_session", None)
    if session is None:
        return 0.0
    pid = session.sparkContext._gateway.proc.pid
    status = Path(f"/proc/{pid}/status").read_text()
    engine.close()
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def train_all(b: Backend, models: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for model, engine in models:
        label = f"{model} ({engine})"
        cmd = [
            sys.executable,
            __file__,
            "--train-one",
            model,
            "--engine",
            engine,
            "--url",
            b.url,
            "--model-dir",
            str(b.settings.model_dir),
        ]
        env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
        done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            out[label] = {"error": done.stderr.strip().splitlines()[-1:]}
        else:
            out[label] = json.loads(done.stdout.strip().splitlines()[-1])
        console.print(f"  trained {label}: {out[label]}")
    return out


def serve_all(
    b: Backend, workers: list[int], duration: int, folder: Path, model_dir: Path
) -> dict[str, Any]:
    """wrk against ``tactful serve`` with ALS serving, for each worker count."""
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed"}
    app = open_app(b.settings)
    key = app.access.create_key("scale-bench", ["admin"])[1]
    app.close()
    script = folder / "recs.lua"
    script.write_text(LUA % (",".join(f'"{u}"' for u in b.shop.consented(2000)), key))
    env = dict(
        os.environ,
        TACTFUL_DATABASE_URL=b.url,
        TACTFUL_MODEL_DIR=str(model_dir),
        TACTFUL_RECOMMEND__MODEL="als",
    )
    tactful = str(Path(sys.executable).with_name("tactful"))
    out: dict[str, Any] = {}
    for n in workers:
        server = start([tactful, "serve", "--port", "8831", "--workers", str(n)], env, 8831)
        try:
            # every worker loads the models and the catalogue on its first request (seconds
            # at this size), so warm up long enough for each of them to have served
            wrk(8831, script, 16, 10 + 5 * n)
            out[f"{n} workers c16"] = wrk(8831, script, 16, duration)
            if n == 1:
                out["1 worker c1"] = wrk(8831, script, 1, duration)
        finally:
            server.terminate()
            server.wait()
        console.print(f"  {b.name}, {n} workers: {out[f'{n} workers c16']}")
    return out


def erase_some(b: Backend, people: list[str]) -> dict[str, float]:
    settings = b.settings.model_copy(
        update={"recommend": b.settings.recommend.model_copy(update={"model": "als"})}
    )
    app = open_app(settings)
    seconds = []
    try:
        for person in people:
            start = time.perf_counter()
            app.rights.erase(person, actor=CLI)
            seconds.append(time.perf_counter() - start)
    finally:
        app.close()
    return {
        "median_seconds": round(statistics.median(seconds), 3),
        "max_seconds": round(max(seconds), 3),
    }


def models_for(shop: Shop, spark: bool) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """What to train, Spark first and local ALS last (so ALS serves); what is skipped."""
    chosen = [("itemknn", "local"), ("als", "local")]
    skipped = {}
    if spark:
        chosen.insert(0, ("als", "spark"))
    limit = Settings().recommend.ease_max_items
    if shop.items <= limit:
        chosen.insert(0, ("ease", "local"))
    else:
        gb = shop.items**2 * 4 * 3 / 2**30
        skipped["ease"] = f"{shop.items} items > recommend.ease_max_items {limit} (~{gb:.0f} GB)"
    return chosen, skipped


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(args.tmp)
    resumed = count(args.resume) if args.resume else 0
    if not resumed:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    backends = []
    for name in args.backends.split(","):
        url = f"sqlite:///{folder / 'scale.db'}" if name == "sqlite" else pg_url(not resumed)
        shop = Shop(args.people, args.items, stream=resumed)
        shop.made = resumed  # a resumed stream continues with new event ids
        backend = Backend(name, url, folder / name, shop)
        backend.offered = resumed
        backends.append(backend)
    for b in backends:
        if not resumed:
            b.setup()
    sizes = [count(s) for s in args.events.split(",") if count(s) > resumed]
    chosen, skipped = models_for(backends[0].shop, not args.no_spark)
    workers = [int(w) for w in args.workers.split(",")]
    rows = []
    if resumed and args.out.exists():
        rows = [
            r for r in json.loads(args.out.read_text())["sizes"] if r["events_offered"] <= resumed
        ]
    for size in sizes:
        row: dict[str, Any] = {"events_offered": size, "ingest": {}, "db_mb": {}}
        for b in backends:
            row["ingest"][b.name] = b.ingest_to(size)
            row["db_mb"][b.name] = b.size_mb()
            console.print(f"{size:,} events into {b.name}: {row['ingest'][b.name]}")
        first = backends[0]
        row["train"] = train_all(first, chosen)
        row["train_skipped"] = skipped
        models = first.settings.model_dir
        row["serve"] = serve_all(first, workers, args.duration, folder, models)
        for other in backends[1:]:
            if other.name in args.serve_also.split(","):
                row[f"serve_{other.name}"] = serve_all(
                    other, workers, args.duration, folder, models
                )
        row["erase"] = erase_some(first, first.shop.consented(3, seed=size))
        console.print(f"  erasure: {row['erase']}")
        rows.append(row)
        result = {
            "people": args.people,
            "items": args.items,
            "batch": BATCH,
            "cpus": os.cpu_count(),
            "serve_backend": backends[0].name,
            "sizes": rows,
        }
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")  # so far
    if "postgres" in args.backends and not args.keep:
        drop_pg()
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", default="1M")
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--items", type=int, default=50_000)
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument(
        "--serve-also", default="", help="also serve from these backends (e.g. postgres)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    ap.add_argument(
        "--resume",
        default="",
        help="go on from the databases under --tmp, which hold this many events offered "
        "(a killed or earlier run with --keep); earlier sizes are kept from --out",
    )
    ap.add_argument("--tmp", default="/tmp/tactful-scale")
    ap.add_argument("--out", type=Path, default=RESULTS / "scale.json")
    ap.add_argument("--plot", type=Path, default=RESULTS / "scale.png")
    ap.add_argument("--train-one", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    ap.add_argument("--url", default="", help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.train_one:
        print(json.dumps(train_one(args.url, args.model_dir, args.train_one, args.engine)))
        return 0
    started = time.perf_counter()
    result = run(args)
    result["seconds"] = round(time.perf_counter() - started)
    console.print(table(result))
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    plot(result, args.plot)
    console.print(f"wrote {args.out} and {args.plot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
