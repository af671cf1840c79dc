"""The server's collector task freezes what survived and sweeps everything back in."""

import asyncio
import gc

from tactful.web.collector import steady_collector


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle


def test_survivors_are_frozen_and_a_sweep_reclaims_cycles() -> None:
    async def scenario() -> tuple[int, int]:
        gc.unfreeze()
        keep = [object() for _ in range(100)]
        task = asyncio.create_task(steady_collector(seconds=0.01, sweep_seconds=3600))
        await asyncio.sleep(0.05)
        frozen = gc.get_freeze_count()
        task.cancel()
        Node()  # garbage with a cycle, made while frozen objects exist
        task = asyncio.create_task(steady_collector(seconds=0.01, sweep_seconds=0))
        await asyncio.sleep(0.05)
        task.cancel()
        del keep
        return frozen, sum(isinstance(o, Node) for o in gc.get_objects())

    try:
        frozen, nodes_left = asyncio.run(scenario())
    finally:
        gc.unfreeze()
    assert frozen > 100
    assert nodes_left == 0
