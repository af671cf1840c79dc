from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tactful.errors import InvalidInput
from tactful.ingest import parse_event
from tactful.types import EventType

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def row(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": "e1",
        "subject_id": "u1",
        "type": "purchase",
        "item_id": "i1",
        "occurred_at": "2026-06-01T10:00:00+02:00",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def test_valid_row_parses_with_aware_time() -> None:
    e = parse_event(row(value=2), now=NOW)
    assert e.type is EventType.PURCHASE
    assert e.occurred_at == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert e.value == 2.0


def test_missing_time_defaults_to_now() -> None:
    assert parse_event(row(occurred_at=None), now=NOW).occurred_at == NOW


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"type": "teleport"}, "type"),
        ({"type": None}, "type"),
        ({"event_id": None}, "event_id"),
        ({"subject_id": 7}, "subject_id"),
        ({"occurred_at": "2026-06-01T10:00:00"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": (NOW + timedelta(minutes=6)).isoformat()}, "occurred_at"),
        ({"item_id": None}, "item_id"),
        ({"type": "rating"}, "value"),
        ({"value": "lots"}, "value"),
        ({"value": True}, "value"),
        ({"value": float("nan")}, "value"),
        ({"type": "support_message", "item_id": None}, "text"),
        ({"colour": "red"}, "colour"),
        ({"text": "x" * 10_001}, "text"),
    ],
)
def test_malformed_rows_name_the_field(over: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_event(row(**over), now=NOW)
    assert err.value.field == field


def test_four_minutes_ahead_is_tolerated() -> None:
    at = (NOW + timedelta(minutes=4)).isoformat()
    assert parse_event(row(occurred_at=at), now=NOW).occurred_at > NOW


def test_non_object_row_is_rejected() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_event(["e1", "u1"], now=NOW)
    assert err.value.field == "event"
