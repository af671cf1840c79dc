"""Security headers for the pages, and the middleware that applies the pages' session and
headers only under their own paths (the API's hot routes never pay for them)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def policy(frame_ancestors: str) -> str:
    """The Content-Security-Policy: everything from this server only, no inline script or
    style, forms post only here, and frames only where ``frame_ancestors`` allows."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
        f"frame-ancestors {frame_ancestors}"
    )


class SecurityHeaders:
    """CSP, ``Referrer-Policy: no-referrer``, ``nosniff``, and ``no-store`` for pages (they
    show personal data)."""

    def __init__(self, app: ASGIApp, *, frame_ancestors: str) -> None:
        self._app = app
        self._headers = {
            "content-security-policy": policy(frame_ancestors),
            "referrer-policy": "no-referrer",
            "x-content-type-options": "nosniff",
            "cross-origin-opener-policy": "same-origin",
            "permissions-policy": "camera=(), microphone=(), geolocation=()",
        }
        if frame_ancestors.strip() == "'none'":
            self._headers["x-frame-options"] = "DENY"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        static = scope.get("path", "").startswith("/pages/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self._headers.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self._app(scope, receive, with_headers)


class Under:
    """Send requests under ``prefixes`` through ``wrapped``; all others straight to ``app``."""

    def __init__(self, app: ASGIApp, *, wrapped: ASGIApp, prefixes: Sequence[str]) -> None:
        self._app = app
        self._wrapped = wrapped
        self._prefixes = tuple(prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if any(path == p or path.startswith(p + "/") for p in self._prefixes):
            await self._wrapped(scope, receive, send)
        else:
            await self._app(scope, receive, send)
