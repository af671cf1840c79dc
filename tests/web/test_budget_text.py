"""Issue 10, defect 3, through REST: "as you asked" only when the person chose the budget."""

from typing import Any

from tests.web.conftest import Api

ITEMS = [f"p{i}" for i in range(10)]


def seed(api: Api) -> None:
    """Ten equally popular items, so the budget (not the score floor) shortens the list."""
    items = [{"item_id": i, "title": f"Thing {i}", "categories": ["things"]} for i in ITEMS]
    api.client.put("/v1/items", json={"items": items}, headers=api.ingest).raise_for_status()
    grant = {"decisions": [{"purpose": "personalization", "decision": "granted"}]}
    events = []
    for n in range(6):
        api.client.put(f"/v1/subjects/b{n}/consents", json=grant, headers=api.ingest)
        events += [
            {"event_id": f"b{n}-{i}", "subject_id": f"b{n}", "type": "view", "item_id": i}
            for i in ITEMS
        ]
    r = api.client.post("/v1/events", json={"events": events}, headers=api.ingest)
    assert r.json()["accepted"] == 60
    api.client.post("/v1/models/train", headers=api.admin).raise_for_status()


def ask(api: Api, subject: str) -> dict[str, Any]:
    r = api.client.get(
        f"/v1/subjects/{subject}/recommendations", params={"limit": 10}, headers=api.read
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_as_you_asked_only_for_people_who_chose_a_budget(api: Api) -> None:
    seed(api)
    prefs = api.client.get("/v1/subjects/x/preferences", headers=api.read).json()
    assert prefs["max_recommendations"] is None  # never chose
    body = ask(api, "x")
    assert len(body["items"]) == 5  # guards.default_max_recommendations
    assert body["held_back"] == [
        {"kind": "budget", "count": 5, "text": "5 items left out to keep your list short."}
    ]
    r = api.client.put(
        "/v1/subjects/x/preferences", json={"max_recommendations": 2}, headers=api.ingest
    )
    assert r.status_code == 200 and r.json()["max_recommendations"] == 2
    body = ask(api, "x")
    assert len(body["items"]) == 2
    assert body["held_back"] == [
        {
            "kind": "budget",
            "count": 8,
            "text": "8 items left out to keep your list short, as you asked.",
        }
    ]
    # Choosing the shop's own default is still a choice; clearing it (null) is not.
    for chosen, text in ((5, "as you asked."), (None, "short.")):
        body_in = {"max_recommendations": chosen}
        api.client.put("/v1/subjects/x/preferences", json=body_in, headers=api.ingest)
        assert (
            api.client.get("/v1/subjects/x/preferences", headers=api.read).json()[
                "max_recommendations"
            ]
            == chosen
        )
        (held,) = ask(api, "x")["held_back"]
        assert held["count"] == 5 and held["text"].endswith(text)


def test_an_unset_budget_round_trips_through_sql(sql_api: Api) -> None:
    url = "/v1/subjects/x/preferences"
    for chosen in (None, 3, None):
        put = sql_api.client.put(url, json={"max_recommendations": chosen}, headers=sql_api.ingest)
        assert put.status_code == 200, put.text
        got = sql_api.client.get(url, headers=sql_api.read).json()
        assert got["max_recommendations"] == chosen
