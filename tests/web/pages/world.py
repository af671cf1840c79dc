"""A small shop whose right answers are known, for the person's pages: runners buy running
things, campers camp; Ann (a runner) and Bob (a camper) granted everything, Bob wrote that
his father died (a bereavement only his page may show), Ann has a message decided."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tactful.app import Tactful
from tactful.types import Item

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
RUN = [f"run{i}" for i in range(8)]
CAMP = [f"camp{i}" for i in range(8)]
ANN, BOB = "ann", "bob"
RUNNERS = [ANN, *(f"r{n}" for n in range(2, 10))]
CAMPERS = [BOB, *(f"c{n}" for n in range(2, 10))]
EVERYTHING = ["personalization", "messaging", "emotional_context", "analytics"]
BOB_TEXT = "My father passed away last week and I cannot think about camping right now."
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def items() -> list[Item]:
    out = [
        Item(
            i,
            f"Trail shoe {i[-1]}",
            categories=("running",),
            values=("sustainability",) if int(i[-1]) % 2 else (),
        )
        for i in RUN
    ]
    out += [Item(i, f"Tent {i[-1]}", categories=("camping",), values=("repair",)) for i in CAMP]
    return out


def _purchases(subject: str, pool: list[str], n: int) -> list[dict[str, Any]]:
    return [
        {
            "event_id": f"{subject}-{item}",
            "subject_id": subject,
            "type": "purchase",
            "item_id": item,
            "occurred_at": (NOW - timedelta(days=3 + k)).isoformat(),
        }
        for k, item in enumerate(pool)
        if (k + n) % 3 != 0  # everyone skips a few, so each has something left to buy
    ]


def seed(app: Tactful) -> None:
    """The whole shop through the Python API, then a trained model."""
    app.catalogue.upsert(items())
    events: list[dict[str, Any]] = []
    for n, subject in enumerate(RUNNERS + CAMPERS):
        purposes = EVERYTHING if subject in (ANN, BOB) else ["personalization"]
        app.consents.record(subject, [{"purpose": p, "decision": "granted"} for p in purposes])
        events += _purchases(subject, RUN if subject in RUNNERS else CAMP, n)
    events.append(
        {
            "event_id": "bob-text",
            "subject_id": BOB,
            "type": "support_message",
            "text": BOB_TEXT,
            "occurred_at": (NOW - timedelta(days=1)).isoformat(),
        }
    )
    report = app.ingestion.record(events)
    assert report.ok, report.rejected
    app.training.train()
    app.contact.decide(
        ANN,
        {
            "message_id": "spring-sale",
            "kind": "promotional",
            "channel": "email",
            "topic": "running",
        },
    )


def csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)
