"""Connection health on the hand-computed fixture (tests/insights/fixture.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tactful.errors import InvalidInput
from tactful.insights.report import health_report
from tactful.insights.window import Window, week_label, window_ending
from tests.insights.fixture import END, START, WINDOW, rows


def test_the_window_splits_into_clipped_iso_weeks() -> None:
    w = Window(datetime(2026, 3, 4, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC))
    (w10, p10), (w11, p11) = w.weeks()
    assert (w10, w11) == ("2026-W10", "2026-W11")
    assert (p10.start, p10.end) == (w.start, datetime(2026, 3, 9, tzinfo=UTC))
    assert (p11.start, p11.end) == (datetime(2026, 3, 9, tzinfo=UTC), w.end)
    assert week_label(datetime(2027, 1, 1, tzinfo=UTC)) == "2026-W53"
    assert window_ending(END, 14) == WINDOW


@pytest.mark.parametrize("days", [0, -3, 367])
def test_days_out_of_range_names_the_field(days: int) -> None:
    with pytest.raises(InvalidInput) as err:
        window_ending(END, days)
    assert err.value.field == "days"


def test_every_kpi_over_the_window() -> None:
    kpis = health_report(rows(), WINDOW, min_people=2)["kpis"]
    assert kpis["people_active"] == 3  # a, b (events) and c (exposure); d's events: no analytics
    assert kpis["withdrawals"] == 2  # a (messaging), d (analytics)
    assert kpis["withdrawal_rate"] == pytest.approx(2 / 3, abs=1e-6)  # a, b, d had a grant
    assert kpis["consent_rate"] == {
        "personalization": pytest.approx(1 / 3, abs=1e-6),
        "messaging": 0.0,
        "emotional_context": pytest.approx(1 / 3, abs=1e-6),
        "location": 0.0,
        "social": 0.0,
        "community": 0.0,
        "analytics": pytest.approx(2 / 3, abs=1e-6),
    }
    assert (kpis["exposures"], kpis["dismissals"], kpis["dismissal_rate"]) == (4, 2, 0.5)
    assert kpis["anonymous_responses"] == 7  # Mar 2 and Mar 15; Mar 16 is past the end
    assert (kpis["messages_sent"], kpis["complaints"], kpis["complaint_rate"]) == (5, 1, 0.2)
    assert kpis["messages_per_person_week"] == {"p50": 1.25, "p95": 1.475, "max": 1.5}
    assert kpis["suppressed_by_reason"] == {"consent": 1, "quiet_hours": 2}
    assert kpis["fatigued_people"] == 1
    assert kpis["handoffs"] == {
        "opened": 3,
        "resolved": 2,
        "open_now": 2,
        "median_hours_to_resolve": 36.0,
    }
    assert kpis["mood_trend"] == {"mean": -0.025, "change_per_week": 0.25}
    assert kpis["personalized_share"] == 0.5
    assert kpis["held_back_by_kind"] == {"budget": 3, "sensitive": 1}


def test_weekly_series() -> None:
    report = health_report(rows(), WINDOW, min_people=2)
    assert report["window"] == {"start": START, "end": END}
    series = {k: [(p["week"], p["value"]) for p in v] for k, v in report["series"].items()}
    assert series["people_active"] == [("2026-W10", 2), ("2026-W11", 2)]
    assert series["withdrawals"] == [("2026-W10", 1), ("2026-W11", 1)]
    assert series["withdrawal_rate"] == [("2026-W10", 0.333333), ("2026-W11", 0.333333)]
    assert series["exposures"] == [("2026-W10", 2), ("2026-W11", 2)]
    assert series["dismissal_rate"] == [("2026-W10", 0.5), ("2026-W11", 0.5)]
    assert series["messages_sent"] == [("2026-W10", 3), ("2026-W11", 2)]
    # W11: only b was sent anything, one person: withheld.
    assert series["complaint_rate"] == [("2026-W10", 0.333333), ("2026-W11", None)]
    assert series["personalized_share"] == [("2026-W10", 0.5), ("2026-W11", 0.5)]
    assert series["mood_trend"] == [("2026-W10", -0.15), ("2026-W11", 0.1)]
    assert series["handoffs_opened"] == [("2026-W10", 1), ("2026-W11", 2)]


def test_nothing_about_fewer_than_min_people() -> None:
    kpis = health_report(rows(), WINDOW, min_people=3)["kpis"]
    assert kpis["withdrawal_rate"] == pytest.approx(2 / 3, abs=1e-6)  # 3 people granted
    assert kpis["dismissal_rate"] == 0.5  # 3 people exposed
    assert kpis["complaint_rate"] is None  # 2 people sent anything
    assert kpis["messages_per_person_week"] == {"p50": None, "p95": None, "max": None}
    assert kpis["mood_trend"] == {"mean": None, "change_per_week": None}
    assert kpis["handoffs"]["median_hours_to_resolve"] is None
    # Counts are not figures about a person: they stay.
    assert (kpis["withdrawals"], kpis["complaints"], kpis["messages_sent"]) == (2, 1, 5)
    empty = health_report(rows(), WINDOW, min_people=100)["kpis"]
    assert set(empty["consent_rate"].values()) == {None}
