"""The tact endpoints' contracts: GET .../signals and GET .../recommendations/{item}/why."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Api
from tests.web.test_tact_scenarios import bought, grant, ids, recs, seed, send


def why(api: Api, subject: str, item: str, **params: Any) -> dict[str, Any]:
    r = api.client.get(
        f"/v1/subjects/{subject}/recommendations/{item}/why", params=params, headers=api.read
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_why_shows_the_evidence_events_weights_model_and_guards(api: Api) -> None:
    seed(api)
    shown = recs(api, "p")
    top = shown["items"][0]
    body = why(api, "p", top["item_id"])
    assert body["shown"] is True and body["rank"] == 1 and body["candidate"] is True
    assert body["held_back_by"] is None
    assert body["model_version"] == shown["model_version"]
    assert body["score"] == top["score"]
    assert body["reasons"] == top["reasons"]
    named = {e["item_id"]: e for e in body["evidence"] if e["kind"] == "item"}
    assert set(named) <= {"c0", "c3"}  # what p bought
    for piece in named.values():
        assert piece["kept"] is True and piece["weight"] > 0
        (event,) = piece["events"]
        assert event["type"] == "purchase" and event["weight"] == 5.0
    guards = [g["guard"] for g in body["guards"]]
    assert guards[0] == "unavailable" and guards[-1] == "budget"
    assert {g["outcome"] for g in body["guards"]} <= {"passed", "moved", "lifted", "lowered"}
    assert body["context"] == []


def test_why_is_not_logged_as_an_exposure(api: Api) -> None:
    seed(api)
    why(api, "p", "c1")
    api.app.exposures.flush()
    assert api.app.stores.exposures.for_subject("p") == []


def test_why_names_the_guard_that_held_an_item_back(api: Api) -> None:
    seed(api)
    body = why(api, "p", "c0")  # p bought it
    assert body["shown"] is False and body["held_back_by"] == "already_purchased"
    assert body["guards"][-1] == {
        "guard": "already_purchased", "outcome": "held_back", "score": None, "rank": None
    }  # fmt: skip
    sensitive = why(api, "m", "vit")  # bought by everyone who bought the test
    assert sensitive["candidate"] is True
    assert sensitive["held_back_by"] == "sensitive" and sensitive["shown"] is False
    crib = why(api, "m", "crib")  # inferred from the pregnancy test alone
    assert crib["held_back_by"] == "sensitive"
    (piece,) = [e for e in crib["evidence"] if e["item_id"] == "test"]
    assert piece["kept"] is False


def test_why_for_an_item_the_model_did_not_score(api: Api) -> None:
    seed(api)
    new = {"item_id": "new", "title": "Arrived after training", "categories": ["knitting"]}
    api.client.put("/v1/items", json={"items": [new]}, headers=api.ingest)
    body = why(api, "p", "new")  # new, but nothing like what p likes
    assert body["candidate"] is False and body["shown"] is False
    assert body["model_score"] is None and body["evidence"] == [] and body["guards"] == []


def test_why_for_a_new_arrival_names_the_guard_that_gave_it_a_place(api: Api) -> None:
    seed(api)
    new = {"item_id": "new", "title": "Arrived after training", "categories": ["camping"]}
    api.client.put("/v1/items", json={"items": [new]}, headers=api.ingest)
    body = why(api, "p", "new")  # p buys camping things
    assert body["candidate"] is True and body["shown"] is True
    assert body["evidence"][0]["kind"] == "new_arrival"
    lifted = [g for g in body["guards"] if g["guard"] == "new_arrivals"]
    assert lifted[0]["outcome"] == "lifted"
    assert "new_arrival" in [r["kind"] for r in body["reasons"]]


def test_why_unknown_item_is_404_and_needs_read_scope(api: Api) -> None:
    seed(api)
    r = api.client.get("/v1/subjects/p/recommendations/nope/why", headers=api.read)
    assert r.status_code == 404
    assert r.json()["field"] == "item_id"
    r = api.client.get("/v1/subjects/p/recommendations/c1/why", headers=api.ingest)
    assert r.status_code == 403
    r = api.client.get("/v1/subjects/p/signals")
    assert r.status_code == 401


def test_signals_list_interests_recency_trust_and_retargeting(api: Api) -> None:
    seed(api)
    shown = ids(recs(api, "p"))
    send(api, bought("p", "r0", "dismiss"))
    r = api.client.get("/v1/subjects/p/signals", headers=api.read)
    assert r.status_code == 200
    body = r.json()
    assert body["subject_id"] == "p" and body["quiet"] is False and body["quiet_because"] == []
    found = {s["kind"]: s for s in body["signals"]}
    camping = found["interest:camping"]
    assert camping["value"] == 1.0 and camping["purpose"] == "personalization"
    assert sorted(camping["evidence"]) == ["p-c0-purchase", "p-c3-purchase"]
    assert camping["expires_at"] is not None
    assert not [k for k in found if k.startswith("value:")]  # nothing p bought has values
    assert found["recency"]["value"] == 0.0
    assert found["trust"]["detail"]["dismissals_30d"] == 1
    assert found["trust"]["value"] < 1
    assert found[f"retargeting:{shown[0]}"]["value"] == 1


def test_signals_of_someone_without_consent_are_empty(api: Api) -> None:
    seed(api)
    grant(api, "q", "analytics")
    body = api.client.get("/v1/subjects/q/signals", headers=api.read).json()
    assert body["signals"] == [] and body["quiet"] is False
