"""``GET /metrics`` (Prometheus text format) and the middleware that counts every request
by route template and status and times it (``tactful.app.meters``).

``metrics.access`` decides who may scrape: ``key`` (an operator key with ``read`` as a
bearer token), ``open``, or ``off`` (404). With ``PROMETHEUS_MULTIPROC_DIR`` set (several
workers), the values of every worker are added up."""

from __future__ import annotations

import os
from time import perf_counter
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tactful.app import meters
from tactful.errors import NotFound
from tactful.types import Scope as KeyScope
from tactful.web.deps import bearer_secret, get_app

router = APIRouter(tags=["observability"])
UNMATCHED = "unmatched"
"""The route label of requests no route matched (never the raw path: ids stay out)."""


def registry() -> CollectorRegistry:
    """Tactful's registry, or one that adds up every worker's files."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return meters.REGISTRY
    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)  # type: ignore[no-untyped-call]
    return combined


@router.get("/metrics", include_in_schema=False)  # Prometheus text, for scrapers
def get_metrics(request: Request) -> Response:
    """Every ``tactful_…`` metric in Prometheus format; who may scrape: ``metrics.access``."""
    app = get_app(request)
    access = app.settings.metrics.access
    if access == "off":
        raise NotFound("metrics are off (metrics.access = off)", field="metrics")
    if access == "key":
        app.access.authorize(bearer_secret(request), KeyScope.READ)
    meters.queue_depth(app.exposures.pending())
    return Response(generate_latest(registry()), media_type=CONTENT_TYPE_LATEST)


class Metered:
    """Pure ASGI middleware: one count and one latency observation per HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = _route(scope)
            meters.REQUESTS.labels(route, scope["method"], str(status)).inc()
            meters.LATENCY.labels(route).observe(perf_counter() - started)
            _queue(scope)


def _route(scope: Scope) -> str:
    path: Any = getattr(scope.get("route"), "path", None)
    return str(path) if path else UNMATCHED


def _queue(scope: Scope) -> None:
    tactful = getattr(getattr(scope.get("app"), "state", None), "tactful", None)
    if tactful is not None:
        meters.queue_depth(tactful.exposures.pending())
