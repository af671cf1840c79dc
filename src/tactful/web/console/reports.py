"""Health and fairness pages, and their charts (matplotlib SVG, rendered on the server)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tactful.insights import charts
from tactful.insights.window import MAX_DAYS
from tactful.web.console import session, view
from tactful.web.console.entry import page, to_sign_in
from tactful.web.deps import get_app
from tactful.web.pages import PageRoute

router = APIRouter(prefix="/console", route_class=PageRoute, include_in_schema=False)
Days = Annotated[int | None, Query(ge=1, le=MAX_DAYS)]


@router.get("/health")
def health(request: Request, days: Days = None) -> Response:
    app = get_app(request)
    if session.operator(request, app) is None:
        return to_sign_in()
    report = app.insights.health(days)
    _, alerts = app.insights.alerts()
    kpis = report["kpis"]
    context = {
        "report": report,
        "days": days or app.settings.insights.default_days,
        "alerts": sorted(alerts, key=lambda a: not a.crossed),
        "tiles": view.tiles(kpis, view.HEALTH_TILES),
        "consent": view.rows(kpis["consent_rate"]),
        "handoffs": view.rows(kpis["handoffs"]),
        "suppressed": view.rows(kpis["suppressed_by_reason"]),
        "held_back": view.rows(kpis["held_back_by_kind"]),
        "mood": view.rows(kpis["mood_trend"]),
        "per_week": view.rows(kpis["messages_per_person_week"]),
        "chart_text": charts.describe_series(report),
    }
    return page(request, "health.html", context)


@router.get("/fairness")
def fairness(request: Request, days: Days = None) -> Response:
    app = get_app(request)
    if session.operator(request, app) is None:
        return to_sign_in()
    report = app.insights.fairness(days)
    context = {
        "report": report,
        "days": days or app.settings.insights.default_days,
        "tiles": view.tiles(report, view.FAIRNESS_TILES),
        "shares": {c: view.rows(s) for c, s in report["category_share"].items()},
        "groups": {g: view.rows(v) for g, v in report["groups"].items()},
        "chart_text": charts.describe_fairness(report),
    }
    return page(request, "fairness.html", context)


@router.get("/charts/health.svg")
def health_chart(request: Request, days: Days = None) -> Response:
    app = get_app(request)
    session.require(request, app)
    figure = charts.series_figure(app.insights.health(days))
    return Response(charts.svg(figure), media_type="image/svg+xml")


@router.get("/charts/fairness.svg")
def fairness_chart(request: Request, days: Days = None) -> Response:
    app = get_app(request)
    session.require(request, app)
    figure = charts.fairness_figure(app.insights.fairness(days))
    return Response(charts.svg(figure), media_type="image/svg+xml")
