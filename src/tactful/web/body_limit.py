"""Refusing oversized bodies before anything reads them, as plain ASGI middleware (the
``@app.middleware("http")`` form wraps every request in a task and memory streams, which
cost more than most of our handlers)."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send


class BodyLimit:
    """413 for any HTTP request whose declared ``content-length`` exceeds ``limit``."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = Headers(scope=scope).get("content-length")
            if size is not None and size.isdigit() and int(size) > self.limit:
                refusal = JSONResponse(
                    {"error": "payload_too_large", "message": f"body over {self.limit} bytes"},
                    status_code=413,
                )
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)
