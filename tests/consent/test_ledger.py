from datetime import UTC, datetime, timedelta

import pytest

from tactful.consent import ConsentPolicy, fold, granted_purposes, record
from tactful.errors import InvalidInput
from tactful.types import DataCategory, Decision, EventType, Purpose

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_fold_starts_unset_for_every_purpose() -> None:
    state = fold([])
    assert set(state) == set(Purpose)
    assert all(d is Decision.UNSET for d in state.values())


def test_latest_decision_wins_and_withdrawal_takes_effect() -> None:
    history = [
        record("u1", "personalization", "granted", at=T0),
        record("u1", "messaging", "granted", at=T0),
        record("u1", "personalization", "denied", at=T0 + timedelta(days=1)),
    ]
    state = fold(history)
    assert state[Purpose.PERSONALIZATION] is Decision.DENIED
    assert granted_purposes(state) == {Purpose.MESSAGING}


def test_out_of_order_history_folds_by_time() -> None:
    late = record("u1", "analytics", "denied", at=T0 + timedelta(hours=1))
    early = record("u1", "analytics", "granted", at=T0)
    assert fold([late, early])[Purpose.ANALYTICS] is Decision.DENIED


@pytest.mark.parametrize(
    ("purpose", "decision", "field"),
    [
        ("marketing", "granted", "decisions[3].purpose"),
        ("analytics", "maybe", "decisions[3].decision"),
        ("analytics", "unset", "decisions[3].decision"),
    ],
)
def test_bad_records_name_the_field(purpose: str, decision: str, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        record("u1", purpose, decision, at=T0, index=3)
    assert err.value.field == field


def test_policy_maps_categories_to_purposes() -> None:
    policy = ConsentPolicy()
    assert policy.purposes_for(DataCategory.TEXT) == {Purpose.EMOTIONAL_CONTEXT}
    assert EventType.PURCHASE in policy.event_types_for(Purpose.PERSONALIZATION)
    assert EventType.FEEDBACK_TEXT not in policy.event_types_for(Purpose.PERSONALIZATION)
    assert policy.required_purpose(DataCategory.BEHAVIORAL) is Purpose.PERSONALIZATION
    assert policy.required_purpose(DataCategory.LOCATION) is Purpose.LOCATION
    assert policy.covering_purpose(DataCategory.BEHAVIORAL, frozenset({Purpose.ANALYTICS})) is (
        Purpose.ANALYTICS
    )
