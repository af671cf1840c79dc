"""Alerts: thresholds from settings (``insights.alert_*``) checked over the last 7 days
(and, for the withdrawal rise, the 7 before), each with its reason in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tactful.insights.fairness import sensitive_exposures
from tactful.insights.report import scalar_kpis
from tactful.insights.rows import InsightRows
from tactful.insights.window import Window
from tactful.settings import InsightsSettings

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Alert:
    name: str
    crossed: bool
    value: float | None
    threshold: float | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "crossed": self.crossed,
            "value": self.value,
            "threshold": self.threshold,
            "reason": self.reason,
        }


def pct(x: float) -> str:
    return f"{x * 100:.1f} %"


def _above(name: str, what: str, value: float | None, limit: float, show: Any = pct) -> Alert:
    if value is None:
        return Alert(name, False, None, limit, f"Too few people this week to judge {what}.")
    crossed = value > limit
    verb = "is above" if crossed else "is within"
    return Alert(name, crossed, value, limit, f"The {what} {verb} {show(limit)}: {show(value)}.")


def withdrawal_rise(this: float | None, before: float | None, rise: float) -> Alert:
    """Crossed when this week's withdrawal rate is at least (1 + rise) times last week's."""
    name = "withdrawal_rate_rise"
    if this is None or before is None:
        return Alert(name, False, this, None, "Too few people to compare withdrawal rates.")
    if before == 0:
        why = f"No one withdrew consent last week; this week's rate is {pct(this)}."
        return Alert(name, False, this, None, why)
    limit = round(before * (1 + rise), 6)
    crossed = this >= limit
    change = "rose" if this > before else "went"
    why = (
        f"The withdrawal rate {change} from {pct(before)} last week to {pct(this)} this week"
        f" (alert at +{rise * 100:.0f} %: {pct(limit)})."
    )
    return Alert(name, crossed, this, limit, why)


def alerts(
    rows: InsightRows, now: datetime, settings: InsightsSettings, *, default_cap: int
) -> list[Alert]:
    """Every alert, crossed or not, over consented rows (see ``rows.consented``)."""
    n = settings.min_people
    this_week, last_week = Window(now - WEEK, now), Window(now - 2 * WEEK, now - WEEK)
    now_k, then_k = scalar_kpis(rows, this_week, n), scalar_kpis(rows, last_week, n)
    cap = settings.alert_messages_p95 or float(default_cap)
    shown = [x for x in rows.exposures if this_week.holds(x.at)]
    sensitive = sensitive_exposures(rows, shown)

    def per_week(x: float) -> str:
        return f"{x:g} messages per person-week"

    return [
        withdrawal_rise(
            now_k["withdrawal_rate"], then_k["withdrawal_rate"], settings.alert_withdrawal_rise
        ),
        _above(
            "messages_p95",
            "95th percentile of messages",
            now_k["messages_per_person_week"]["p95"],
            cap,
            per_week,
        ),
        _above(
            "complaint_rate",
            "complaint rate",
            now_k["complaint_rate"],
            settings.alert_complaint_rate,
        ),
        _above(
            "dismissal_rate",
            "dismissal rate",
            now_k["dismissal_rate"],
            settings.alert_dismissal_rate,
        ),
        Alert(
            "sensitive_exposures",
            sensitive > 0,
            float(sensitive),
            0.0,
            f"{sensitive} sensitive items were shown to people who had not allowed them."
            if sensitive
            else "No sensitive item was shown to anyone who had not allowed it.",
        ),
    ]
