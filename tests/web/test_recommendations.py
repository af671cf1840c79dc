"""The spine end to end: catalogue, consents, events, training, curated explained lists."""

from typing import Any

import pytest

from tests.web.conftest import Api, trained

RUN = [f"run{i}" for i in range(6)]
CAMP = [f"camp{i}" for i in range(6)]


def items() -> list[dict[str, Any]]:
    out = [
        {"item_id": i, "title": f"Running thing {i[-1]}", "categories": ["running"]} for i in RUN
    ]
    out += [
        {"item_id": i, "title": f"Camping thing {i[-1]}", "categories": ["camping"]} for i in CAMP
    ]
    out.append(
        {
            "item_id": "preg",
            "title": "Pregnancy Test",
            "categories": ["running"],
            "sensitive": "pregnancy",
        }
    )
    out.append(
        {"item_id": "gone", "title": "Old Shoe", "categories": ["running"], "available": False}
    )
    return out


def seed(api: Api) -> None:
    """Runners buy running things (and the sensitive and unavailable ones); campers camp."""
    api.client.put("/v1/items", json={"items": items()}, headers=api.ingest).raise_for_status()
    events: list[dict[str, Any]] = []
    # r1 never touched the sensitive or the unavailable item; other runners did.
    people = [(f"r{n}", RUN + ([] if n == 1 else ["preg", "gone"])) for n in range(8)]
    people += [(f"c{n}", CAMP) for n in range(8)]
    for subject, pool in people:
        grant = {"decisions": [{"purpose": "personalization", "decision": "granted"}]}
        api.client.put(f"/v1/subjects/{subject}/consents", json=grant, headers=api.ingest)
        for k, item in enumerate(pool):
            if (k + int(subject[1:])) % 4 != 0:  # everyone skips a few
                events.append(
                    {
                        "event_id": f"{subject}-{item}",
                        "subject_id": subject,
                        "type": "purchase",
                        "item_id": item,
                    }
                )
    r = api.client.post("/v1/events", json={"events": events}, headers=api.ingest)
    assert r.json()["rejected"] == []
    assert trained(api.client, api.admin)["model_version"]


def recs(api: Api, subject: str, **params: Any) -> dict[str, Any]:
    r = api.client.get(f"/v1/subjects/{subject}/recommendations", params=params, headers=api.read)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_personalized_list_is_curated_and_explained(api: Api) -> None:
    seed(api)
    api.client.put(
        "/v1/subjects/r1/preferences", json={"max_recommendations": 2}, headers=api.ingest
    )
    body = recs(api, "r1", limit=10)
    assert body["personalized"] is True
    assert body["model_version"]
    ids = [x["item_id"] for x in body["items"]]
    assert 1 <= len(ids) <= 2
    assert all(i in RUN for i in ids)  # not camping, not sensitive, not unavailable
    for item in body["items"]:
        (reason, *_) = item["reasons"]
        assert reason["kind"] == "because_you_interacted"
        assert reason["text"].startswith("Because you bought Running thing")
    bought = {e.item_id for e in api.app.stores.events.for_subject("r1")}
    assert not bought & set(ids)  # bought items are never candidates again
    kinds = {h["kind"]: h["count"] for h in body["held_back"]}
    assert "already_purchased" not in kinds
    assert kinds["sensitive"] == 1
    assert kinds["unavailable"] == 1


def test_budget_shrinks_and_limit_caps(api: Api) -> None:
    seed(api)
    assert len(recs(api, "c2", limit=1)["items"]) == 1
    api.client.put(
        "/v1/subjects/c2/preferences", json={"max_recommendations": 1}, headers=api.ingest
    )
    assert len(recs(api, "c2", limit=10)["items"]) == 1


def test_unknown_subject_gets_popular_list_that_says_so(api: Api) -> None:
    seed(api)
    body = recs(api, "stranger")
    assert body["personalized"] is False
    assert 0 < len(body["items"]) <= 5
    for item in body["items"]:
        assert item["reasons"][0]["kind"] == "popular"
        assert "Not personalized" in item["reasons"][0]["text"]
    assert "preg" not in [x["item_id"] for x in body["items"]]


def test_withdrawn_consent_makes_the_next_list_unpersonalized(api: Api) -> None:
    seed(api)
    assert recs(api, "r2")["personalized"] is True
    api.client.put(
        "/v1/subjects/r2/consents",
        headers=api.ingest,
        json={"decisions": [{"purpose": "personalization", "decision": "denied"}]},
    )
    assert recs(api, "r2")["personalized"] is False


def test_every_response_is_logged_as_an_exposure(api: Api) -> None:
    seed(api)
    body = recs(api, "r3", context="home")
    api.app.exposures.flush()
    (exposure,) = api.app.stores.exposures.for_subject("r3")
    assert exposure.items == tuple(x["item_id"] for x in body["items"])
    assert exposure.context == "home"
    assert exposure.model_version == body["model_version"]
    assert set(exposure.reasons) == set(exposure.items)


def test_before_any_training_the_list_is_empty_and_says_why(api: Api) -> None:
    body = recs(api, "anyone")
    assert body["items"] == []
    assert body["held_back"][0]["kind"] == "no_model"


@pytest.mark.parametrize("limit", [0, 101, "ten"])
def test_bad_limit_is_422(api: Api, limit: Any) -> None:
    r = api.client.get("/v1/subjects/x/recommendations", params={"limit": limit}, headers=api.read)
    assert r.status_code == 422
    assert r.json()["field"] == "limit"


def test_spine_on_sql_backends(sql_api: Api) -> None:
    seed(sql_api)
    body = recs(sql_api, "r1")
    assert body["personalized"] is True
    assert body["items"] and all(x["item_id"] in RUN for x in body["items"])
    sql_api.app.exposures.flush()
    assert len(sql_api.app.stores.exposures.for_subject("r1")) == 1
