"""After erasure, the tombstone blocks every write naming the id (events, preferences,
contact decisions), not only events, until the person records new consent."""

from __future__ import annotations

from tests.reliability.test_hostile_bodies import counts, error_body, seed
from tests.web.conftest import Api

MESSAGE = {"message_id": "m1", "kind": "transactional", "channel": "email"}
GRANT = {"decisions": [{"purpose": "messaging", "decision": "granted"}]}


def test_an_erased_id_gets_no_new_rows_until_it_consents_again(sql_api: Api) -> None:
    api = sql_api
    seed(api)
    assert api.client.delete("/v1/subjects/u1", headers=api.admin).status_code == 200
    before = counts(api)
    prefs = {"channels": ["email"]}
    r = api.client.put("/v1/subjects/u1/preferences", json=prefs, headers=api.admin)
    assert r.status_code == 409, r.text
    error_body(r.json())
    assert r.json()["field"] == "subject_id"
    r = api.client.post("/v1/subjects/u1/contact-decisions", json=MESSAGE, headers=api.admin)
    assert r.status_code == 409, r.text
    row = {"event_id": "e1", "subject_id": "u1", "type": "search"}
    r = api.client.post("/v1/events", json={"events": [row]}, headers=api.admin)
    assert r.json()["rejected"][0]["reason"] == "erased_subject"
    assert counts(api) == before

    r = api.client.put("/v1/subjects/u1/consents", json=GRANT, headers=api.admin)
    assert r.status_code == 200
    r = api.client.put("/v1/subjects/u1/preferences", json=prefs, headers=api.admin)
    assert r.status_code == 200
    r = api.client.post("/v1/subjects/u1/contact-decisions", json=MESSAGE, headers=api.admin)
    assert r.status_code == 200
