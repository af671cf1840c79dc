"""Keeping the garbage collector's pauses out of the tail latency.

A server's long-lived objects (the catalogue, the loaded models, the serving cache's
entries) are what a full collection spends its time on: ~150 ms over a cached MovieLens,
every few thousand requests, which is the p99 at one connection. The serving path creates
no reference cycles (measured: 0 cyclic objects in 3,000 requests), so what the young
generations hand over is live data. ``steady_collector`` therefore moves it out of the
collector's view every ``seconds`` (``gc.freeze``, after a young collection), and once every
``sweep_seconds`` takes everything back and runs one full collection, so that any cycle that
did slip through is reclaimed within that time.
"""

from __future__ import annotations

import asyncio
import gc
import time


async def steady_collector(seconds: float = 1.0, sweep_seconds: float = 600.0) -> None:
    """Run until cancelled (a lifespan task of the server)."""
    swept = time.monotonic()
    while True:
        await asyncio.sleep(seconds)
        if time.monotonic() - swept >= sweep_seconds:
            gc.unfreeze()
            gc.collect()
            swept = time.monotonic()
        else:
            gc.collect(1)
        gc.freeze()
