"""Console sessions: an operator key (``read`` or higher) exchanged for the signed page
session; each request looks the key up again, so a deleted key signs its sessions out.
Changing actions need the API's scopes: ``admin`` to train, ``ingest`` for hand-offs."""

from __future__ import annotations

import secrets

from starlette.requests import Request

from tactful.app import Tactful
from tactful.errors import Forbidden, Unauthorized
from tactful.types import ApiKey, Scope
from tactful.web.pages import sessions

OPERATOR = "operator"


def begin(request: Request, key: ApiKey) -> None:
    """A fresh session for the operator key (nothing of a person's session survives)."""
    lang = request.session.get(sessions.LANG)
    request.session.clear()
    request.session[OPERATOR] = key.key_id
    request.session[sessions.CSRF] = secrets.token_urlsafe(32)
    if lang:
        request.session[sessions.LANG] = lang


def operator(request: Request, app: Tactful) -> ApiKey | None:
    """The signed-in operator's key, if any (and if it still exists)."""
    key_id = request.session.get(OPERATOR)
    return app.console.key(key_id) if isinstance(key_id, str) and key_id else None


def may(key: ApiKey, scope: Scope) -> bool:
    """As the API admits keys: the scope itself, or ``admin``."""
    return scope in key.scopes or Scope.ADMIN in key.scopes


def require(request: Request, app: Tactful, scope: Scope = Scope.READ) -> ApiKey:
    """The operator, allowed ``scope`` (``Unauthorized`` / ``Forbidden`` otherwise)."""
    key = operator(request, app)
    if key is None:
        raise Unauthorized("you are not signed in to the console")
    if not may(key, scope):
        raise Forbidden(f"this needs a key with the {scope.value} scope")
    return key
