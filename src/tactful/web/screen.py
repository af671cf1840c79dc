"""The screen at the web edge, as plain ASGI middleware in front of every route (the
``@app.middleware("http")`` form wraps every request in a task and memory streams, which
cost more than most of our handlers). Before any handler runs, so nothing is written:

- a body over ``limit`` bytes gets 413, whether it declares its ``content-length`` or
  arrives chunked (the bytes are counted as they arrive; reading stops at the limit);
- a body that is not UTF-8, or a JSON or form body holding a NUL character or a lone
  surrogate anywhere, gets 422 naming the field (``events[3].subject_id``); so do such
  characters in the path or the query string. No store can keep them (PostgreSQL text
  holds no NUL; a lone surrogate cannot be encoded as UTF-8, so no reply could carry it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tactful.ingest.parse import unstorable

_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
_SUSPECT = re.compile(rb"\\u(?:0000|[dD][89abcdefABCDEF])")
"""The only ways JSON text spells a NUL or a surrogate (escapes: raw ones are not valid
JSON or not UTF-8). Emoji escaped as surrogate pairs match too; the walk then finds them
paired, as json decodes them."""
_DECODE = "utf-8"


class TooLarge(Exception):
    pass


def refusal(status: int, error: str, message: str, field: str | None) -> JSONResponse:
    return JSONResponse({"error": error, "message": message, "field": field}, status)


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string of a decoded JSON document (keys included) with its field path."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, str):
            yield at, node
        elif isinstance(node, dict):
            for k, v in node.items():
                inner = f"{at}.{k}" if at else str(k)
                yield inner, k
                stack.append((v, inner))
        elif isinstance(node, list):
            stack.extend((v, f"{at}[{i}]") for i, v in enumerate(node))


def bad_json_string(body: bytes) -> tuple[str, str] | None:
    """The first (field, reason) of a string no store can keep, or None (also when the
    body is not JSON at all: the route's own validation answers that)."""
    if _SUSPECT.search(body) is None:
        return None  # the fast path: nearly every body
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return _first_bad(_walk(doc, ""))


def _first_bad(strings: Iterator[tuple[str, str]]) -> tuple[str, str] | None:
    found = [(field or "body", why) for field, s in strings if (why := unstorable(s))]
    return min(found) if found else None


def bad_form_string(body: bytes) -> tuple[str, str] | None:
    pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, errors="surrogateescape")
    return _first_bad(((k, k) for k, _ in pairs)) or _first_bad(iter(pairs))


def bad_address(scope: Scope) -> tuple[str, str] | None:
    """A NUL or lone surrogate in the path or the query string."""
    path = str(scope.get("path", ""))
    if (why := unstorable(path)) is not None:
        return "path", why
    raw = bytes(scope.get("query_string", b"")).decode("latin-1")
    pairs = parse_qsl(raw, keep_blank_values=True, errors="surrogateescape")
    return _first_bad(((k, unquote(k)) for k, _ in pairs)) or _first_bad(iter(pairs))


class Screen:
    """The checks above, for every HTTP request, before the application sees it."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = bad_address(scope)
        if found is not None:
            await refusal(422, "invalid_input", f"{found[0]}: {found[1]}", found[0])(
                scope, receive, send
            )
            return
        headers = Headers(scope=scope)
        size = headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > self.limit:
            await self._too_large(scope, receive, send)
            return
        if scope["method"] in _NO_BODY and size is None and "transfer-encoding" not in headers:
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read(receive)
        except TooLarge:
            await self._too_large(scope, receive, send)
            return
        answer = self._check(body, headers.get("content-type", ""))
        if answer is not None:
            await answer(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes:
        """The whole body, counted as it arrives; ``TooLarge`` past the limit."""
        parts: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the app sees an empty body
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.limit:
                raise TooLarge
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(parts)

    def _check(self, body: bytes, content_type: str) -> JSONResponse | None:
        kind = content_type.split(";", maxsplit=1)[0].strip().lower()
        if not body or not (kind.endswith("json") or kind.endswith("x-www-form-urlencoded")):
            return None
        try:
            body.decode(_DECODE)
        except UnicodeDecodeError as err:
            why = f"is not UTF-8 (byte {err.start})"
            return refusal(422, "invalid_input", f"body: {why}", "body")
        found = bad_json_string(body) if kind.endswith("json") else bad_form_string(body)
        if found is None:
            return None
        return refusal(422, "invalid_input", f"{found[0]}: {found[1]}", found[0])

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"body over {self.limit} bytes"
        await refusal(413, "payload_too_large", message, "body")(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over the body read already, then the client's messages."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
