"""Models (versions, manifests, which one serves, "Train now"), People (one person's
export, read-only and audited) and Audit (the chain's verification, latest records)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from tactful.privacy.access import operator as acting
from tactful.types import Scope
from tactful.web.console import session
from tactful.web.console.entry import page, to_sign_in
from tactful.web.deps import get_app
from tactful.web.pages import PageRoute, sessions
from tactful.web.pages.i18n import N_

router = APIRouter(prefix="/console", route_class=PageRoute, include_in_schema=False)
Subject = Annotated[str | None, Query(max_length=200)]


def pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str, sort_keys=True)


@router.get("/models")
def models(request: Request) -> Response:
    app = get_app(request)
    key = session.operator(request, app)
    if key is None:
        return to_sign_in()
    rows = app.console.models()
    shown = [(r, pretty(r.manifest.get("metrics")), pretty(r.manifest.get("data"))) for r in rows]
    context = {"models": shown, "may_train": session.may(key, Scope.ADMIN)}
    return page(request, "models.html", context)


@router.post("/models/train")
async def train(request: Request) -> Response:
    app = get_app(request)
    key = session.require(request, app, Scope.ADMIN)
    form = await request.form()
    sessions.check_csrf(request, form.get(sessions.CSRF_FIELD))
    app.training_jobs.start(actor=acting(key))
    sessions.notify(request, N_("Training started."))
    return RedirectResponse("/console/models", status_code=303)


@router.get("/people")
def people(request: Request, subject_id: Subject = None) -> Response:
    app = get_app(request)
    key = session.operator(request, app)
    if key is None:
        return to_sign_in()
    wanted = (subject_id or "").strip()
    doc = app.console.look_up(wanted, key) if wanted else None
    sections = [(name, pretty(part)) for name, part in (doc or {}).items()]
    return page(request, "people.html", {"subject_id": wanted, "sections": sections})


@router.get("/audit")
def audit(request: Request) -> Response:
    app = get_app(request)
    if session.operator(request, app) is None:
        return to_sign_in()
    found = app.console.audit()
    records = [(r, pretty(dict(r.entry.detail))) for r in found.latest]
    return page(request, "audit.html", {"verdict": found.verdict, "records": records})
