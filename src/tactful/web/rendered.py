"""Recommendation bodies rendered once: the serving cache hands back the same
``Recommendation`` object while a person's list holds, so its JSON is kept beside it."""

from __future__ import annotations

import threading

from tactful.app import Recommendation
from tactful.web.schemas import RecommendationsOut


class RenderedBodies:
    """JSON bodies by recommendation identity (the object is held, so its id stays its
    own); at most ``size``, the oldest dropped first."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._bodies: dict[int, tuple[Recommendation, bytes]] = {}
        self._lock = threading.Lock()

    def body(self, rec: Recommendation) -> bytes:
        hit = self._bodies.get(id(rec))
        if hit is not None and hit[0] is rec:
            return hit[1]
        body = RecommendationsOut.of(rec).model_dump_json().encode()
        with self._lock:
            if len(self._bodies) >= self._size:
                del self._bodies[next(iter(self._bodies))]
            self._bodies[id(rec)] = (rec, body)
        return body
