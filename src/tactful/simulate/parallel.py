"""Policies and runs in several processes: each world is independent and seeded, so the
result is the one a single process gives; progress comes back through a queue."""

from __future__ import annotations

import multiprocessing
import queue as queues
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from tactful.simulate.policy import Policy
from tactful.simulate.runner import Config, run_policy


def _task(policy: Policy, config: Config, seed: int, ticks: Any) -> dict[str, Any]:
    return run_policy(policy, config, seed, lambda: ticks.put(1))


def in_parallel(
    policies: Sequence[Policy], config: Config, tick: Callable[[], None]
) -> list[dict[str, dict[str, Any]]]:
    """Every (run, policy) as a task on ``config.workers`` spawned processes."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(config.workers, context) as pool:
        ticks = manager.Queue()
        futures: list[list[Future[dict[str, Any]]]] = [
            [pool.submit(_task, p, config, config.seed + r, ticks) for p in policies]
            for r in range(config.runs)
        ]
        pending = [f for row in futures for f in row]
        while any(not f.done() for f in pending) or not ticks.empty():
            try:
                ticks.get(timeout=0.2)
            except queues.Empty:
                continue
            tick()
        return [{p.name: f.result() for p, f in zip(policies, row, strict=True)} for row in futures]
