"""The interactive API docs, ``/docs`` (Swagger UI) and ``/redoc``, served entirely from
this server: their scripts and styles are the assets of the installed ``fastapi-offline``
package (Swagger UI 5, ReDoc 2), mounted at ``/docs-assets``, so the pages work without
internet and under a strict Content-Security-Policy. No CDN is ever referenced."""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(str(files("fastapi_offline") / "static"))
PREFIX = "/docs-assets"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def policy(page: str) -> str:
    """A Content-Security-Policy that admits this server's assets and the page's own inline
    scripts (by hash), nothing from elsewhere."""
    digests = (hashlib.sha256(s.encode()).digest() for s in _INLINE_SCRIPT.findall(page))
    scripts = ["'self'", *(f"'sha256-{base64.b64encode(d).decode()}'" for d in digests)]
    return (
        f"default-src 'self'; script-src {' '.join(scripts)}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


def _page(html: HTMLResponse) -> HTMLResponse:
    page = bytes(html.body).decode()
    return HTMLResponse(page, headers={"Content-Security-Policy": policy(page)})


def install(app: FastAPI, *, title: str, openapi_url: str = "/openapi.json") -> None:
    """Add ``/docs``, ``/redoc`` and their assets to ``app`` (made with ``docs_url=None,
    redoc_url=None``, so FastAPI's CDN-loading pages are not there)."""
    app.mount(PREFIX, StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(
            get_swagger_ui_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{title} - API docs",
                swagger_js_url=f"{root}{PREFIX}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{PREFIX}/swagger-ui.css",
                swagger_favicon_url=f"{root}{PREFIX}/favicon.png",
                swagger_ui_parameters={"validatorUrl": None},  # no online validator badge
            )
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(
            get_redoc_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{title} - API reference",
                redoc_js_url=f"{root}{PREFIX}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{PREFIX}/favicon.png",
                with_google_fonts=False,
            )
        )
