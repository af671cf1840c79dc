"""Simulations (docs/simulation.md): the simulations this server holds, "Start a simulation"
(``admin``; the same checks and the same background service as ``POST /v1/simulations``),
and a finished one's comparison: the final table and the weekly curves (matplotlib SVG)
with every value written out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from tactful.app.jobs import JobStatus
from tactful.errors import Conflict
from tactful.insights import charts
from tactful.simulate import report
from tactful.simulate.jobs import Simulation
from tactful.simulate.metrics import METRICS
from tactful.simulate.policy import BUILT_IN
from tactful.types import Scope
from tactful.web.api.simulations import simulations_of
from tactful.web.console import session, simulation_form
from tactful.web.console.entry import page, to_sign_in
from tactful.web.deps import get_app
from tactful.web.pages import PageRoute, sessions
from tactful.web.pages.i18n import N_

router = APIRouter(prefix="/console", route_class=PageRoute, include_in_schema=False)
SimPath = Annotated[str, Path(min_length=1, max_length=200)]
LABELS = {
    "purchases": N_("Purchases"),
    "revenue": N_("Revenue"),
    "lists_shown": N_("Lists shown"),
    "items_picked": N_("Items picked"),
    "messages_sent": N_("Messages sent"),
    "messages_opened": N_("Messages opened"),
    "complaints": N_("Complaints"),
    "withdrawals": N_("Consent withdrawals"),
    "churned": N_("People who left"),
    "mean_trust": N_("Mean trust"),
    "handoffs": N_("Hand-offs opened"),
    "promotions_in_hard_times": N_("Promotions in hard times"),
}
"""Each metric's label on the page, in ``METRICS`` order."""
STATUS = {
    JobStatus.QUEUED: N_("queued"),
    JobStatus.RUNNING: N_("running"),
    JobStatus.SUCCEEDED: N_("finished"),
    JobStatus.FAILED: N_("failed"),
    JobStatus.CANCELLED: N_("cancelled"),
}


def _listing(request: Request, asked: simulation_form.Asked, *, status: int = 200) -> Response:
    app = get_app(request)
    key = session.operator(request, app)
    if key is None:
        return to_sign_in()
    context = {
        "simulations": simulations_of(request).all(),
        "states": STATUS,
        "may_start": session.may(key, Scope.ADMIN),
        "built_in": BUILT_IN,
        "asked": asked,
    }
    return page(request, "simulations.html", context, status=status)


@router.get("/simulations")
def simulations(request: Request) -> Response:
    fresh = simulation_form.Asked(None, simulation_form.defaults(), BUILT_IN)
    return _listing(request, fresh)


@router.post("/simulations")
async def start(request: Request) -> Response:
    """Start one in the background, as ``POST /v1/simulations`` does; a form with problems
    comes back (422) with each one named, and nothing started."""
    app = get_app(request)
    session.require(request, app, Scope.ADMIN)
    form = await request.form()
    sessions.check_csrf(request, form.get(sessions.CSRF_FIELD))
    asked = simulation_form.read(form)
    if asked.body is None:
        return _listing(request, asked, status=422)
    job = simulations_of(request).start(asked.body.config(), asked.body.sweep_of())
    sessions.notify(request, N_("The simulation started."))
    return RedirectResponse(f"/console/simulations/{job.simulation_id}", status_code=303)


def _comparison(result: dict[str, Any]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The final table of ``tactful simulate`` (``report.table_rows``), metrics labelled and
    differences written out in full."""
    header, rows = report.table_rows(result, report.signed_text)
    return header[1:], [(LABELS[row[0]], row[1:]) for row in rows]


def _weeks(result: dict[str, Any]) -> list[tuple[str, list[list[str]]]]:
    """Per policy, each week's figures in ``METRICS`` order (the chart's values)."""
    return [
        (name, [[report.number_text(w[m]) for m in METRICS] for w in policy["weeks"]])
        for name, policy in result["policies"].items()
    ]


@router.get("/simulations/{simulation_id}")
def simulation(request: Request, simulation_id: SimPath) -> Response:
    app = get_app(request)
    if session.operator(request, app) is None:
        return to_sign_in()
    job = simulations_of(request).get(simulation_id)
    context: dict[str, Any] = {"job": job, "states": STATUS, "sweep": None, "rows": None}
    if job.result is not None and "conclusions" in job.result:  # a sweep (the API's)
        context["sweep"] = job.result
    elif job.result is not None:
        columns, rows = _comparison(job.result)
        context |= {
            "columns": columns,
            "rows": rows,
            "several": job.runs > 1,
            "labels": [LABELS[m] for m in METRICS],
            "weeks": _weeks(job.result),
            "parameters": job.result["parameters"],
        }
    return page(request, "simulation.html", context)


def _finished(job: Simulation) -> dict[str, Any]:
    if job.result is not None and "conclusions" in job.result:
        raise Conflict(
            f"simulation {job.simulation_id} is a sweep: its conclusions are on its page",
            field="simulation_id",
        )
    if job.status is not JobStatus.SUCCEEDED or job.result is None:
        raise Conflict(
            f"simulation {job.simulation_id} is {job.status.value}; its chart comes once "
            "it has finished",
            field="simulation_id",
        )
    return job.result


@router.get("/charts/simulation/{simulation_id}.svg")
def simulation_chart(request: Request, simulation_id: SimPath) -> Response:
    """The weekly curves of a finished simulation (same session as the pages)."""
    session.require(request, get_app(request))
    result = _finished(simulations_of(request).get(simulation_id))
    return Response(charts.svg(report.figure(result)), media_type="image/svg+xml")
