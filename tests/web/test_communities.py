"""Communities through the REST API: defining them, joining by choice (with `community`
granted), suggestions, content with community reasons, the k-anonymity rule at k-1, k and
k+1, withdrawal, export and erasure, and community messages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Api, trained

K = 3
TRAIL = {
    "community_id": "trail",
    "name": "Trail Clean-ups",
    "description": "Picking up litter on the trails, once a month",
    "values": ["environment"],
    "categories": ["outdoor"],
    "min_members": K,
}
REPAIR = {"community_id": "repair", "name": "Repair and Reuse", "values": ["repairable"]}
ITEMS: list[dict[str, Any]] = [
    *({"item_id": f"p{i}", "title": f"Jacket {i}", "categories": ["outdoor"]} for i in range(6)),
    {"item_id": "guide", "title": "Clean-up guide", "kind": "content", "values": ["environment"]},
    {
        "item_id": "story",
        "title": "A day on the trail",
        "kind": "content",
        "categories": ["outdoor"],
    },
    {"item_id": "knit", "title": "Knitting circle", "kind": "content", "categories": ["knitting"]},
]
PURPOSES = ("personalization", "community", "messaging")


def grant(api: Api, subject: str, *purposes: str, decision: str = "granted") -> None:
    body = {"decisions": [{"purpose": p, "decision": decision} for p in purposes]}
    r = api.client.put(f"/v1/subjects/{subject}/consents", json=body, headers=api.ingest)
    assert r.status_code == 200, r.text


def join(api: Api, subject: str, community: str = "trail") -> Any:
    return api.client.put(f"/v1/subjects/{subject}/communities/{community}", headers=api.ingest)


def events(api: Api, rows: list[tuple[str, str]]) -> None:
    body = [
        {"event_id": f"{s}-{i}-{n}", "subject_id": s, "type": "view", "item_id": i}
        for n, (s, i) in enumerate(rows)
    ]
    r = api.client.post("/v1/events", json={"events": body}, headers=api.ingest)
    assert r.json()["rejected"] == [], r.text


def world(api: Api, *, members: int, engaged: int) -> None:
    """``members`` people besides "me" in Trail Clean-ups, ``engaged`` of them viewed the
    guide; everyone views jackets, so a model trains."""
    r = api.client.put("/v1/communities", json={"communities": [TRAIL, REPAIR]}, headers=api.admin)
    assert r.status_code == 200, r.text
    api.client.put("/v1/items", json={"items": ITEMS}, headers=api.ingest).raise_for_status()
    people = [f"m{n}" for n in range(members)]
    for s in ["me", *people, "x0", "x1"]:
        grant(api, s, *PURPOSES)
    for s in ["me", *people]:
        assert join(api, s).status_code == 200
    rows = [(s, f"p{n % 6}") for s in [*people, "x0", "x1"] for n in range(3)]
    rows += [(s, "guide") for s in people[:engaged]]
    rows += [("x0", "guide"), ("x1", "guide")]  # not members: never counted
    events(api, rows)
    trained(api.client, api.admin)


def content(api: Api, subject: str = "me", **params: Any) -> dict[str, Any]:
    r = api.client.get(
        f"/v1/subjects/{subject}/recommendations",
        params={"kinds": "content", **params},
        headers=api.read,
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def reasons(body: dict[str, Any], item: str) -> dict[str, str]:
    found = [x for x in body["items"] if x["item_id"] == item]
    return {r["kind"]: r["text"] for r in found[0]["reasons"]} if found else {}


# -- defining and reading -------------------------------------------------------------------
def test_communities_are_defined_by_admins_and_read_with_member_counts(api: Api) -> None:
    body = {"communities": [TRAIL, REPAIR]}
    assert api.client.put("/v1/communities", json=body, headers=api.ingest).status_code == 403
    r = api.client.put("/v1/communities", json=body, headers=api.admin)
    assert r.status_code == 200, r.text
    assert [c["min_members"] for c in r.json()["communities"]] == [10, K]  # by id; default k
    grant(api, "u1", "community")
    join(api, "u1")
    shown = api.client.get("/v1/communities", headers=api.read).json()["communities"]
    assert [(c["community_id"], c["members"]) for c in shown] == [
        ("repair", "fewer than 10"),
        ("trail", "fewer than 3"),
    ]
    exact = api.client.get("/v1/communities/trail", headers=api.admin).json()
    assert exact["members"] == 1 and exact["name"] == "Trail Clean-ups"
    assert api.client.get("/v1/communities/nope", headers=api.read).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_members": 1}, "communities[0].min_members"),
        ({"name": ""}, "communities[0].name"),
        ({"colour": "red"}, "communities[0].colour"),
        ({"values": [], "categories": []}, "communities[0].values"),
    ],
)
def test_bad_communities_are_422_naming_the_field_and_nothing_is_written(
    api: Api, change: dict[str, Any], field: str
) -> None:
    body = {"communities": [{**TRAIL, **change}, REPAIR]}
    r = api.client.put("/v1/communities", json=body, headers=api.admin)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field
    assert api.client.get("/v1/communities", headers=api.read).json()["communities"] == []


# -- joining --------------------------------------------------------------------------------
def test_joining_needs_the_community_consent_and_withdrawal_leaves_all(api: Api) -> None:
    api.client.put("/v1/communities", json={"communities": [TRAIL, REPAIR]}, headers=api.admin)
    r = join(api, "u1")
    assert r.status_code == 422
    assert r.json()["errors"][0]["reason"] == "consent_required:community"
    grant(api, "u1", "community")
    r = join(api, "u1")
    assert r.status_code == 200 and r.json()["community_id"] == "trail"
    assert join(api, "u1", "repair").status_code == 200
    assert join(api, "u1", "nope").status_code == 404
    mine = api.client.get("/v1/subjects/u1/communities", headers=api.read).json()
    assert [c["community_id"] for c in mine["joined"]] == ["repair", "trail"]
    left = api.client.delete("/v1/subjects/u1/communities/repair", headers=api.ingest)
    assert left.json()["left"] is True
    grant(api, "u1", "community", decision="denied")
    mine = api.client.get("/v1/subjects/u1/communities", headers=api.read).json()
    assert mine["joined"] == [] and mine["suggested"] == []
    assert api.app.stores.communities.memberships("u1") == []


def test_suggestions_come_from_declared_values_then_interests_each_with_why(api: Api) -> None:
    api.client.put("/v1/communities", json={"communities": [TRAIL, REPAIR]}, headers=api.admin)
    api.client.put("/v1/items", json={"items": ITEMS}, headers=api.ingest).raise_for_status()
    grant(api, "u1", "community")
    prefs = {"values": ["repairable"]}
    api.client.put("/v1/subjects/u1/preferences", json=prefs, headers=api.ingest)
    got = api.client.get("/v1/subjects/u1/communities", headers=api.read).json()
    assert [s["community_id"] for s in got["suggested"]] == ["repair"]
    assert got["suggested"][0]["reasons"][0]["kind"] == "declared_value"
    grant(api, "u1", "personalization")
    events(api, [("u1", "p1"), ("u1", "p2")])  # outdoor jackets
    got = api.client.get("/v1/subjects/u1/communities", headers=api.read).json()
    assert [s["community_id"] for s in got["suggested"]] == ["repair", "trail"]
    assert got["suggested"][1]["reasons"] == [
        {"kind": "interest", "text": "You've shown an interest in outdoor"}
    ]
    grant(api, "u1", "personalization", decision="denied")  # inferred ones go with it
    got = api.client.get("/v1/subjects/u1/communities", headers=api.read).json()
    assert [s["community_id"] for s in got["suggested"]] == ["repair"]


def test_suggestions_never_come_from_sensitive_items(api: Api) -> None:
    grief = {"community_id": "grief", "name": "Grief circle", "categories": ["grief"]}
    api.client.put("/v1/communities", json={"communities": [grief]}, headers=api.admin)
    item = {"item_id": "h1", "title": "Coping", "categories": ["grief"], "sensitive": "health"}
    api.client.put("/v1/items", json={"items": [item]}, headers=api.ingest).raise_for_status()
    grant(api, "u1", "community", "personalization")
    events(api, [("u1", "h1"), ("u1", "h1")])
    got = api.client.get("/v1/subjects/u1/communities", headers=api.read).json()
    assert got["suggested"] == []


# -- content and the anonymity rule ---------------------------------------------------------
@pytest.mark.parametrize("engaged", [K - 1, K, K + 1])
def test_popular_with_members_appears_only_at_k_engaged(api: Api, engaged: int) -> None:
    world(api, members=K + 2, engaged=engaged)
    body = content(api)
    assert {x["kind"] for x in body["items"]} == {"content"}
    assert "knit" not in [x["item_id"] for x in body["items"]]  # not tied, never engaged
    guide = reasons(body, "guide")
    assert guide["community"] == "From Trail Clean-ups, a community you joined"
    if engaged >= K:
        assert guide["community_popular"] == f"Popular with {engaged} people in Trail Clean-ups"
    else:
        assert "community_popular" not in guide
    assert "community" in reasons(body, "story")


def test_a_community_below_k_members_yields_no_reasons_or_statistics(api: Api) -> None:
    world(api, members=K - 2, engaged=K - 2)  # with "me": K - 1 members
    body = content(api)
    for item in body["items"]:
        assert not {r["kind"] for r in item["reasons"]} & {"community", "community_popular"}
    shown = api.client.get("/v1/communities/trail", headers=api.read).json()
    assert shown["members"] == f"fewer than {K}"


def test_products_stay_the_default_and_both_kinds_can_be_asked(api: Api) -> None:
    world(api, members=K + 1, engaged=K)
    plain = api.client.get("/v1/subjects/me/recommendations", headers=api.read).json()
    assert {x["kind"] for x in plain["items"]} == {"product"}
    both = content(api, kinds="product,content", limit=20)
    assert {x["kind"] for x in both["items"]} == {"product", "content"}
    bad = api.client.get("/v1/subjects/me/recommendations?kinds=gadget", headers=api.read)
    assert bad.status_code == 422 and bad.json()["field"] == "kinds"


def test_withdrawing_community_removes_the_reasons_on_the_next_request(api: Api) -> None:
    world(api, members=K + 1, engaged=K + 1)
    assert "community_popular" in reasons(content(api), "guide")
    grant(api, "me", "community", decision="denied")
    after = content(api)
    for item in after["items"]:
        assert not {r["kind"] for r in item["reasons"]} & {"community", "community_popular"}


def test_memberships_are_exported_and_erased(api: Api) -> None:
    api.client.put("/v1/communities", json={"communities": [TRAIL]}, headers=api.admin)
    grant(api, "u1", "community")
    join(api, "u1")
    r = api.client.get("/v1/subjects/u1/export", headers=api.admin)
    assert r.status_code == 200, r.text
    rows = r.json()["data"]["community_members"]
    assert [(x["community_id"], x["subject_id"]) for x in rows] == [("trail", "u1")]
    joined = [a for a in r.json()["audit"] if a["action"] == "community.joined"]
    assert [a["detail"] for a in joined] == [{"community_id": "trail"}]
    assert api.client.delete("/v1/subjects/u1", headers=api.admin).status_code in (200, 204)
    assert api.app.stores.communities.memberships("u1") == []


# -- community messages ---------------------------------------------------------------------
def decide(api: Api, subject: str, **changes: Any) -> dict[str, Any]:
    body = {"message_id": "n1", "kind": "community", "channel": "email", "topic": "environment"}
    r = api.client.post(
        f"/v1/subjects/{subject}/contact-decisions", json={**body, **changes}, headers=api.ingest
    )
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def test_community_messages_need_consent_and_membership(api: Api) -> None:
    api.client.put("/v1/communities", json={"communities": [TRAIL]}, headers=api.admin)
    grant(api, "never", "messaging")
    out = decide(api, "never")
    assert out["decision"] == "suppress" and out["reasons"][-1]["kind"] == "consent"
    grant(api, "outsider", "messaging", "community")
    out = decide(api, "outsider")
    assert out["decision"] == "suppress" and out["reasons"][-1]["kind"] == "not_a_member"
    grant(api, "member", "messaging", "community")
    join(api, "member")
    assert decide(api, "member")["decision"] == "send"


def test_a_bereaved_member_gets_no_community_promotion(api: Api) -> None:
    api.client.put("/v1/communities", json={"communities": [TRAIL]}, headers=api.admin)
    grant(api, "b", "messaging", "community", "emotional_context")
    join(api, "b")
    assert decide(api, "b")["decision"] == "send"
    text = "My mother passed away last week and the funeral is on Friday."
    row = {"event_id": "b-t1", "subject_id": "b", "type": "feedback_text", "text": text}
    r = api.client.post("/v1/events", json={"events": [row]}, headers=api.ingest)
    assert r.json()["accepted"] == 1
    held = decide(api, "b", message_id="n2")
    # the bereavement opens a hand-off case too: a person reaches out, nothing automated
    assert held["decision"] == "suppress"
    assert held["reasons"][-1]["kind"] in ("emotional_hold", "handoff_open")


def test_joining_shows_on_the_very_next_request(api: Api) -> None:
    world(api, members=K + 1, engaged=K)
    grant(api, "late", *PURPOSES)
    before = content(api, "late")
    assert not any(reasons(before, i["item_id"]).get("community") for i in before["items"])
    assert join(api, "late").status_code == 200
    after = content(api, "late")
    assert reasons(after, "guide")["community"] == "From Trail Clean-ups, a community you joined"
    api.client.delete("/v1/subjects/late/communities/trail", headers=api.ingest)
    again = content(api, "late")
    assert "community" not in reasons(again, "guide")


def test_content_keeps_the_guards_and_the_budget(api: Api) -> None:
    world(api, members=K + 1, engaged=K)
    walk = {
        "item_id": "clinic",
        "title": "Walk-in health check on the trail",
        "kind": "content",
        "values": ["environment"],
        "sensitive": "health",
    }
    api.client.put("/v1/items", json={"items": [walk]}, headers=api.ingest).raise_for_status()
    body = content(api, limit=20)
    assert "clinic" not in [x["item_id"] for x in body["items"]]  # sensitive: never inferred
    prefs = {"max_recommendations": 1}
    api.client.put("/v1/subjects/me/preferences", json=prefs, headers=api.ingest)
    one = content(api, limit=20)
    assert len(one["items"]) == 1
    assert "budget" in {h["kind"] for h in one["held_back"]}


def test_community_content_on_sql_backends(sql_api: Api) -> None:
    world(sql_api, members=K + 1, engaged=K)
    guide = reasons(content(sql_api), "guide")
    assert guide["community_popular"] == f"Popular with {K} people in Trail Clean-ups"
    grant(sql_api, "me", "community", decision="denied")
    assert "community" not in reasons(content(sql_api), "guide")
    r = sql_api.client.get("/v1/subjects/m0/export", headers=sql_api.admin)
    assert [x["community_id"] for x in r.json()["data"]["community_members"]] == ["trail"]


def test_an_interest_the_person_removed_suggests_nothing(api: Api) -> None:
    api.client.put("/v1/communities", json={"communities": [TRAIL]}, headers=api.admin)
    api.client.put("/v1/items", json={"items": ITEMS}, headers=api.ingest).raise_for_status()
    grant(api, "u1", "community", "personalization")
    events(api, [("u1", "p1"), ("u1", "p2")])
    got = api.client.get("/v1/subjects/u1/communities", headers=api.read).json()
    assert [s["community_id"] for s in got["suggested"]] == ["trail"]
    r = api.client.delete("/v1/subjects/u1/signals/interest:outdoor", headers=api.ingest)
    assert r.status_code == 200, r.text
    got = api.client.get("/v1/subjects/u1/communities", headers=api.read).json()
    assert got["suggested"] == []


def test_memberships_are_read_only_for_people_who_granted_community(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    world(api, members=K + 1, engaged=K + 1)
    grant(api, "outsider", "personalization")
    store = api.app.stores.communities
    read: list[str] = []
    real = store.memberships

    def counted(subject: str) -> Any:
        read.append(subject)
        return real(subject)

    monkeypatch.setattr(store, "memberships", counted)
    content(api, "outsider")
    assert "outsider" not in read  # no community consent: nothing of theirs to read
    assert "community_popular" in reasons(content(api), "guide")
    assert "me" in read
