"""Alerts on the hand-computed fixture: the last 7 days are 2026-W11, the 7 before W10."""

from __future__ import annotations

import pytest

from tactful.insights.alerts import alerts, withdrawal_rise
from tactful.settings import InsightsSettings
from tests.insights.fixture import END, rows


def by_name(settings: InsightsSettings) -> dict[str, dict[str, object]]:
    return {a.name: a.to_dict() for a in alerts(rows(), END, settings, default_cap=3)}


def test_which_alerts_are_crossed_now() -> None:
    got = by_name(InsightsSettings(min_people=1, alert_messages_p95=1.5))
    # W11: b was sent 2 messages in one week; 2 > 1.5.
    assert got["messages_p95"]["crossed"] is True
    assert got["messages_p95"]["value"] == 2.0
    assert "above 1.5 messages per person-week: 2 messages" in str(got["messages_p95"]["reason"])
    # W11: 1 dismissal over 2 exposures = 50 % > 25 %.
    assert (got["dismissal_rate"]["crossed"], got["dismissal_rate"]["value"]) == (True, 0.5)
    assert got["complaint_rate"]["crossed"] is False  # 0 complaints over 2 messages
    # 1 in 3 withdrew in both weeks: no rise.
    assert got["withdrawal_rate_rise"]["crossed"] is False
    assert got["withdrawal_rate_rise"]["threshold"] == pytest.approx(0.5, abs=1e-5)
    assert got["sensitive_exposures"] == {
        "name": "sensitive_exposures",
        "crossed": False,
        "value": 0.0,
        "threshold": 0.0,
        "reason": "No sensitive item was shown to anyone who had not allowed it.",
    }


def test_the_default_cap_and_too_few_people() -> None:
    got = by_name(InsightsSettings(min_people=1))
    assert (got["messages_p95"]["crossed"], got["messages_p95"]["threshold"]) == (False, 3.0)
    few = by_name(InsightsSettings(min_people=2))
    assert few["messages_p95"]["crossed"] is False
    assert few["messages_p95"]["value"] is None
    assert str(few["messages_p95"]["reason"]).startswith("Too few people")


def test_withdrawal_rise_week_over_week() -> None:
    crossed = withdrawal_rise(0.03, 0.02, 0.5)
    assert (crossed.crossed, crossed.threshold) == (True, 0.03)
    assert crossed.reason == (
        "The withdrawal rate rose from 2.0 % last week to 3.0 % this week (alert at +50 %: 3.0 %)."
    )
    assert withdrawal_rise(0.029, 0.02, 0.5).crossed is False
    assert withdrawal_rise(0.05, 0.0, 0.5).crossed is False
    assert withdrawal_rise(None, 0.02, 0.5).crossed is False
