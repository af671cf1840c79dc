"""Rectification: a removed inference stops influencing the person; declared data is
corrected by replacing it."""

from __future__ import annotations

from tactful.types import Purpose, Signal
from tests.privacy.conftest import NOW, TARGET, Bed, seed


def signals(bed: Bed) -> dict[str, float]:
    r = bed.client.get(f"/v1/subjects/{TARGET}/signals", headers=bed.read)
    assert r.status_code == 200, r.text
    return {s["kind"]: s["value"] for s in r.json()["signals"]}


def interest_reasons(bed: Bed) -> set[str]:
    r = bed.client.get(f"/v1/subjects/{TARGET}/recommendations", headers=bed.read)
    return {x["text"] for item in r.json()["items"] for x in item["reasons"]
            if x["kind"] == "matches_interest"}  # fmt: skip


def test_removing_an_inferred_interest_overrides_it(bed: Bed) -> None:
    seed(bed)
    assert signals(bed)["interest:even"] > 0
    assert "Matches your interest in even" in interest_reasons(bed)
    r = bed.client.delete(f"/v1/subjects/{TARGET}/signals/interest:even", headers=bed.ingest)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "subject_id": TARGET, "signal": "interest:even", "signals_deleted": 0,
        "events_deleted": 0, "corrected": True,
    }  # fmt: skip
    assert signals(bed)["interest:even"] == 0.0
    profile = bed.app.profiles.profile(TARGET)
    assert "even" not in profile.interests
    correction = profile.get("interest:even")
    assert correction is not None and correction.detail == {"corrected": True}
    assert "Matches your interest in even" not in interest_reasons(bed)
    # the purchases behind it stay: the person corrected an inference, not their history
    assert len(bed.app.stores.events.for_subject(TARGET)) == 4


def test_removing_a_stored_inference_deletes_its_evidence(bed: Bed) -> None:
    seed(bed)
    bed.app.stores.signals.put(
        [Signal(TARGET, "life_event:bereavement", 0.9, Purpose.EMOTIONAL_CONTEXT, NOW,
                evidence=("t-text",))]
    )  # fmt: skip
    path = f"/v1/subjects/{TARGET}/signals/life_event:bereavement"
    r = bed.client.delete(path, headers=bed.ingest)
    assert r.status_code == 200
    assert r.json()["signals_deleted"] == 1 and r.json()["events_deleted"] == 1
    kinds = [s.kind for s in bed.app.stores.signals.for_subject(TARGET)]
    assert kinds == ["mood"]
    assert [e.type.value for e in bed.app.stores.events.for_subject(TARGET)] == ["purchase"] * 3
    assert bed.client.delete(path, headers=bed.ingest).status_code == 404


def test_unknown_signals_are_404_and_audit_names_no_kind(bed: Bed) -> None:
    seed(bed)
    r = bed.client.delete(f"/v1/subjects/{TARGET}/signals/recency", headers=bed.ingest)
    assert r.status_code == 404 and r.json()["field"] == "signal"
    bed.client.delete(f"/v1/subjects/{TARGET}/signals/mood", headers=bed.ingest)
    last = list(bed.app.stores.audit.records())[-1].entry
    assert last.action == "signal.corrected"
    assert "mood" not in str(last.detail)
