"""The person's pages in a real browser: entry, every form's round trip checked through the
REST API, "Why this?", "Not for me", correction, download, delete, CSRF and cross-person
refusal, axe scans of every page, keyboard-only use, 375 px, and German."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Server, axe_clean
from tests.web.pages.world import ANN, BOB

pytestmark = pytest.mark.browser
Page = Any
GERMAN_SECTIONS = (
    "Was wir verwenden",
    "Wie wir personalisieren",
    "Für Sie empfohlen",
    "Was wir über Sie zu wissen glauben",
    "Nachrichten",
    "Ihre Daten",
)


def sign_in(page: Page, server: Server, subject: str, **query: str) -> None:
    page.goto(server.link(subject, **query))
    assert page.url == server.base + "/me"  # the token left the address bar


def test_the_link_signs_in_drops_the_token_and_sign_out_ends_it(page: Page, server: Server) -> None:
    link = server.link(ANN)
    page.goto(link)
    assert page.url == server.base + "/me"
    assert page.evaluate("history.length") == 2  # about:blank, then /me: no token entry
    assert page.get_by_role("heading", level=1).inner_text() == "Your page"
    cookie = next(c for c in page.context.cookies() if c["name"] == "tactful_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    axe_clean(page)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are signed out.").wait_for()
    axe_clean(page)
    assert page.goto(server.base + "/me").status == 401
    page.get_by_text("This link is not valid any more").wait_for()
    axe_clean(page)


def test_withdrawn_consent_makes_the_api_list_unpersonalized(page: Page, server: Server) -> None:
    subject = "r2"
    assert server.api("GET", f"/v1/subjects/{subject}/recommendations")["personalized"]
    sign_in(page, server, subject)
    box = page.get_by_label("Personalization")
    assert box.is_checked()
    box.uncheck()
    page.get_by_role("button", name="Save choices").click()
    page.get_by_text("Your choices are saved.").wait_for()
    assert not page.get_by_label("Personalization").is_checked()
    consents = server.api("GET", f"/v1/subjects/{subject}/consents")
    assert consents["current"]["personalization"] == "denied"
    assert consents["history"][-1]["source"] == "preference_center"
    rec = server.api("GET", f"/v1/subjects/{subject}/recommendations")
    assert rec["personalized"] is False


def test_a_budget_of_two_caps_the_api_list(page: Page, server: Server) -> None:
    subject = "r3"
    assert len(server.api("GET", f"/v1/subjects/{subject}/recommendations")["items"]) > 2
    sign_in(page, server, subject)
    page.get_by_label("Number of recommendations").fill("2")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_label("Quiet hours from").fill("22:00")
    page.get_by_label("Quiet hours until").fill("07:00")
    page.get_by_label("Messages per week by email").fill("1")
    page.get_by_role("group", name="Muted categories").get_by_label("camping").check()
    page.get_by_label("Celebrate milestones").uncheck()
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_text("Your preferences are saved.").wait_for()
    prefs = server.api("GET", f"/v1/subjects/{subject}/preferences")
    assert prefs["max_recommendations"] == 2 and prefs["timezone"] == "Europe/Berlin"
    assert prefs["quiet_hours"] == {"start": "22:00:00", "end": "07:00:00"}
    assert prefs["max_messages_per_week"] == {"email": 1}
    assert prefs["muted_categories"] == ["camping"] and prefs["celebrations"] is False
    items = server.api("GET", f"/v1/subjects/{subject}/recommendations", params={"limit": 10})
    assert 1 <= len(items["items"]) <= 2
    assert page.locator("li.item").count() <= 2


def test_invalid_input_shows_the_error_by_its_field(page: Page, server: Server) -> None:
    sign_in(page, server, ANN)
    before = server.api("GET", f"/v1/subjects/{ANN}/preferences")
    page.get_by_label("Number of recommendations").fill("50")
    page.get_by_role("button", name="Save preferences").click()
    field = page.get_by_label("Number of recommendations")
    assert field.get_attribute("aria-invalid") == "true"
    assert (
        "Enter a whole number from 1 to 20,"
        in page.locator("#max_recommendations-error").inner_text()
    )
    axe_clean(page)
    assert server.api("GET", f"/v1/subjects/{ANN}/preferences") == before


def test_why_this_explains_an_item(page: Page, server: Server) -> None:
    sign_in(page, server, "r4")
    first = page.locator("li.item h3").first.inner_text()
    page.get_by_role("link", name=re.compile(f"Why this\\? {first}")).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Why this? {first}"
    page.get_by_text("It is number 1 on your list.").wait_for()
    assert page.get_by_role("table").get_by_text("The number of recommendations you chose").count()
    axe_clean(page)


def test_not_for_me_records_a_dismiss(page: Page, server: Server) -> None:
    subject = "r5"
    sign_in(page, server, subject)
    first = page.locator("li.item h3").first.inner_text()
    page.get_by_role("button", name=re.compile(f"Not for me {first}")).click()
    page.get_by_text("Noted: we will show you less like it.").wait_for()
    assert first not in page.locator("li.item h3").all_inner_texts()
    events = server.api("GET", f"/v1/subjects/{subject}/export")["data"]["events"]
    assert [e["type"] for e in events if e["source"] == "preference_center"] == ["dismiss"]


def test_thats_not_right_corrects_an_inference(page: Page, server: Server) -> None:
    subject = "r6"
    sign_in(page, server, subject)
    page.get_by_text("You seem interested in running.").wait_for()
    page.get_by_role("button", name="That's not right (interest:running)").click()
    page.get_by_text("we removed it").wait_for()
    assert page.get_by_text("You seem interested in running.").count() == 0
    signals = server.api("GET", f"/v1/subjects/{subject}/signals")["signals"]
    assert {s["kind"]: s["value"] for s in signals}["interest:running"] == 0


def test_download_my_data(page: Page, server: Server, tmp_path: Path) -> None:
    sign_in(page, server, "r7")
    with page.expect_download() as got:
        page.get_by_role("link", name="Download my data (JSON)").click()
    saved = tmp_path / got.value.suggested_filename
    got.value.save_as(saved)
    assert saved.name == "my-data.json"
    doc = json.loads(saved.read_text())
    assert doc["subject_id"] == "r7" and doc["data"]["events"]
    with page.expect_download() as zipped:
        page.get_by_role("link", name="Download my data (zip, CSV)").click()
    assert zipped.value.suggested_filename == "my-data.zip"


def test_delete_my_data(page: Page, server: Server) -> None:
    subject = "r8"
    sign_in(page, server, subject)
    page.get_by_role("button", name="Delete my data").click()
    page.get_by_role("heading", name="Delete my data?").wait_for()
    axe_clean(page)
    page.get_by_role("button", name="Delete all my data now").click()
    page.get_by_role("heading", name="Your data is deleted").wait_for()
    assert page.get_by_role("cell", name="events", exact=True).count() == 1
    axe_clean(page)
    doc = server.api("GET", f"/v1/subjects/{subject}/export")
    assert doc["erased"] is True
    assert page.goto(server.base + "/me").status == 401


def test_a_form_with_a_bad_csrf_token_is_refused(page: Page, server: Server) -> None:
    subject = "c3"
    sign_in(page, server, subject)
    page.eval_on_selector_all("input[name=csrf_token]", "els => els.forEach(e => e.value = 'x')")
    page.get_by_label("Personalization").uncheck()
    page.get_by_role("button", name="Save choices").click()
    page.get_by_role("heading", name="That did not work").wait_for()
    consents = server.api("GET", f"/v1/subjects/{subject}/consents")
    assert consents["current"]["personalization"] == "granted"
    axe_clean(page)


def test_one_persons_session_shows_nothing_of_anothers(page: Page, server: Server) -> None:
    sign_in(page, server, BOB)
    assert page.get_by_text("my father passed").count() == 1
    sign_in(page, server, ANN)  # the same browser, now Ann's session
    text = page.locator("main").inner_text()
    assert "my father passed" not in text and "Tent" not in text
    assert page.goto(server.base + "/me/why/camp1").status == 200
    named = page.locator("ul.basis strong").all_inner_texts()
    assert all(t.startswith("Trail shoe") for t in named), named  # only Ann's events


def test_keyboard_only_and_a_narrow_screen(page: Page, server: Server) -> None:
    subject = "c2"
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, server, subject)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    box = page.get_by_label("Messaging")
    for _ in range(40):
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Messaging cannot be reached with Tab")
    page.keyboard.press("Space")
    assert box.is_checked()
    save = page.get_by_role("button", name="Save choices")
    for _ in range(40):
        page.keyboard.press("Tab")
        if save.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Save choices cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Your choices are saved.").wait_for()
    consents = server.api("GET", f"/v1/subjects/{subject}/consents")
    assert consents["current"]["messaging"] == "granted"


def test_german_rendering_and_axe(browser: Any, server: Server) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    try:
        sign_in(page, server, BOB)
        assert page.get_attribute("html", "lang") == "de"
        for name in GERMAN_SECTIONS:
            assert page.get_by_role("heading", name=name, level=2).count() == 1, name
        assert page.get_by_label("Anzahl der Empfehlungen").count() == 1
        page.get_by_text("Wir vermuten, dass Sie gerade einen Trauerfall erleben.").wait_for()
        axe_clean(page)
        page.get_by_role("link", name="English").click()
        assert page.get_attribute("html", "lang") == "en"
    finally:
        context.close()
