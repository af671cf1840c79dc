"""A cheap open-loop HTTP/1.1 load generator for ``soak.py``: keep-alive connections on
asyncio streams (uvloop when installed), requests pre-formatted as bytes, only the status line
and the body's length parsed. httpx cost the soak's own process about as much CPU per request
as the server's event batch, on a machine where both share two cores; this costs a tenth.

Open loop: request *i* is due at ``i / rate`` seconds; it waits in a queue for a free
connection if all are busy, and its latency counts from when it was due, so a server that
falls behind shows as latency, never as a politer rate.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

TIMEOUT = 30.0


@dataclass
class Tally:
    """One run's counters."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


class Connection:
    """One keep-alive connection; reopened after any failure."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> int:
        """Send one request and read its whole response; the status code."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        at = lower.find(b"\r\ncontent-length:")
        if at >= 0:
            end = lower.index(b"\r\n", at + 2)
            await self.reader.readexactly(int(lower[at + 17 : end]))
        elif b"\r\ntransfer-encoding: chunked" in lower:
            await self._chunks()
        if b"\r\nconnection: close" in lower:
            self.close()
        return status

    async def _chunks(self) -> None:
        assert self.reader is not None
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await self.reader.readexactly(size + 2)
            if size == 0:
                return

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _worker(
    conn: Connection, queue: asyncio.Queue[tuple[float, bytes]], tally: Tally
) -> None:
    while True:
        due, request = await queue.get()
        try:
            async with asyncio.timeout(TIMEOUT):
                status = await conn.send(request)
            if status >= 400:
                tally.error(str(status))
        except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as exc:
            tally.error(type(exc).__name__)
            conn.close()
        tally.latencies.append(time.monotonic() - due)
        queue.task_done()


async def drive(
    host: str,
    port: int,
    requests: Callable[[int], bytes],
    *,
    rate: float,
    total: int,
    connections: int = 64,
) -> tuple[Tally, float]:
    """Send ``requests(i)`` for i in 0..total-1 at ``rate`` per second over ``connections``
    keep-alive connections; the tally and the seconds until the last answer."""
    tally = Tally()
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
    pool = [Connection(host, port) for _ in range(connections)]
    workers = [asyncio.create_task(_worker(c, queue, tally)) for c in pool]
    t0 = time.monotonic()
    for n in range(total):
        due = t0 + n / rate
        ahead = due - time.monotonic()
        if ahead > 0.002:  # a timer per request would cost more than the request
            await asyncio.sleep(ahead)
        queue.put_nowait((due, requests(n)))
    await queue.join()
    elapsed = time.monotonic() - t0
    for w in workers:
        w.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    for c in pool:
        c.close()
    return tally, elapsed


def run(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on uvloop when it is installed (uvicorn[standard] brings it)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)
