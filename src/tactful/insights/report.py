"""The connection-health report: every KPI over the window, and the weekly series of the
scalar ones (``GET /v1/insights/health``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from tactful.insights import health as h
from tactful.insights.rows import InsightRows
from tactful.insights.window import DIGITS, Window, ratio

SERIES = (
    "people_active",
    "withdrawals",
    "withdrawal_rate",
    "exposures",
    "dismissals",
    "dismissal_rate",
    "messages_sent",
    "complaints",
    "complaint_rate",
    "personalized_share",
    "mood_trend",
    "handoffs_opened",
)
"""The KPIs charted week by week."""


def scalar_kpis(rows: InsightRows, w: Window, min_people: int) -> dict[str, Any]:
    """The KPIs that are one number (or one small mapping) over a window."""
    withdrew, granted = h.consent_changes(rows, w)
    return {
        "people_active": len(h.active_people(rows, w)),
        "withdrawals": len(withdrew),
        "withdrawal_rate": ratio(len(withdrew), len(granted), len(granted), min_people),
        **h.exposure_kpis(rows, w, min_people),
        **h.message_kpis(rows, w, min_people),
    }


def health_report(rows: InsightRows, w: Window, *, min_people: int) -> dict[str, Any]:
    """``{"window", "kpis", "series"}`` over consented rows (see ``rows.consented``)."""
    kpis = scalar_kpis(rows, w, min_people)
    weeks = w.weeks()
    weekly = []
    for label, part in weeks:
        one = scalar_kpis(rows, part, min_people)
        one["mood_trend"] = h.mood(rows, part, min_people)
        one["handoffs_opened"] = h.handoffs(rows, part, min_people)["opened"]
        weekly.append((label, one))
    series = {k: [{"week": label, "value": one[k]} for label, one in weekly] for k in SERIES}
    kpis["consent_rate"] = h.consent_rate(rows, w, min_people)
    kpis["fatigued_people"] = h.fatigued_people(rows, w)
    kpis["handoffs"] = h.handoffs(rows, w, min_people)
    kpis["mood_trend"] = {
        "mean": h.mood(rows, w, min_people),
        "change_per_week": slope([one["mood_trend"] for _, one in weekly]),
    }
    return {
        "window": {"start": w.start, "end": w.end},
        "kpis": kpis,
        "series": series,
        "min_people": min_people,
    }


def slope(values: list[float | None]) -> float | None:
    """Least-squares change per week over the weeks that have a value (two at least)."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return None
    x, y = np.array(points, dtype=float).T
    return round(float(np.polyfit(x, y, 1)[0]), DIGITS)
