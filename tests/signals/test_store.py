"""The SignalStore contract, on memory, SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest

from tactful.errors import InvalidInput
from tactful.store import Stores
from tactful.types import Purpose, Signal

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
EMO = Purpose.EMOTIONAL_CONTEXT
PERS = Purpose.PERSONALIZATION


def sig(kind: str, value: float = 1.0, *, subject: str = "u1", purpose: Purpose = EMO,
        expires: timedelta | None = None) -> Signal:  # fmt: skip
    return Signal(
        subject,
        kind,
        value,
        purpose,
        NOW,
        expires_at=None if expires is None else NOW + expires,
        detail={"phrase": "passed away", "emotions": {"sadness": 0.8}},
        evidence=("e1", "e2"),
    )


def test_put_round_trips_and_replaces_by_kind(stores: Stores) -> None:
    stores.signals.put([sig("mood", -0.5), sig("life_event:bereavement", 0.9)])
    stores.signals.put([sig("mood", -0.7)])
    got = stores.signals.for_subject("u1")
    assert [s.kind for s in got] == ["life_event:bereavement", "mood"]
    mood = got[1]
    assert mood == sig("mood", -0.7)
    assert mood.created_at.tzinfo is not None
    assert stores.signals.for_subject("nobody") == []


def test_expired_signals_are_left_out_only_with_now(stores: Stores) -> None:
    stores.signals.put(
        [sig("a", expires=timedelta(days=1)), sig("b", expires=timedelta(days=-1)), sig("c")]
    )
    assert [s.kind for s in stores.signals.for_subject("u1", now=NOW)] == ["a", "c"]
    assert [s.kind for s in stores.signals.for_subject("u1")] == ["a", "b", "c"]
    later = NOW + timedelta(days=2)
    assert [s.kind for s in stores.signals.for_subject("u1", now=later)] == ["c"]


def test_delete_by_kind_and_purpose(stores: Stores) -> None:
    stores.signals.put(
        [sig("mood"), sig("distress"), sig("fatigue", purpose=Purpose.MESSAGING),
         sig("mood", subject="u2")]
    )  # fmt: skip
    assert stores.signals.delete("u1", kinds=["distress", "absent"]) == 1
    assert stores.signals.delete("u1", purpose=EMO) == 1
    assert [s.kind for s in stores.signals.for_subject("u1")] == ["fatigue"]
    assert stores.signals.delete("u1", kinds=[]) == 0
    assert stores.signals.delete("u1") == 1
    assert [s.kind for s in stores.signals.for_subject("u2")] == ["mood"]


def test_replace_swaps_one_purpose_in_one_go(stores: Stores) -> None:
    stores.signals.put([sig("mood"), sig("life_event:illness"), sig("fatigue", purpose=PERS)])
    deleted = stores.signals.replace("u1", EMO, [sig("mood", 0.3), sig("distress", 0.8)])
    assert deleted == 2
    got = {s.kind: s.value for s in stores.signals.for_subject("u1")}
    assert got == {"distress": 0.8, "fatigue": 1.0, "mood": 0.3}


def test_replace_refuses_foreign_signals_and_writes_nothing(stores: Stores) -> None:
    stores.signals.put([sig("mood")])
    with pytest.raises(InvalidInput):
        stores.signals.replace("u1", EMO, [sig("distress"), sig("mood", subject="u2")])
    with pytest.raises(InvalidInput):
        stores.signals.replace("u1", EMO, [sig("interest:x", purpose=PERS)])
    assert [s.kind for s in stores.signals.for_subject("u1")] == ["mood"]


def test_erasure_reaches_signals(stores: Stores) -> None:
    stores.signals.put([sig("mood"), sig("distress"), sig("mood", subject="u2")])
    counts = stores.erase_subject("u1")
    assert counts["signals"] == 2
    assert stores.signals.for_subject("u1") == []
    assert len(stores.signals.for_subject("u2")) == 1
    assert stores.personal_tables()["signals"] == "subject_id"


def test_naive_timestamps_are_refused(stores: Stores) -> None:
    naive = Signal("u1", "mood", 0.1, EMO, datetime(2026, 6, 1))
    with pytest.raises(InvalidInput):
        stores.signals.put([naive])
