"""German and English from the shipped catalogues, chosen by ?lang= or Accept-Language;
the brand's name, colours and logo from settings, all served by Tactful."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pydantic import ValidationError

from tactful.settings import Settings
from tactful.web.pages import i18n
from tests.web.pages.conftest import Shop, make_shop
from tests.web.pages.world import ANN

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "update_catalogues.py"


def test_accept_language_picks_german(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    r = c.get("/me", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"})
    assert '<html lang="de">' in r.text
    for words in ("Was wir verwenden", "Wie wir personalisieren", "Für Sie empfohlen",
                  "Was wir über Sie zu wissen glauben", "Nachrichten", "Ihre Daten",
                  "Auswahl speichern", "Anzahl der Empfehlungen", "Warum das?",
                  "Nichts für mich", "Das stimmt nicht", "Meine Daten löschen",
                  "Sie scheinen sich für running zu interessieren."):  # fmt: skip
        assert words in r.text, words
    assert "23. Mai 2027" in r.text  # dates in German too


def test_lang_parameter_wins_and_is_remembered(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    assert '<html lang="de">' in c.get("/me?lang=de", headers={"Accept-Language": "en"}).text
    again = c.get("/me/why/run1", headers={"Accept-Language": "en"}).text
    assert '<html lang="de">' in again and "Was unsere Schutzregeln getan haben" in again
    assert '<html lang="en">' in c.get("/me?lang=en").text


def test_the_401_page_and_a_link_with_lang_are_german(shop: Shop) -> None:
    c = shop.client()
    r = c.get("/me?lang=de")
    assert r.status_code == 401 and "Dieser Link ist nicht mehr gültig" in r.text
    token = shop.app.access.issue_token(ANN).token
    c.get("/me", params={"token": token, "lang": "de"})
    assert "Ihre Seite" in c.get("/me").text


def test_unknown_languages_fall_back_to_the_default() -> None:
    assert i18n.choose(None, None, "fr-FR,it;q=0.8", "en") == "en"
    assert i18n.choose("xx", None, "de;q=0,en", "de") == "en"
    assert i18n.choose(None, "de", "en", "en") == "de"


def test_every_page_string_is_translated_to_german() -> None:
    spec = importlib.util.spec_from_file_location("update_catalogues", SCRIPT)
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    extracted = {m.id for m in script.extract() if m.id}
    german = i18n.translations("de")
    for msgid in extracted:
        single = msgid[0] if isinstance(msgid, tuple) else msgid
        assert german.gettext(single) != single, single


def test_brand_name_colours_and_logo(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')
    brand = {"name": "Trailhead", "colour_primary": "#aa3300", "logo": str(logo)}
    shop = next(make_shop(tmp_path, pages=brand))
    c = shop.signed_in(ANN)
    page = c.get("/me").text
    assert "<title>Your page · Trailhead</title>" in page
    assert '<img src="/pages/logo"' in page
    css = c.get("/pages/brand.css")
    assert "--brand: #aa3300;" in css.text and css.headers["content-type"].startswith("text/css")
    got = c.get("/pages/logo")
    assert got.status_code == 200 and got.headers["content-type"] == "image/svg+xml"
    assert c.get("/pages/static/pages.css").status_code == 200
    for ref in ("http://", "https://", "//"):
        assert f'src="{ref}' not in page and f'href="{ref}' not in page  # nothing external


def test_no_logo_and_bad_brand_settings(shop: Shop) -> None:
    assert shop.client().get("/pages/logo").status_code == 404
    with pytest.raises(ValidationError, match="colour_primary"):
        Settings(pages={"colour_primary": "red;}body{display:none"})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="frame_ancestors"):
        Settings(pages={"frame_ancestors": "'none'; script-src *"})  # type: ignore[arg-type]
