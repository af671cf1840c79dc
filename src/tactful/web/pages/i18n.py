"""Page strings through gettext catalogues (Babel): ``locales/<lang>/LC_MESSAGES/
messages.po``, read and compiled in memory when the pages start (no build step), and the
language a request asks for (``?lang=``, then the session, then ``Accept-Language``)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES: Mapping[str, str] = {"en": "English", "de": "Deutsch"}
"""The shipped languages, each named in its own language (for the switcher)."""
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Marks a catalogue message id (found by ``scripts/update_catalogues.py``); it is
    translated where it is shown."""
    return message


@cache
def translations(lang: str) -> Translations:
    """The compiled catalogue of one shipped language."""
    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for {lang!r}")
    po = resources.files("tactful.web.pages") / "locales" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


def _accepted(header: str) -> list[str]:
    """Language ranges of an ``Accept-Language`` header, best first (q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and q > 0:
            ranked.append((-q, i, tag.strip().lower()))
    return [tag for _q, _i, tag in sorted(ranked)]


def choose(asked: str | None, kept: str | None, header: str, default: str) -> str:
    """The language to render in: ``?lang=``, the session's, the best shipped match of
    ``Accept-Language`` (``de-AT`` matches ``de``), else ``default``."""
    for lang in (asked, kept):
        if lang is not None and lang in LANGUAGES:
            return lang
    for tag in _accepted(header):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return default
