"""From events to weighted interactions: type weights, ratings, dismissals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tactful.errors import InvalidInput
from tactful.recommend.weighting import (
    history_from_events,
    interactions_from_events,
    interactions_from_rows,
)
from tactful.settings import DEFAULT_EVENT_WEIGHTS
from tactful.types import Event, EventType

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def ev(
    n: int, subject: str, kind: EventType, item: str | None, value: float | None = None
) -> Event:
    return Event(f"e{n}", subject, kind, T0, item_id=item, value=value)


EVENTS = [
    ev(1, "u1", EventType.PURCHASE, "p"),
    ev(2, "u1", EventType.ADD_TO_CART, "c"),
    ev(3, "u1", EventType.CLICK, "k"),
    ev(4, "u1", EventType.VIEW, "v"),
    ev(5, "u1", EventType.VIEW, "v"),
    ev(6, "u1", EventType.RATING, "r", 4.0),
    ev(7, "u1", EventType.VIEW, "d"),
    ev(8, "u1", EventType.DISMISS, "d"),
    ev(9, "u1", EventType.SEARCH, None),
    ev(10, "u1", EventType.FEEDBACK_TEXT, "p"),
    ev(11, "u2", EventType.DISMISS, "p"),
]


def test_types_weigh_differently_and_dismissals_subtract() -> None:
    data = interactions_from_events(EVENTS, DEFAULT_EVENT_WEIGHTS, 5.0)
    assert data.subjects == ("u1",)  # u2 only dismissed: nothing left
    got = data.history_of("u1")
    assert got == pytest.approx({"p": 5.0, "c": 3.0, "k": 1.5, "v": 2.0, "r": 0.8})
    assert got["p"] > got["c"] > got["k"] > DEFAULT_EVENT_WEIGHTS["view"]
    assert "d" not in got  # view 1.0 - dismiss 2.0 <= 0


def test_the_item_universe_adds_columns() -> None:
    data = interactions_from_events(EVENTS[:1], item_universe=["p", "brand-new"])
    assert data.items == ("brand-new", "p")


def test_serving_history_uses_the_same_rule() -> None:
    training = interactions_from_events(EVENTS, DEFAULT_EVENT_WEIGHTS, 5.0).history_of("u1")
    serving = history_from_events([e for e in EVENTS if e.subject_id == "u1"])
    assert serving == pytest.approx(training)


def test_bad_input_names_the_field() -> None:
    cases = [
        (lambda: interactions_from_events(EVENTS, {"nope": 1.0}, 5.0), "weights.nope"),
        (lambda: interactions_from_events(EVENTS, {"view": float("nan")}, 5.0), "weights.view"),
        (lambda: interactions_from_events(EVENTS, DEFAULT_EVENT_WEIGHTS, 0.0), "rating_scale"),
        (
            lambda: history_from_events([EVENTS[0], ev(2, "u1", EventType.RATING, "r")]),
            "events[1].value",
        ),
    ]
    for call, field in cases:
        with pytest.raises(InvalidInput) as err:
            call()
        assert err.value.field == field


def rows_of(events: list[Event]) -> list[tuple[str, str, str, float | None]]:
    return [(e.subject_id, e.item_id, e.type.value, e.value) for e in events if e.item_id]


def test_rows_give_the_events_matrix_for_the_subjects_asked_for() -> None:
    others = [ev(20, "u3", EventType.PURCHASE, "p"), ev(21, "u3", EventType.VIEW, "k")]
    read = interactions_from_rows(rows_of(EVENTS + others), {"u1", "u2"}, item_universe=["z"])
    expected = interactions_from_events(EVENTS, item_universe=["z"])
    assert read.interactions.subjects == expected.subjects == ("u1",)
    assert read.interactions.items == expected.items
    assert (read.interactions.matrix != expected.matrix).nnz == 0
    assert read.rows_read == 10  # u1's nine rows that name an item, u2's one; not u3's
    assert interactions_from_rows(rows_of(EVENTS), set()).interactions.nnz == 0


def test_rows_reject_a_rating_without_a_value_by_its_position() -> None:
    rows = rows_of([EVENTS[0], ev(2, "u1", EventType.RATING, "r")])
    with pytest.raises(InvalidInput) as err:
        interactions_from_rows(rows, {"u1"})
    assert err.value.field == "events[1].value"
