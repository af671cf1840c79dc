"""The Communities section of /me: suggestions with their reasons, Join and Leave through
the same rules as the API (joining needs `community` granted)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.pages.conftest import Shop
from tests.web.pages.world import ANN, EVERYTHING

RUNNERS = {"community_id": "runners", "name": "Trail Runners", "categories": ["running"]}
REPAIR = {"community_id": "fixers", "name": "Repair and Reuse", "values": ["repair"]}


def post(shop: Shop, c: TestClient, data: dict[str, Any]) -> Any:
    return c.post("/me/communities", data={"csrf_token": shop.token_for(c), **data})


def section(html: str) -> str:
    return html.split('id="communities"', 1)[1].split("</section>", 1)[0]


def test_without_the_consent_the_section_says_how_and_join_is_refused(shop: Shop) -> None:
    shop.app.communities.define([RUNNERS, REPAIR])
    c = shop.signed_in(ANN)
    assert "tick Communities under What we use" in section(c.get("/me").text)
    r = post(shop, c, {"community_id": "runners", "action": "join"})
    assert r.status_code == 303 and r.headers["location"] == "/me#communities"
    assert shop.app.stores.communities.memberships(ANN) == []
    assert "tick Communities under What we use first" in c.get("/me").text


def test_suggested_then_joined_then_left(shop: Shop) -> None:
    shop.app.communities.define([RUNNERS, REPAIR])
    shop.app.consents.record(ANN, [{"purpose": "community", "decision": "granted"}])
    c = shop.signed_in(ANN)
    html = section(c.get("/me").text)
    assert "Trail Runners" in html and "shown an interest in running" in html
    assert "Repair and Reuse" not in html  # Ann never showed or declared it
    post(shop, c, {"community_id": "runners", "action": "join"})
    assert [m.community_id for m in shop.app.stores.communities.memberships(ANN)] == ["runners"]
    html = section(c.get("/me").text)
    assert "Communities you joined" in html and "fewer than 10 members" in html
    assert 'value="leave"' in html
    r = shop.client().get(f"/v1/subjects/{ANN}/communities", headers=shop.read)
    assert [x["community_id"] for x in r.json()["joined"]] == ["runners"]
    post(shop, c, {"community_id": "runners", "action": "leave"})
    assert shop.app.stores.communities.memberships(ANN) == []


def test_unticking_communities_on_the_page_leaves_them_all(shop: Shop) -> None:
    shop.app.communities.define([RUNNERS])
    shop.app.consents.record(ANN, [{"purpose": "community", "decision": "granted"}])
    c = shop.signed_in(ANN)
    post(shop, c, {"community_id": "runners", "action": "join"})
    c.post("/me/consents", data={"csrf_token": shop.token_for(c), "purpose": EVERYTHING})
    assert shop.app.stores.communities.memberships(ANN) == []
