"""Request dependencies: the application instance and scoped operator authentication."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tactful.app import Tactful
from tactful.types import ApiKey, Scope

bearer = HTTPBearer(auto_error=False, description="Operator API key: `tactful keys create`")


def get_app(request: Request) -> Tactful:
    app: Tactful = request.app.state.tactful
    return app


AppDep = Annotated[Tactful, Depends(get_app)]


def scoped(scope: Scope) -> Callable[..., ApiKey]:
    """A dependency that admits keys with ``scope`` (or ``admin``)."""

    def check(
        request: Request,
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> ApiKey:
        secret = creds.credentials if creds is not None else None
        return get_app(request).authorize(secret, scope)

    return check


Ingest = Annotated[ApiKey, Depends(scoped(Scope.INGEST))]
Read = Annotated[ApiKey, Depends(scoped(Scope.READ))]
Admin = Annotated[ApiKey, Depends(scoped(Scope.ADMIN))]
