"""Consent withdrawal reaches the data, the signals and the models at once."""

from __future__ import annotations

from typing import Any

import pytest

from tactful.recommend.model import VectorModel
from tests.privacy.conftest import OTHERS, TARGET, Bed, purchase, seed


def model_subjects(bed: Bed, name: str = "ease") -> tuple[str, ...]:
    latest = bed.app.models.latest(name)
    assert latest is not None
    model, _ = bed.app.models.load(latest)
    assert isinstance(model, VectorModel)
    return model.interactions_.subjects


def recs(bed: Bed, subject: str) -> dict[str, Any]:
    r = bed.client.get(f"/v1/subjects/{subject}/recommendations", headers=bed.read)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def events_of(bed: Bed, subject: str) -> list[str]:
    return sorted(e.type.value for e in bed.app.stores.events.for_subject(subject))


def test_withdrawing_personalization_forgets_the_person_everywhere(bed: Bed) -> None:
    seed(bed)
    assert recs(bed, TARGET)["personalized"] is True
    assert TARGET in model_subjects(bed)
    bed.grant(TARGET, "personalization", decision="denied")
    after = recs(bed, TARGET)
    assert after["personalized"] is False
    assert TARGET not in model_subjects(bed)
    assert TARGET not in model_subjects(bed, "popularity")
    assert set(model_subjects(bed)) == set(OTHERS)
    assert len(bed.app.models.versions()) == 2
    # purchases were covered only by personalization (analytics was never granted) ...
    assert events_of(bed, TARGET) == ["feedback_text"]  # ... text still is, by emotional_context
    assert [s.kind for s in bed.app.stores.signals.for_subject(TARGET)] == ["mood"]


def test_data_another_granted_purpose_covers_is_kept(bed: Bed) -> None:
    seed(bed)
    bed.grant(OTHERS[0], "analytics")
    bed.grant(OTHERS[0], "personalization", decision="denied")
    assert events_of(bed, OTHERS[0]) == ["purchase"] * 4  # analytics still covers them
    assert OTHERS[0] not in model_subjects(bed)  # but models train on personalization only


def test_withdrawing_emotional_context_deletes_mood_and_texts(bed: Bed) -> None:
    seed(bed)
    versions = bed.app.models.versions()
    bed.grant(TARGET, "emotional_context", decision="denied")
    assert bed.app.stores.signals.for_subject(TARGET) == []
    assert events_of(bed, TARGET) == ["purchase"] * 3
    assert bed.app.models.versions() == versions  # models are not touched
    assert recs(bed, TARGET)["personalized"] is True


def test_a_repeated_denial_finishes_the_job_without_touching_models(bed: Bed) -> None:
    seed(bed)
    bed.grant(TARGET, "personalization", decision="denied")
    versions = bed.app.models.versions()
    # data slipped in under the old state (e.g. a crash between the ledger and the deletes)
    bed.app.stores.events.add([_event(purchase(TARGET, "i9"))])
    bed.grant(TARGET, "personalization", decision="denied")
    assert events_of(bed, TARGET) == ["feedback_text"]
    assert bed.app.models.versions() == versions


def _event(row: dict[str, Any]) -> Any:
    from datetime import datetime

    from tactful.types import Event, EventType

    return Event(
        row["event_id"], row["subject_id"], EventType(row["type"]),
        datetime.fromisoformat(row["occurred_at"]), row["item_id"],
    )  # fmt: skip


@pytest.mark.parametrize("decision", ["granted", "denied"])
def test_consent_changes_are_audited_with_their_consequences(bed: Bed, decision: str) -> None:
    seed(bed)
    bed.grant(TARGET, "personalization", decision=decision)
    last = list(bed.app.stores.audit.records())[-1].entry
    assert last.action == "consent.recorded"
    assert last.pseudonym == bed.app.keyring.pseudonym(TARGET)
    assert last.detail["decisions"] == [{"purpose": "personalization", "decision": decision}]
    if decision == "denied":
        assert last.detail["withdrawn"] == ["personalization"]
        assert last.detail["events_deleted"] == 3
        assert len(last.detail["models_updated"]) == 2
    else:
        assert last.detail["withdrawn"] == [] and last.detail["models_updated"] == []
