"""Connection health, fairness and alerts: ``GET /v1/insights/...`` (scope ``read``).
Every figure is defined in docs/insights.md; none is about fewer than ``insights.min_people``
people (withheld figures are ``null``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from tactful.insights.window import MAX_DAYS
from tactful.web.deps import AppDep, Read

router = APIRouter(prefix="/v1/insights", tags=["insights"])
Days = Annotated[
    int | None,
    Query(ge=1, le=MAX_DAYS, description="window length in days; default insights.default_days"),
]


class WindowOut(BaseModel):
    start: datetime
    end: datetime


class PointOut(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W10")
    value: float | None


class ConnectionHealthOut(BaseModel):
    window: WindowOut
    kpis: dict[str, Any] = Field(
        description="people_active, withdrawals, withdrawal_rate, consent_rate, exposures, "
        "dismissals, dismissal_rate, complaints, messages_sent, complaint_rate, "
        "messages_per_person_week, suppressed_by_reason, fatigued_people, handoffs, "
        "mood_trend, personalized_share, held_back_by_kind, anonymous_responses"
    )
    series: dict[str, list[PointOut]]
    min_people: int


class GroupOut(BaseModel):
    people: int
    exposures: int | None
    ctr_7d: float | None
    personalized_share: float | None


class ShareOut(BaseModel):
    exposures: float | None
    catalogue: float | None
    ratio: float | None


class FairnessOut(BaseModel):
    window: WindowOut
    exposures: int
    people: int
    exposure_gini: float | None
    catalogue_coverage: float | None
    popularity_lift: float | None
    category_share: dict[str, ShareOut]
    groups: dict[str, GroupOut]
    sensitive_exposures: int = Field(description="must be 0")
    min_people: int


class AlertOut(BaseModel):
    name: str
    crossed: bool
    value: float | None
    threshold: float | None
    reason: str


class AlertsOut(BaseModel):
    window: WindowOut
    alerts: list[AlertOut]
    crossed: list[str] = Field(description="names of the alerts crossed now")


@router.get("/health", response_model=ConnectionHealthOut)
def get_health(app: AppDep, _: Read, days: Days = None) -> dict[str, Any]:
    """Connection health over the last ``days`` days: KPIs and their weekly series."""
    return app.insights.health(days)


@router.get("/fairness", response_model=FairnessOut)
def get_fairness(app: AppDep, _: Read, days: Days = None) -> dict[str, Any]:
    """Exposure concentration, popularity lift, category share, groups, sensitive items."""
    return app.insights.fairness(days)


@router.get("/alerts", response_model=AlertsOut)
def get_alerts(app: AppDep, _: Read) -> AlertsOut:
    """Every alert (thresholds from settings), crossed or not, with its reason."""
    w, found = app.insights.alerts()
    return AlertsOut(
        window=WindowOut(start=w.start, end=w.end),
        alerts=[AlertOut(**a.to_dict()) for a in found],
        crossed=[a.name for a in found if a.crossed],
    )
