"""Page sessions: a signed cookie (Starlette's ``SessionMiddleware`` over itsdangerous)
bound to one person, with a CSRF token per session and one-shot notices.

The cookie is ``HttpOnly`` and ``SameSite=Lax`` always, and ``Secure`` when the request came
over HTTPS (behind a proxy, run uvicorn with ``--proxy-headers`` so the scheme is seen)."""

from __future__ import annotations

import hmac
import secrets

from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from tactful.errors import Forbidden
from tactful.types import SubjectId

COOKIE = "tactful_session"
SUBJECT = "subject"
CSRF = "csrf"
CSRF_FIELD = "csrf_token"
NOTICE = "notice"
LANG = "lang"


class Sessions:
    """Signed-cookie sessions; ``Secure`` cookies for requests that arrived over HTTPS."""

    def __init__(self, app: ASGIApp, *, secret: str, max_age: int) -> None:
        common = {"secret_key": secret, "session_cookie": COOKIE, "max_age": max_age}
        self._plain = SessionMiddleware(app, same_site="lax", https_only=False, **common)  # type: ignore[arg-type]
        self._secure = SessionMiddleware(app, same_site="lax", https_only=True, **common)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        secure = scope.get("scheme") in ("https", "wss")
        await (self._secure if secure else self._plain)(scope, receive, send)


def begin(request: Request, subject: SubjectId) -> None:
    """A fresh session for ``subject`` (whatever was there before is dropped: no fixation)."""
    lang = request.session.get(LANG)
    request.session.clear()
    request.session[SUBJECT] = subject
    request.session[CSRF] = secrets.token_urlsafe(32)
    if lang:
        request.session[LANG] = lang


def subject(request: Request) -> SubjectId | None:
    found = request.session.get(SUBJECT)
    return found if isinstance(found, str) and found else None


def end(request: Request) -> None:
    request.session.clear()


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use, so anonymous forms carry one too)."""
    token = request.session.get(CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF] = token
    return token


def check_csrf(request: Request, sent: object) -> None:
    """``Forbidden`` unless ``sent`` is this session's CSRF token."""
    token = request.session.get(CSRF)
    if not isinstance(token, str) or not isinstance(sent, str) or not token:
        raise Forbidden("this form has expired or did not come from this page; reload and retry")
    if not hmac.compare_digest(token.encode(), sent.encode()):
        raise Forbidden("this form has expired or did not come from this page; reload and retry")


def notify(request: Request, key: str) -> None:
    """A notice (a message id of the catalogue) shown once on the next page."""
    request.session[NOTICE] = key


def take_notice(request: Request) -> str | None:
    found = request.session.pop(NOTICE, None)
    return found if isinstance(found, str) else None
