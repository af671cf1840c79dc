"""Every form of /me, its round trip checked through the REST API: consents, preferences
(and their errors), "Not for me", corrections, downloads and erasure; CSRF refusals."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.pages.conftest import Shop
from tests.web.pages.world import ANN, EVERYTHING, RUN

PREFS = {
    "max_recommendations": "2",
    "timezone": "Europe/Berlin",
    "quiet_from": "22:00",
    "quiet_until": "07:00",
    "cap_email": "1",
    "cap_push": "0",
    "muted": ["camping"],
    "values": ["sustainability"],
    "pause_until": "",
}


def api(shop: Shop, path: str, **params: Any) -> dict[str, Any]:
    r = shop.client().get(f"/v1/subjects/{ANN}/{path}", params=params, headers=shop.read)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def state(shop: Shop, subject: str = ANN) -> tuple[Any, ...]:
    """Everything a form could change about a person (shown lists aside)."""
    stores = shop.app.stores
    return (
        stores.consents.history(subject),
        stores.preferences.get(subject),
        stores.events.for_subject(subject),
        stores.signals.for_subject(subject),
    )


def post(shop: Shop, c: TestClient, path: str, data: dict[str, Any]) -> Any:
    return c.post(path, data={"csrf_token": shop.token_for(c), **data})


def test_withdrawing_personalization_makes_the_next_api_list_unpersonalized(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    assert api(shop, "recommendations")["personalized"] is True
    keep = [p for p in EVERYTHING if p not in ("personalization", "analytics")]
    r = post(shop, c, "/me/consents", {"purpose": keep})
    assert r.status_code == 303 and r.headers["location"] == "/me#consents"
    consents = api(shop, "consents")
    assert consents["current"]["personalization"] == "denied"
    assert consents["current"]["messaging"] == "granted"
    new = consents["history"][len(EVERYTHING) :]  # only the changes were appended
    assert {(d["purpose"], d["decision"], d["source"]) for d in new} == {
        ("personalization", "denied", "preference_center"),
        ("analytics", "denied", "preference_center"),
    }
    assert api(shop, "recommendations")["personalized"] is False
    assert shop.app.stores.events.for_subject(ANN) == []  # nothing else covered them
    page = c.get("/me").text
    assert "Your choices are saved." in page
    assert 'id="purpose-personalization" name="purpose" value="personalization" ' in page
    assert 'value="messaging" aria-describedby="purpose-messaging-about" checked' in page


def test_saved_preferences_read_back_through_the_api_and_cap_the_list(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    r = post(shop, c, "/me/preferences", {**PREFS, "celebrations": "on"})
    assert r.status_code == 303, r.text
    prefs = api(shop, "preferences")
    assert prefs["max_recommendations"] == 2
    assert prefs["timezone"] == "Europe/Berlin"
    assert prefs["quiet_hours"] == {"start": "22:00:00", "end": "07:00:00"}
    assert prefs["max_messages_per_week"] == {"email": 1, "push": 0}
    assert prefs["muted_categories"] == ["camping"]
    assert prefs["values"] == ["sustainability"]
    assert prefs["celebrations"] is True
    assert prefs["pause_until"] is None
    items = api(shop, "recommendations", limit=10)["items"]
    assert 1 <= len(items) <= 2
    assert c.get("/me").text.count('<li class="item">') <= 2


def test_pause_is_the_start_of_the_day_in_the_persons_zone(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    post(shop, c, "/me/preferences", {**PREFS, "pause_until": "2026-07-01"})
    assert api(shop, "preferences")["pause_until"] == "2026-07-01T00:00:00+02:00"
    assert 'value="2026-07-01"' in c.get("/me").text
    assert api(shop, "preferences")["celebrations"] is False  # unticked


def test_invalid_preferences_come_back_with_errors_and_nothing_is_saved(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    before = api(shop, "preferences")
    bad = {**PREFS, "max_recommendations": "50", "timezone": "Mars/Olympus", "cap_sms": "x"}
    bad["quiet_until"] = ""
    r = post(shop, c, "/me/preferences", bad)
    assert r.status_code == 422
    html = r.text
    assert "Nothing was saved." in html
    assert 'id="max_recommendations-error">Enter a whole number from 1 to 20,' in html
    assert 'aria-invalid="true" aria-describedby="max_recommendations-error"' in html
    assert 'id="timezone-error">Enter a time zone such as Europe/Berlin' in html
    assert 'id="cap_sms-error">' in html and 'id="quiet_until-error">' in html
    assert 'value="Mars/Olympus"' in html  # what was typed is shown again
    assert 'name="muted" value="camping" checked' in html  # and what was ticked
    assert api(shop, "preferences") == before


def test_not_for_me_records_a_dismiss_and_the_item_leaves_the_list(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    first = api(shop, "recommendations")["items"][0]["item_id"]
    r = post(shop, c, "/me/dismiss", {"item_id": first})
    assert r.status_code == 303 and r.headers["location"] == "/me#recommended"
    dismissed = [e for e in shop.app.stores.events.for_subject(ANN) if e.type.value == "dismiss"]
    assert [(e.item_id, e.source) for e in dismissed] == [(first, "preference_center")]
    assert first not in [i["item_id"] for i in api(shop, "recommendations")["items"]]
    assert "Noted: we will show you less like it." in c.get("/me").text


def test_why_this_shows_reasons_evidence_and_guards(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    rec = api(shop, "recommendations")["items"][0]
    r = c.get(f"/me/why/{rec['item_id']}")
    assert r.status_code == 200
    assert f"Why this? {rec['title']}" in r.text
    assert "It is number 1 on your list." in r.text
    assert rec["reasons"][0]["text"] in r.text
    assert re.search(r"<strong>Trail shoe \d</strong> — bought ×1", r.text)  # the evidence
    assert "The number of recommendations you chose" in r.text  # the budget guard's step
    missing = c.get("/me/why/no-such-item")
    assert missing.status_code == 404 and "Not found" in missing.text


def test_a_held_back_item_says_which_guard_held_it(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    post(shop, c, "/me/preferences", {**PREFS, "muted": ["running"]})
    r = c.get(f"/me/why/{RUN[0]}")
    assert "We are holding it back: Categories you muted." in r.text


def test_the_page_logs_what_it_showed_as_a_preference_center_exposure(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    c.get("/me")
    shop.app.exposures.flush()
    (shown,) = shop.app.stores.exposures.for_subject(ANN)
    assert shown.context == "preference_center"
    assert shown.items and set(shown.items) <= set(RUN)


def test_thats_not_right_removes_the_inference(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    assert "You seem interested in running." in c.get("/me").text
    r = post(shop, c, "/me/signals", {"kind": "interest:running"})
    assert r.status_code == 303 and r.headers["location"] == "/me#inferences"
    signals = {s["kind"]: s["value"] for s in api(shop, "signals")["signals"]}
    assert signals["interest:running"] == 0  # the correction overrides the inference
    page = c.get("/me").text
    assert "You seem interested in running." not in page
    assert "we removed it" in page
    assert post(shop, c, "/me/signals", {"kind": "mood"}).status_code == 404


def test_downloads_are_the_export_as_json_and_zip(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    r = c.get("/me/export.json")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="my-data.json"'
    doc = json.loads(r.text)
    assert doc["subject_id"] == ANN
    assert {e["event_id"] for e in doc["data"]["events"]} >= {"ann-run1"}
    z = c.get("/me/export.zip")
    assert z.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    assert "README.txt" in names and "consents.csv" in names


def test_delete_confirms_erases_like_the_api_and_ends_the_session(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    confirm = c.get("/me/delete")
    assert confirm.status_code == 200 and "Delete all my data now" in confirm.text
    r = post(shop, c, "/me/delete", {})
    assert r.status_code == 200
    assert "Your data is deleted" in r.text and "<td>events</td>" in r.text
    assert c.get("/me").status_code == 401
    doc = api(shop, "export")
    assert doc["erased"] is True and "data" not in doc
    assert shop.app.stores.events.for_subject(ANN) == []


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/me/consents", {"purpose": []}),
        ("/me/preferences", PREFS),
        ("/me/dismiss", {"item_id": RUN[0]}),
        ("/me/signals", {"kind": "interest:running"}),
        ("/me/delete", {}),
        ("/me/signout", {}),
    ],
)
def test_a_post_without_a_valid_csrf_token_is_refused(
    shop: Shop, path: str, data: dict[str, Any]
) -> None:
    c = shop.signed_in(ANN)
    before = state(shop)
    for token in (None, "forged", shop.token_for(shop.signed_in(ANN))):
        sent = data if token is None else {**data, "csrf_token": token}
        r = c.post(path, data=sent)
        assert r.status_code == 403, (path, token)
        assert "nothing was changed" in r.text
    assert state(shop) == before
    assert c.get("/me").status_code == 200  # still signed in, nothing erased


def test_an_empty_number_of_recommendations_leaves_the_choice_unmade(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    post(shop, c, "/me/preferences", PREFS)
    assert api(shop, "preferences")["max_recommendations"] == 2
    post(shop, c, "/me/preferences", {**PREFS, "max_recommendations": ""})
    assert api(shop, "preferences")["max_recommendations"] is None
    assert 'name="max_recommendations" min="1" max="20" inputmode="numeric" value=""' in (
        c.get("/me").text
    )
