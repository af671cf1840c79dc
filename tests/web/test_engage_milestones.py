"""Milestones through the REST API: the 10th workout gives one celebration (not two),
which the person can turn off; anniversaries come from the daily review."""

from datetime import timedelta
from typing import Any

from tests.engage.scenario import events, grant, prefer
from tests.web.conftest import NOW, Api


def workouts(subject: str, first: int, last: int) -> list[dict[str, Any]]:
    return [
        {
            "event_id": f"{subject}-w{i}",
            "subject_id": subject,
            "type": "progress",
            "occurred_at": (NOW - timedelta(hours=20 - i)).isoformat(),
        }
        for i in range(first, last + 1)
    ]


def milestones(api: Api, subject: str) -> list[dict[str, Any]]:
    r = api.client.get(f"/v1/subjects/{subject}/milestones", headers=api.read)
    assert r.status_code == 200, r.text
    found: list[dict[str, Any]] = r.json()["milestones"]
    return found


def decisions(api: Api, subject: str) -> list[dict[str, Any]]:
    r = api.client.get(f"/v1/subjects/{subject}/contact-decisions", headers=api.read)
    found: list[dict[str, Any]] = r.json()["decisions"]
    return found


def test_the_tenth_workout_gives_one_celebration_not_two(api: Api) -> None:
    grant(api, "w1", "personalization", "messaging")
    events(api, *workouts("w1", 1, 9))
    assert milestones(api, "w1") == []
    events(api, *workouts("w1", 10, 10))
    (tenth,) = milestones(api, "w1")
    assert tenth["key"] == "count:progress:10" and tenth["title"] == "Your 10th workout"
    celebration = tenth["celebration"]
    assert celebration["kind"] == "celebration" and celebration["decision"] == "send"
    assert celebration["message_id"] == "milestone:count:progress:10"
    assert "milestone" in celebration["why"]

    # replays and the 11th and 12th workouts change nothing
    r = api.client.post("/v1/events", json={"events": workouts("w1", 1, 12)}, headers=api.ingest)
    assert r.json()["duplicates"] == 10
    r = api.client.post("/v1/milestones/review", headers=api.ingest)
    assert r.status_code == 200 and r.json()["reached"] == {}
    assert len(milestones(api, "w1")) == 1
    assert [d["kind"] for d in decisions(api, "w1")] == ["celebration"]


def test_celebrations_can_be_turned_off(api: Api) -> None:
    grant(api, "w2", "personalization", "messaging")
    prefer(api, "w2", celebrations=False)
    events(api, *workouts("w2", 1, 10))
    (tenth,) = milestones(api, "w2")
    assert tenth["celebration"]["decision"] == "suppress"
    assert tenth["celebration"]["reasons"][-1] == {
        "kind": "celebrations_off",
        "text": "You turned celebrations off.",
        "items": [],
    }


def test_milestones_need_personalization(api: Api) -> None:
    grant(api, "w3", "analytics", "messaging")  # progress is kept for analytics only
    events(api, *workouts("w3", 1, 10))
    assert milestones(api, "w3") == []
    assert decisions(api, "w3") == []


def test_an_anniversary_arrives_with_the_daily_review(api: Api) -> None:
    grant(api, "a1", "personalization", "messaging")
    tent = {"items": [{"item_id": "tent", "title": "Two-person tent"}]}
    assert api.client.put("/v1/items", json=tent, headers=api.ingest).status_code == 200
    first = {
        "event_id": "a1-b1",
        "subject_id": "a1",
        "type": "purchase",
        "item_id": "tent",
        "occurred_at": (NOW - timedelta(days=364)).isoformat(),
    }
    events(api, first)
    assert milestones(api, "a1") == []
    api.clock.now = NOW + timedelta(days=2)
    r = api.client.post("/v1/milestones/review", headers=api.ingest)
    assert r.status_code == 200
    assert [m["key"] for m in r.json()["reached"]["a1"]] == ["anniversary:1"]
    (year,) = milestones(api, "a1")
    assert year["title"] == "A year together"
    assert "tent" not in year["message"]
    assert year["celebration"]["decision"] == "send"
    assert api.client.post("/v1/milestones/review", headers=api.read).status_code == 403


def test_milestones_on_a_real_database(sql_api: Api) -> None:
    test_the_tenth_workout_gives_one_celebration_not_two(sql_api)


def test_imported_history_is_recorded_by_the_review_but_not_celebrated(api: Api) -> None:
    grant(api, "h1", "personalization", "messaging")
    old = [
        {**w, "occurred_at": (NOW - timedelta(days=60, hours=20 - i)).isoformat()}
        for i, w in enumerate(workouts("h1", 1, 10), start=1)
    ]
    events(api, *old)
    assert milestones(api, "h1") == []  # ingest looks only at recent events
    r = api.client.post("/v1/milestones/review", headers=api.ingest)
    assert [m["decision_id"] for m in r.json()["reached"]["h1"]] == [None]
    (tenth,) = milestones(api, "h1")
    assert tenth["key"] == "count:progress:10" and tenth["celebration"] is None
    assert decisions(api, "h1") == []
