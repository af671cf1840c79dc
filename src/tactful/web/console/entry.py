"""Signing in to the console with an operator key, and out again."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tactful.errors import Forbidden, Unauthorized
from tactful.types import Scope
from tactful.web.console import session
from tactful.web.deps import get_app
from tactful.web.pages import PageRoute, Site, sessions
from tactful.web.pages.i18n import N_

router = APIRouter(prefix="/console", route_class=PageRoute, include_in_schema=False)
NAV = (
    ("/console/health", N_("Health")),
    ("/console/fairness", N_("Fairness")),
    ("/console/handoffs", N_("Hand-offs")),
    ("/console/models", N_("Models")),
    ("/console/people", N_("People")),
    ("/console/audit", N_("Audit")),
    ("/console/simulations", N_("Simulations")),
)


def site(request: Request) -> Site:
    found: Site = request.app.state.site
    return found


def page(
    request: Request, template: str, context: dict[str, Any], *, status: int = 200
) -> Response:
    """A console page: the nav and the signed-in operator added to ``context``."""
    app = get_app(request)
    key = session.operator(request, app)
    full = {"nav": NAV, "operator": key, "section": request.url.path, **context}
    return site(request).render(request, f"console/{template}", full, status=status)


def to_sign_in() -> RedirectResponse:
    return RedirectResponse("/console", status_code=303)


@router.get("")
def index(request: Request) -> Response:
    """The sign-in form, or the health page when signed in."""
    if session.operator(request, get_app(request)) is not None:
        return RedirectResponse("/console/health", status_code=303)
    return page(request, "signin.html", {"failed": False})


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    form = await request.form()
    sessions.check_csrf(request, form.get(sessions.CSRF_FIELD))
    secret = form.get("api_key")
    app = get_app(request)
    try:
        key = app.access.authorize(secret if isinstance(secret, str) else None, Scope.READ)
    except (Unauthorized, Forbidden):
        return page(request, "signin.html", {"failed": True}, status=401)
    session.begin(request, key)
    return RedirectResponse("/console/health", status_code=303)


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    form = await request.form()
    sessions.check_csrf(request, form.get(sessions.CSRF_FIELD))
    sessions.end(request)
    return to_sign_in()
