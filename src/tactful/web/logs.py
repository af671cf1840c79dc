"""Structured JSON logs (structlog over the standard library): one line per request at
info with its request id, route template, status and duration, and every ``tactful``
log line inside a request carrying the same request id.

Logs never hold text a person wrote or a raw subject id: requests are logged by their route
template (``/v1/subjects/{subject_id}/consents``), never their path; an exception is
logged by its type and stack, never its message (which may quote input)."""

from __future__ import annotations

import itertools
import logging
import os
import re
import secrets
import sys
import traceback
from collections.abc import MutableMapping
from time import perf_counter
from typing import Any, TextIO

import orjson
import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID = "x-request-id"
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_requests: Any = None
"""The request-line logger (structlog's own, the fast path), set by ``configure``; until
then requests are not logged."""
_HANDLER_NAME = "tactful-json"


def _exception(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Replace ``exc_info`` by the exception's type and stack, without its message."""
    info = event.pop("exc_info", None)
    if info is True:
        info = sys.exc_info()
    if isinstance(info, tuple) and info[0] is not None:
        frames = traceback.extract_tb(info[2])
        event["exception"] = info[0].__name__
        event["stack"] = [f"{f.filename}:{f.lineno} in {f.name}" for f in frames][-12:]
    return event


def _dumps(event: Any, **_: Any) -> str:
    return orjson.dumps(event, default=str).decode()


def configure(stream: TextIO | None = None, level: int = logging.INFO) -> logging.Handler:
    """JSON lines on ``stream`` (stderr) for the ``tactful`` loggers; idempotent."""
    logger = logging.getLogger("tactful")
    for old in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(old)
    chain: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=chain,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _exception,
            structlog.processors.JSONRenderer(serializer=_dumps),
        ],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    global _requests  # noqa: PLW0603 (one logger per process, configured at start)
    _requests = structlog.wrap_logger(
        structlog.PrintLogger(file=stream or sys.stderr),
        processors=[  # the request id is passed, not merged: the hot path stays short
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(serializer=_dumps),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
    )
    return handler


class _Ids:
    """Fresh request ids: 20 random hex digits drawn once per process, then a counter (12
    hex digits), so an id costs no system call (``uuid4`` reads the OS's random source on
    every request); a forked worker draws its own prefix."""

    def __init__(self) -> None:
        self.reseed()
        os.register_at_fork(after_in_child=self.reseed)

    def reseed(self) -> None:
        self.prefix = secrets.token_hex(10)
        self.counter = itertools.count()

    def fresh(self) -> str:
        return f"{self.prefix}{next(self.counter) & 0xFFFF_FFFF_FFFF:012x}"


_ids = _Ids()


def request_id(scope: Scope) -> str:
    """The caller's ``X-Request-ID`` when it looks like one, else a fresh one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            sent = str(value.decode("latin-1"))
            if _GOOD_ID.match(sent):
                return sent
    return _ids.fresh()


class RequestLog:
    """Pure ASGI middleware: binds the request id, answers it in ``X-Request-ID``, and
    logs one line when the response is done."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        started = perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID] = rid
            await send(message)

        tokens = structlog.contextvars.bind_contextvars(request_id=rid)
        try:
            await self.app(scope, receive, sending)
        finally:
            if _requests is not None:
                _requests.info(
                    "request",
                    request_id=rid,
                    logger="tactful.requests",
                    method=scope["method"],
                    route=getattr(scope.get("route"), "path", None) or "unmatched",
                    status=status,
                    ms=round((perf_counter() - started) * 1000, 3),
                )
            structlog.contextvars.reset_contextvars(**tokens)
