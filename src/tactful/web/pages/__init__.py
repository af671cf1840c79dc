"""The page infrastructure shared by the person's pages (``/me``) and the operator's:
templates, catalogues (en, de), brand, signed-cookie sessions with CSRF tokens, security
headers and the static files, all served by Tactful itself. ``install(app, settings)``
once; routers use ``PageRoute`` and ``request.app.state.site.render``."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from tactful.privacy.keyring import SESSION, Keyring
from tactful.settings import Settings
from tactful.web.pages.assets import router as assets
from tactful.web.pages.errors import PageRoute
from tactful.web.pages.headers import SecurityHeaders, Under
from tactful.web.pages.render import Site
from tactful.web.pages.sessions import Sessions

PREFIXES = ("/me", "/pages")


def install(app: FastAPI, settings: Settings, *, prefixes: Sequence[str] = PREFIXES) -> Site:
    """Serve pages under ``prefixes`` with sessions and security headers; the assets at
    ``/pages/...``. Returns the ``Site`` (also ``app.state.site``)."""
    site = Site(settings.pages)
    app.state.site = site
    app.include_router(assets)
    secret = Keyring(settings.secret_key.get_secret_value()).key(SESSION).hex()
    app.add_middleware(
        PagesMiddleware,
        secret=secret,
        max_age=settings.pages.session_minutes * 60,
        frame_ancestors=settings.pages.frame_ancestors,
        prefixes=tuple(prefixes),
    )
    return site


class PagesMiddleware(Under):
    """Sessions and security headers for the page paths only."""

    def __init__(
        self,
        app: object,
        *,
        secret: str,
        max_age: int,
        frame_ancestors: str,
        prefixes: Sequence[str],
    ) -> None:
        inner = app  # the ASGI app below this middleware
        wrapped = SecurityHeaders(
            Sessions(inner, secret=secret, max_age=max_age),  # type: ignore[arg-type]
            frame_ancestors=frame_ancestors,
        )
        super().__init__(inner, wrapped=wrapped, prefixes=prefixes)  # type: ignore[arg-type]


__all__ = ["PREFIXES", "PageRoute", "Site", "install"]
