"""Retention: each data category's TTL from settings, exposures and expired signals; models
that learned from deleted events are retrained and their older versions dropped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tactful.store.ports import Stores
from tactful.types import Exposure, Purpose, Signal
from tests.privacy.conftest import NOW, Bed
from tests.privacy.test_withdrawal import model_subjects
from tests.web.conftest import trained

# (type, days ago, expired under the default TTLs?)
AGES = [
    ("view", 400, True), ("view", 100, False),  # behavioral 365 d
    ("purchase", 800, True), ("purchase", 700, False),  # transactional 730 d
    ("rating", 366, True), ("rating", 300, False),  # feedback 365 d
    ("feedback_text", 91, True), ("feedback_text", 89, False),  # text 90 d
    ("location", 31, True), ("location", 29, False),  # location 30 d
    ("social", 91, True), ("social", 10, False),  # social 90 d
]  # fmt: skip


def row(subject: str, kind: str, days: int, item: str = "i1") -> dict[str, Any]:
    out: dict[str, Any] = {
        "event_id": f"{subject}-{kind}-{days}",
        "subject_id": subject,
        "type": kind,
        "occurred_at": (NOW - timedelta(days=days)).isoformat(),
    }
    if kind in ("view", "purchase", "rating"):
        out["item_id"] = item
    if kind == "rating":
        out["value"] = 4
    if kind == "feedback_text":
        out["text"] = "fine"
    return out


def load(bed: Bed) -> None:
    items = [{"item_id": f"i{n}", "title": f"Thing {n}"} for n in range(4)]
    bed.client.put("/v1/items", json={"items": items}, headers=bed.ingest).raise_for_status()
    everything = ["personalization", "emotional_context", "location", "social"]
    for subject in ("fresh", "old", "other"):
        bed.grant(subject, *everything)
    rows = [row("fresh", kind, days) for kind, days, _ in AGES]
    rows += [row("old", "purchase", 900, "i2"), row("old", "view", 500, "i3")]
    rows += [row("other", "purchase", 10, i) for i in ("i1", "i2", "i3")]
    assert bed.events(rows)["rejected"] == []
    trained(bed.client, bed.admin)
    shown = [Exposure("fresh", ("i1",), {}, None, NOW - timedelta(days=d)) for d in (366, 364)]
    bed.app.stores.exposures.add(shown)
    bed.app.stores.signals.put(
        [
            Signal("fresh", "mood", 0.1, Purpose.EMOTIONAL_CONTEXT, NOW, NOW - timedelta(hours=1)),
            Signal(
                "fresh", "distress", 0.2, Purpose.EMOTIONAL_CONTEXT, NOW, NOW + timedelta(days=1)
            ),
        ]
    )


def left(stores: Stores, subject: str) -> list[tuple[str, int]]:
    return sorted(
        (e.type.value, (NOW - e.occurred_at).days) for e in stores.events.for_subject(subject)
    )


def test_retention_deletes_what_expired_and_retrains(bed: Bed) -> None:
    load(bed)
    assert "old" in model_subjects(bed)
    trained = bed.app.models.versions()
    r = bed.client.post("/v1/retention/run", headers=bed.admin)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["by_category"] == {
        "behavioral": 2, "transactional": 2, "feedback": 1, "text": 1, "location": 1, "social": 1,
    }  # fmt: skip
    assert report["deleted"] == {"events": 8, "exposures": 1, "signals": 1}
    assert report["cutoffs"]["text"].startswith((NOW - timedelta(days=90)).date().isoformat())
    kept = [(kind, days) for kind, days, expired in AGES if not expired]
    assert left(bed.app.stores, "fresh") == sorted(kept)
    assert left(bed.app.stores, "old") == []
    assert [x.at for x in bed.app.stores.exposures.for_subject("fresh")] == [
        NOW - timedelta(days=364)
    ]
    assert [s.kind for s in bed.app.stores.signals.for_subject("fresh")] == ["distress"]
    # the models learned from deleted events: retrained, and the old versions are gone
    assert sorted(bed.app.models.versions()) == sorted(report["models_updated"])
    assert not set(trained) & set(bed.app.models.versions())
    assert "old" not in model_subjects(bed)
    actions = [r.entry.action for r in bed.app.stores.audit.records()]
    assert actions[-2:] == ["model.trained", "retention.run"]


def test_a_run_with_nothing_expired_leaves_models_alone(bed: Bed) -> None:
    load(bed)
    bed.client.post("/v1/retention/run", headers=bed.admin).raise_for_status()
    versions = bed.app.models.versions()
    again = bed.client.post("/v1/retention/run", headers=bed.admin).json()
    assert again["deleted"] == {"events": 0, "exposures": 0, "signals": 0}
    assert again["models_updated"] == []
    assert bed.app.models.versions() == versions


def test_ttls_come_from_settings(bed: Bed) -> None:
    load(bed)
    bed.app.settings.retention.behavioral_days = 50
    report = bed.app.rights.run_retention()
    assert report.by_category["behavioral"] == 3  # 400 and 100 days (fresh), 500 (old)
