"""Prometheus meters of the application, every one named ``tactful_…`` (served at
``GET /metrics``, docs/insights.md, observability). Counting is the app layer's business,
never the core's: the services call these after they act.

With several workers, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory shared by them
before they start: prometheus-client then keeps each worker's values in files there and
``/metrics`` adds them up (``MultiProcessCollector``)."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from tactful.ingest.report import IngestReport
from tactful.records import ContactDecision
from tactful.types import HeldBack

REGISTRY = CollectorRegistry()
"""Only Tactful's meters (no process_ or python_ collectors): every name is ``tactful_…``."""
REQUESTS = Counter(
    "tactful_http_requests",
    "HTTP requests by route template, method and status",
    ["route", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "tactful_http_request_seconds",
    "HTTP request latency by route template",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
INGESTED = Counter(
    "tactful_ingest_events",
    "Events ingested: accepted, or rejected by reason",
    ["result", "reason"],
    registry=REGISTRY,
)
DECISIONS = Counter(
    "tactful_contact_decisions", "Contact decisions by verdict", ["verdict"], registry=REGISTRY
)
HELD_BACK = Counter(
    "tactful_held_back_items",
    "Items the guards held back, by guard kind",
    ["guard"],
    registry=REGISTRY,
)
CACHE = Counter(
    "tactful_serving_cache_lookups",
    "Serving cache look-ups: hit or miss",
    ["result"],
    registry=REGISTRY,
)
QUEUE = Gauge(
    "tactful_exposure_queue_depth",
    "Exposures queued, not yet written (summed over live workers)",
    multiprocess_mode="livesum",
    registry=REGISTRY,
)


def reason_kind(reason: str) -> str:
    """The stable part of a rejection reason (``invalid:type: ...`` -> ``invalid:type``),
    so the label never carries a message, a value or an id."""
    head = reason.split(" ", 1)[0].rstrip(":")
    return ":".join(head.split(":")[:2])[:64]


def ingested(report: IngestReport) -> None:
    if report.accepted:
        INGESTED.labels("accepted", "").inc(report.accepted)
    for r in report.rejected:
        INGESTED.labels("rejected", reason_kind(r.reason)).inc()


def decided(decisions: Iterable[ContactDecision]) -> None:
    for d in decisions:
        DECISIONS.labels(d.verdict.value).inc()


def held_back(held: Iterable[HeldBack]) -> None:
    for h in held:
        if h.count > 0:
            HELD_BACK.labels(h.kind).inc(h.count)


def cache_lookup(hit: bool) -> None:
    CACHE.labels("hit" if hit else "miss").inc()


def queue_depth(pending: int) -> None:
    QUEUE.set(pending)
