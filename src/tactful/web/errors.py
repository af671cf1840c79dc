"""The one mapping from the error tree to HTTP status, and uniform error bodies:
``{"error": code, "message": text, "field": name}``."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

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
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse(
        {"error": "internal", "message": "unexpected server error; nothing was changed"},
        status_code=500,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(TactfulError, _tactful_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
