"""Recommendation bodies rendered once: the serving cache hands back the same
``Recommendation`` object while a person's list holds, so its JSON is kept beside it.

A body lives exactly as long as its ``Recommendation`` (a weak reference drops it when the
object goes), so what is kept is bounded by the serving cache (``recommend.cache_size``):
with the cache off, nothing is kept. Holding the objects themselves, as this did before,
kept up to 20,000 lists alive after the cache had let them go, and a server's memory grew
for as long as it ran under load."""

from __future__ import annotations

import weakref
from contextlib import suppress

from tactful.app import Recommendation
from tactful.web.schemas import RecommendationsOut


class RenderedBodies:
    """JSON bodies by recommendation identity, for as long as the recommendation lives;
    at most ``size`` (the oldest dropped first)."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._bodies: dict[int, tuple[weakref.ref[Recommendation], bytes]] = {}

    def __len__(self) -> int:
        return len(self._bodies)

    def body(self, rec: Recommendation) -> bytes:
        key = id(rec)
        hit = self._bodies.get(key)
        if hit is not None and hit[0]() is rec:
            return hit[1]
        body = RecommendationsOut.of(rec).model_dump_json().encode()
        if self._size:
            self._keep(key, rec, body)
        return body

    def _keep(self, key: int, rec: Recommendation, body: bytes) -> None:
        bodies = self._bodies

        def gone(ref: weakref.ref[Recommendation]) -> None:
            # Runs wherever the object dies; no lock (dict operations are atomic), and only
            # this entry: a later object at the same address has its own reference.
            found = bodies.get(key)
            if found is not None and found[0] is ref:
                bodies.pop(key, None)

        if len(bodies) >= self._size:
            with suppress(StopIteration, RuntimeError):  # emptied or changed meanwhile
                bodies.pop(next(iter(bodies)), None)
        bodies[key] = (weakref.ref(rec, gone), body)
