"""The one mapping from the error tree to HTTP status, and uniform error bodies:
``{"error": code, "message": text, "field": name}`` for every error the service answers,
the framework's own (unknown route, wrong method) included."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match

from tactful.errors import (
    Conflict,
    ConsentRequired,
    Forbidden,
    InvalidInput,
    NotFitted,
    NotFound,
    PayloadTooLarge,
    StoreError,
    TactfulError,
    Unauthorized,
)

log = logging.getLogger(__name__)

STATUS: dict[type[TactfulError], int] = {
    PayloadTooLarge: 413,
    InvalidInput: 422,
    ConsentRequired: 403,
    NotFound: 404,
    NotFitted: 409,
    Conflict: 409,
    Unauthorized: 401,
    Forbidden: 403,
    StoreError: 503,
    TactfulError: 400,
}


CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    503: "store_error",
}
"""Error codes of the framework's own HTTP errors, named as the error tree names them."""


class FieldErrorOut(BaseModel):
    field: str = Field(description="the request field, e.g. items[1].price or body")
    reason: str


class ErrorOut(BaseModel):
    """The body of every error response."""

    error: str = Field(description="stable code, e.g. invalid_input, not_found, conflict")
    message: str = Field(description="what went wrong, for people")
    field: str | None = Field(None, description="the request field at fault, if one is")
    errors: list[FieldErrorOut] | None = Field(
        None, description="on a 422 from request validation: every field at fault (up to 50)"
    )


RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "invalid input: names the field and the reason"},
    "4XX": {"model": ErrorOut, "description": "unauthorized, forbidden, not found, conflict ..."},
    "5XX": {"model": ErrorOut, "description": "unexpected error or database unavailable"},
}
"""The error responses of every API route, for ``include_router(responses=...)``."""


UNPARSED = "There was an error parsing the body"
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def status_of(err: TactfulError) -> int:
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def _field_name(loc: Sequence[Any]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    name = ""
    for p in parts:
        name += f"[{p}]" if isinstance(p, int) else (f".{p}" if name else str(p))
    return name or "body"


async def _tactful_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TactfulError)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return JSONResponse(exc.to_dict(), status_code=status_of(exc), headers=headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """The framework's own errors (404 unknown route, 405 wrong method, a body that does
    not parse ...) in our body, with the field at fault."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    code = CODES.get(status, "client_error" if status < 500 else "internal")
    message = str(exc.detail)
    field: str | None = None
    if status == 400 and message == UNPARSED:
        # FastAPI's answer to a body json cannot decode at all (e.g. nested too deeply).
        why = "body: not a JSON document this service can read (nested too deeply?)"
        return JSONResponse({"error": "invalid_input", "message": why, "field": "body"}, 422)
    if status == 404 and message == HTTPStatus.NOT_FOUND.phrase:
        message, field = f"nothing at {request.url.path}", "path"
    elif status == 405 and message == HTTPStatus.METHOD_NOT_ALLOWED.phrase:
        allowed = ", ".join(_allowed(request))
        message = f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}"
        refused = {"error": code, "message": message, "field": "method"}
        return JSONResponse(refused, 405, headers={"Allow": allowed})
    body: dict[str, str | None] = {"error": code, "message": message, "field": field}
    return JSONResponse(body, status, headers=exc.headers)


def _allowed(request: Request) -> list[str]:
    """Every method some route takes at this path (Starlette's own ``Allow`` names only
    the first route whose path matched)."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "field": "body" if e.get("type") == "json_invalid" else _field_name(e.get("loc", ())),
            "reason": str(e.get("msg", "invalid")),
        }
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"field": "body", "reason": "invalid request"}
    body = {
        "error": "invalid_input",
        "message": f"{first['field']}: {first['reason']}",
        "field": first["field"],
        "errors": errors[:50],
    }
    return JSONResponse(body, status_code=422)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    route = getattr(request.scope.get("route"), "path", "unmatched")  # never the raw path
    log.exception("unhandled error on %s %s", request.method, route)
    return JSONResponse(
        {
            "error": "internal",
            "message": "unexpected server error; nothing was changed",
            "field": None,
        },
        status_code=500,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(TactfulError, _tactful_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
