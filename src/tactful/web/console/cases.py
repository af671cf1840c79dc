"""The hand-off queue: open and claimed cases oldest first, each case's brief, and the
claim / resolve forms (``ingest`` scope, the same rules as the API)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tactful.errors import InvalidInput
from tactful.records import CaseStatus
from tactful.types import Scope
from tactful.web.console import session
from tactful.web.console.entry import page, to_sign_in
from tactful.web.deps import get_app
from tactful.web.pages import PageRoute, sessions
from tactful.web.pages.i18n import N_

router = APIRouter(prefix="/console/handoffs", route_class=PageRoute, include_in_schema=False)
MAX_TEXT = 2000


@router.get("")
def queue(request: Request) -> Response:
    app = get_app(request)
    if session.operator(request, app) is None:
        return to_sign_in()
    found = [c for c in app.handoffs.cases(None, limit=1000) if c.active]
    return page(request, "handoffs.html", {"cases": found})


@router.get("/{case_id}")
def case(request: Request, case_id: str) -> Response:
    app = get_app(request)
    key = session.operator(request, app)
    if key is None:
        return to_sign_in()
    found = app.handoffs.case(case_id)
    context: dict[str, Any] = {
        "case": found,
        "brief": [(k, v) for k, v in found.brief.items()],
        "may_act": session.may(key, Scope.INGEST),
        "agent": key.name,
        "open": found.status is CaseStatus.OPEN,
    }
    return page(request, "case.html", context)


async def _field(request: Request, name: str) -> str:
    form = await request.form()
    sessions.check_csrf(request, form.get(sessions.CSRF_FIELD))
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > MAX_TEXT:
        raise InvalidInput(f"{name} must be 1 to {MAX_TEXT} characters", field=name)
    return text


@router.post("/{case_id}/claim")
async def claim(request: Request, case_id: str) -> Response:
    app = get_app(request)
    session.require(request, app, Scope.INGEST)
    agent = await _field(request, "agent")
    app.handoffs.claim(case_id, agent)
    sessions.notify(request, N_("The case is yours."))
    return RedirectResponse(f"/console/handoffs/{case_id}", status_code=303)


@router.post("/{case_id}/resolve")
async def resolve(request: Request, case_id: str) -> Response:
    app = get_app(request)
    key = session.require(request, app, Scope.INGEST)
    outcome = await _field(request, "outcome")
    found = app.handoffs.case(case_id)
    agent = None if found.claimed_by else key.name
    app.handoffs.resolve(case_id, outcome, agent=agent)
    sessions.notify(request, N_("The case is resolved."))
    return RedirectResponse(f"/console/handoffs/{case_id}", status_code=303)
