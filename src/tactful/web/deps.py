"""Request dependencies: the application instance, scoped operator authentication, and
subject access (an operator key or the person's own subject token)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tactful.app import Tactful
from tactful.privacy.access import Actor
from tactful.types import ApiKey, Scope

bearer = HTTPBearer(
    auto_error=False,
    description="Operator API key (`tactful keys create`), or on a person's own endpoints "
    "their subject token (`tactful tokens create SUBJECT`)",
)


def get_app(request: Request) -> Tactful:
    app: Tactful = request.app.state.tactful
    return app


async def _app(request: Request) -> Tactful:
    """``get_app`` as an async dependency: no thread-pool hop for a field read."""
    return get_app(request)


AppDep = Annotated[Tactful, Depends(_app)]


def scoped(scope: Scope) -> Callable[..., Awaitable[ApiKey]]:
    """A dependency that admits keys with ``scope`` (or ``admin``). Async: one indexed
    look-up is cheaper on the event loop than a thread-pool hop."""

    async def check(
        request: Request,
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> ApiKey:
        secret = creds.credentials if creds is not None else None
        return get_app(request).access.authorize(secret, scope)

    return check


def bearer_secret(request: Request) -> str | None:
    """The credentials of an ``Authorization: Bearer`` header, read as ``bearer`` reads
    them, for the one route that authenticates inline (see ``get_recommendations``)."""
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


BEARER_DOC: dict[str, Any] = {"security": [{"HTTPBearer": []}]}
"""The OpenAPI security requirement of an inline-authenticated route."""

Ingest = Annotated[ApiKey, Depends(scoped(Scope.INGEST))]
Read = Annotated[ApiKey, Depends(scoped(Scope.READ))]
Admin = Annotated[ApiKey, Depends(scoped(Scope.ADMIN))]


def subject_access(scope: Scope, *, reads: str | None = None) -> Callable[..., Actor]:
    """A dependency for ``/v1/subjects/{subject_id}/...``: an operator key with ``scope`` (or
    admin), exactly as ``scoped``, or a subject token for that same subject. An operator's
    read of ``reads`` (e.g. ``"consents"``) is written to the audit log."""

    def check(
        request: Request,
        subject_id: Annotated[str, Path(min_length=1, max_length=200)],
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Actor:
        app = get_app(request)
        secret = creds.credentials if creds is not None else None
        actor = app.access.authorize_subject(secret, scope, subject_id)
        if reads is not None:
            app.access.note_read(actor, subject_id, reads)
        return actor

    return check


SubjectIngest = Annotated[Actor, Depends(subject_access(Scope.INGEST))]
SubjectAdmin = Annotated[Actor, Depends(subject_access(Scope.ADMIN))]
ReadsConsents = Annotated[Actor, Depends(subject_access(Scope.READ, reads="consents"))]
ReadsPreferences = Annotated[Actor, Depends(subject_access(Scope.READ, reads="preferences"))]
