"""The person's own pages, ``/me``: sign in with a subject token, see and change what is
used, how they are personalized, what is recommended and why, what we think we know, the
messages decided for them, and their data. Routes parse, call ``app.center``, render."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from tactful.app import Tactful
from tactful.errors import InvalidInput, Unauthorized
from tactful.privacy.archive import zip_export
from tactful.types import Purpose, SubjectId
from tactful.web.deps import AppDep, get_app
from tactful.web.me import words
from tactful.web.me.forms import (
    CHANNEL_FIELDS,
    Form,
    Read,
    Ticked,
    field_of,
    read_preferences,
    shown,
)
from tactful.web.pages import PageRoute, Site, sessions

router = APIRouter(prefix="/me", route_class=PageRoute, include_in_schema=False)


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _me(request: Request) -> SubjectId:
    subject = sessions.subject(request)
    if subject is None:
        raise Unauthorized("you are not signed in; open the link you were sent again")
    return subject


async def _posted(request: Request) -> tuple[SubjectId, Form]:
    """The signed-in person and their form, once its CSRF token checks out (else 403)."""
    subject = _me(request)
    data = await request.form()
    sessions.check_csrf(request, data.get(sessions.CSRF_FIELD))
    return subject, Form(data)


def _back(request: Request, notice: str, anchor: str) -> RedirectResponse:
    sessions.notify(request, words.NOTICES[notice])
    return RedirectResponse(f"/me#{anchor}", status_code=303)


def _page(
    request: Request,
    app: Tactful,
    subject: SubjectId,
    *,
    errors: dict[str, str] | None = None,
    typed: Read | None = None,
    status: int = 200,
) -> Response:
    view = app.center.page(subject)
    context: dict[str, Any] = {
        "view": view,
        "words": words,
        "channels": CHANNEL_FIELDS,
        "errors": errors or {},
        "form": typed.raw if typed is not None else shown(view.preferences),
        "ticked": typed.ticked if typed is not None else Ticked.of(view.preferences),
    }
    return _site(request).render(request, "me/index.html", context, status=status)


@router.get("")
def me(request: Request, app: AppDep, token: str | None = None) -> Response:
    """``?token=``: begin a session for its person and drop the token from the address."""
    if token is not None:
        sessions.begin(request, app.access.subject_of(token))
        _site(request).language(request)  # a ?lang= given with the link is kept
        return RedirectResponse("/me", status_code=303)
    return _page(request, app, _me(request))


@router.post("/consents")
async def save_consents(request: Request) -> Response:
    subject, form = await _posted(request)
    granted = {Purpose(p) for p in form.many("purpose") if p in set(Purpose)}
    await run_in_threadpool(get_app(request).center.save_consents, subject, granted)
    return _back(request, "consents", "consents")


@router.post("/preferences")
async def save_preferences(request: Request) -> Response:
    subject, form = await _posted(request)
    app = get_app(request)
    read = read_preferences(form, app.consents.preferences(subject))
    errors = read.errors
    if read.prefs is not None:
        try:
            await run_in_threadpool(app.center.save_preferences, subject, read.prefs)
        except InvalidInput as error:
            errors = {field_of(error): error.message}
    if errors:
        return await run_in_threadpool(
            _page, request, app, subject, errors=errors, typed=read, status=422
        )
    return _back(request, "preferences", "preferences")


@router.post("/dismiss")
async def dismiss(request: Request) -> Response:
    subject, form = await _posted(request)
    done = await run_in_threadpool(get_app(request).center.dismiss, subject, form.text("item_id"))
    return _back(request, "dismissed" if done else "not_dismissed", "recommended")


@router.post("/communities")
async def communities(request: Request) -> Response:
    """Join or leave one community (``action``: join or leave), through the same rules as
    the API: joining needs ``community`` granted."""
    subject, form = await _posted(request)
    center = get_app(request).center
    community, action = form.text("community_id"), form.text("action")
    if action == "leave":
        await run_in_threadpool(center.leave, subject, community)
        return _back(request, "left", "communities")
    done = await run_in_threadpool(center.join, subject, community)
    return _back(request, "joined" if done else "not_joined", "communities")


@router.get("/why/{item_id}")
def why(request: Request, item_id: str, app: AppDep) -> Response:
    page = app.center.why(_me(request), item_id)
    context = {"why": page.why, "basis": page.basis, "words": words}
    return _site(request).render(request, "me/why.html", context)


@router.post("/signals")
async def correct(request: Request) -> Response:
    subject, form = await _posted(request)
    await run_in_threadpool(get_app(request).center.correct, subject, form.text("kind"))
    return _back(request, "corrected", "inferences")


@router.post("/requests")
async def undo_request(request: Request) -> Response:
    """Undo a request the person made in words; one no longer in force is a 404."""
    subject, form = await _posted(request)
    await run_in_threadpool(get_app(request).center.lift_request, subject, form.text("name"))
    return _back(request, "request_lifted", "requests")


@router.get("/export.json")
def export_json(request: Request, app: AppDep) -> Response:
    doc = app.center.export(_me(request))
    body = json.dumps(doc, ensure_ascii=False, indent=2, default=str)
    disposition = {"content-disposition": 'attachment; filename="my-data.json"'}
    return Response(body, media_type="application/json", headers=disposition)


@router.get("/export.zip")
def export_zip(request: Request, app: AppDep) -> Response:
    doc = app.center.export(_me(request))
    disposition = {"content-disposition": 'attachment; filename="my-data.zip"'}
    return Response(zip_export(doc), media_type="application/zip", headers=disposition)


@router.get("/delete")
def confirm_delete(request: Request) -> Response:
    _me(request)
    return _site(request).render(request, "me/delete.html")


@router.post("/delete")
async def delete(request: Request) -> Response:
    """Erase the person everywhere, end the session, and say what was deleted."""
    subject, _form = await _posted(request)
    receipt = await run_in_threadpool(get_app(request).center.erase, subject)
    sessions.end(request)
    return _site(request).render(request, "me/deleted.html", {"receipt": receipt})


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    await _posted(request)
    sessions.end(request)
    sessions.notify(request, words.NOTICES["signed_out"])
    return RedirectResponse("/me/signed-out", status_code=303)


@router.get("/signed-out")
def signed_out(request: Request) -> Response:
    return _site(request).render(request, "me/signed_out.html")
