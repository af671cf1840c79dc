"""Simulator benchmark: simulated people × weeks for two policies (tactful, baseline)
through the real application in memory, timed per policy-week, with the cost per
person-week and an extrapolation to the issue's size (5,000 people × 26 weeks, two
policies, target ≤ 10 minutes on 2 cores).

The cost of one person-week is also given in units of one real recommendation request
measured in the same run (the simulator's main work is serving each visit's list), so the
figure carries over between machines better than seconds do.

    python benchmarks/simulate.py                      # 5,000 × 26 (the target size)
    python benchmarks/simulate.py --people 1000 --weeks 8

Writes ``benchmarks/results/simulate.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tactful.simulate import Behaviour, Config, load_policy, simulate
from tactful.simulate.people import from_shop
from tactful.simulate.runner import START, demo_shop
from tactful.simulate.world import open_world

RESULTS = Path(__file__).resolve().parent / "results" / "simulate.json"
TARGET = {"people": 5000, "weeks": 26, "policies": 2, "seconds": 600.0}


def recommend_cost(people: int) -> float:
    """Seconds per real recommendation request on a seeded demo shop of this size."""
    shop = demo_shop(0, people)
    b = Behaviour()
    world = open_world(
        load_policy("tactful"),
        shop,
        from_shop(shop, np.random.default_rng(1), b),
        b,
        seed=0,
        start=START,
    )
    subjects = shop.subjects[:300]
    t = time.perf_counter()
    for s in subjects:
        world.app.recommendations.recommend(s, limit=b.list_length)
    return (time.perf_counter() - t) / len(subjects)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=TARGET["people"])
    parser.add_argument("--weeks", type=int, default=TARGET["weeks"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1, help="processes (one per policy)")
    args = parser.parse_args()
    console = Console()
    config = Config(people=args.people, weeks=args.weeks, seed=args.seed, workers=args.workers)
    stamps: list[float] = []
    t0 = time.perf_counter()
    columns = (TextColumn("policy-weeks"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("sim", total=None)

        def progress(done: int, total: int) -> None:
            stamps.append(time.perf_counter() - t0)
            bar.update(task, completed=done, total=total)

        result = simulate(config, progress)
    total = time.perf_counter() - t0
    person_weeks = args.people * args.weeks * len(config.policies)
    per = total / person_weeks
    weekly = [b - a for a, b in zip([0.0, *stamps], stamps, strict=False)]
    one_rec = recommend_cost(args.people)
    target_pw = TARGET["people"] * TARGET["weeks"] * TARGET["policies"]
    out = {
        "people": args.people,
        "weeks": args.weeks,
        "policies": list(config.policies),
        "workers": args.workers,
        "seconds": round(total, 1),
        "person_weeks": person_weeks,
        "ms_per_person_week": round(per * 1000, 3),
        "policy_week_seconds": {"first": round(weekly[0], 2), "last": round(weekly[-1], 2)},
        "ms_per_recommendation": round(one_rec * 1000, 3),
        "recommendations_per_person_week": round(per / one_rec, 2),
        "extrapolated_target_seconds": round(per * target_pw, 0),
        "target_seconds": TARGET["seconds"],
        "summary": {n: p["summary"] for n, p in result["policies"].items()},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    console.print_json(json.dumps(out))


if __name__ == "__main__":
    main()
