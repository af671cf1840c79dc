"""Rendering pages: one Jinja2 environment (autoescaped, gettext through the request's
catalogue), the brand, the language and the session's CSRF token in every page."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from babel.dates import format_date, format_datetime
from babel.support import Translations
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tactful.settings import PagesSettings
from tactful.web.pages import i18n, sessions

_LANG: ContextVar[str] = ContextVar("pages_lang", default="en")


def _catalogue() -> Translations:
    return i18n.translations(_LANG.get())


def _gettext(message: str) -> str:
    return _catalogue().gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue().ngettext(singular, plural, n)


def _when(value: datetime | None, style: str = "medium") -> str:
    """A moment in the page's language (``2. Juni 2026, 14:00``)."""
    if value is None:
        return ""
    return format_datetime(value, format=style, locale=_LANG.get())


def _day(value: datetime | None) -> str:
    return "" if value is None else format_date(value, format="long", locale=_LANG.get())


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tactful.web.pages", "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["when"] = _when
    env.filters["day"] = _day
    return env


class Site:
    """What every page shares: templates, brand, language choice and the CSRF token."""

    def __init__(self, settings: PagesSettings) -> None:
        self.settings = settings
        self._env = environment()

    def language(self, request: Request) -> str:
        """``?lang=`` (remembered in the session), the session's, or Accept-Language."""
        asked = request.query_params.get("lang")
        lang = i18n.choose(
            asked,
            request.session.get(sessions.LANG),
            request.headers.get("accept-language", ""),
            self.settings.default_language,
        )
        if asked in i18n.LANGUAGES:
            request.session[sessions.LANG] = lang
        return lang

    def gettext(self, request: Request, message: str) -> str:
        """One catalogue string in the request's language (for headers and file names)."""
        return i18n.translations(self.language(request)).gettext(message)

    def render(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        status: int = 200,
    ) -> HTMLResponse:
        lang = self.language(request)
        page = {
            "brand": self.settings,
            "lang": lang,
            "languages": i18n.LANGUAGES,
            "path": request.url.path,
            "csrf_field": sessions.CSRF_FIELD,
            "csrf_token": sessions.csrf_token(request),
            "signed_in": sessions.subject(request) is not None,
            "notice": sessions.take_notice(request),
            **(context or {}),
        }
        token = _LANG.set(lang)
        try:
            html = self._env.get_template(template).render(page)
        finally:
            _LANG.reset(token)
        return HTMLResponse(html, status_code=status)
