"""A session for Ann never shows or changes anything of Bob's, on every page and form."""

from __future__ import annotations

import re
from typing import Any

from tests.web.pages.conftest import Shop
from tests.web.pages.test_forms import PREFS, state
from tests.web.pages.world import ANN, BOB, CAMP, RUN

BOBS = (
    "Tent",
    "a bereavement",
    "my father passed",
    "interested in camping",
    "care about repair",
    "bob-",
)
"""What only Bob's pages say (the catalogue's category names are everyone's)."""


def test_anns_pages_show_nothing_of_bobs(shop: Shop) -> None:
    bob = shop.signed_in(BOB).get("/me").text
    assert "my father passed" in bob and "a bereavement" in bob  # Bob's page has them
    ann = shop.signed_in(ANN)
    pages = [ann.get(p).text for p in ("/me", f"/me/why/{RUN[1]}", "/me/delete")]
    pages.append(ann.get("/me/export.json").text)
    for page in pages:
        for word in BOBS:
            assert word not in page, word
    for word in BOBS[1:]:
        assert word in bob or word == "bob-", word


def test_anns_why_of_a_bob_item_is_about_ann(shop: Shop) -> None:
    r = shop.signed_in(ANN).get(f"/me/why/{CAMP[0]}")
    assert r.status_code == 200
    named = re.findall(r"<strong>([^<]+)</strong> —", r.text)
    assert all(t.startswith("Trail shoe") for t in named), named  # only Ann's own events


def test_anns_forms_never_change_bobs_data(shop: Shop) -> None:
    before = state(shop, BOB)
    ann = shop.signed_in(ANN)

    def post(path: str, data: dict[str, Any]) -> int:
        sent = {"csrf_token": shop.token_for(ann), "subject_id": BOB, **data}
        return ann.post(f"{path}?subject_id={BOB}", data=sent).status_code

    assert post("/me/consents", {"purpose": []}) == 303
    assert post("/me/preferences", {**PREFS, "max_recommendations": "1"}) == 303
    assert post("/me/dismiss", {"item_id": CAMP[0]}) == 303
    assert post("/me/signals", {"kind": "interest:camping"}) == 303  # Ann's own correction
    assert post("/me/signals", {"kind": "life_event:bereavement"}) == 404  # Ann has none
    assert post("/me/delete", {}) == 200
    assert state(shop, BOB) == before
    assert shop.app.stores.events.for_subject(ANN) == []  # it was Ann who was erased


def test_bobs_csrf_token_does_not_work_in_anns_session(shop: Shop) -> None:
    ann, bob = shop.signed_in(ANN), shop.signed_in(BOB)
    r = ann.post("/me/consents", data={"csrf_token": shop.token_for(bob), "purpose": []})
    assert r.status_code == 403
    assert state(shop, ANN)[0] == shop.app.stores.consents.history(ANN)
    assert shop.app.consents.view(ANN).current
