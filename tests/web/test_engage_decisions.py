"""Contact decisions through the REST API with a fixed clock (NOW = Mon 1 June 2026,
12:00 UTC): caps, quiet hours across DST, fatigue, digests, consent, errors and scopes."""

from datetime import timedelta
from typing import Any

from tests.engage.scenario import decide, grant, prefer
from tests.web.conftest import NOW, Api

RUNNER = {"preferred_categories": ["running"]}


def iso(hours: float = 0) -> str:
    return (NOW + timedelta(hours=hours)).isoformat()


def test_a_two_per_week_email_cap_defers_the_third_to_the_next_window(api: Api) -> None:
    grant(api, "u1", "messaging")
    prefer(api, "u1", channels=["email"], max_messages_per_week={"email": 2}, **RUNNER)
    first = decide(api, "u1", message_id="m1", at=iso(-30))
    second = decide(api, "u1", message_id="m2", at=iso(-1))
    third = decide(api, "u1", message_id="m3")
    assert [first["decision"], second["decision"]] == ["send", "send"]
    assert third["decision"] == "defer"
    assert third["send_at"] == iso(-30 + 7 * 24).replace("+00:00", "Z")  # first ages out
    assert third["reasons"][-1]["kind"] == "frequency_cap"
    assert third["channel"] == "email" and third["digest_id"] is None
    assert third["why"].startswith("You're getting an email because")
    # the deferred one holds its slot: a fourth waits for the second to age out
    fourth = decide(api, "u1", message_id="m4")
    assert fourth["send_at"] == iso(-1 + 7 * 24).replace("+00:00", "Z")


def berlin_night(api: Api) -> None:
    grant(api, "b1", "messaging")
    prefer(
        api,
        "b1",
        quiet_hours={"start": "22:00", "end": "07:00"},
        timezone="Europe/Berlin",
        **RUNNER,
    )


def test_quiet_hours_defer_a_2330_message_to_0700_berlin(api: Api) -> None:
    berlin_night(api)
    d = decide(api, "b1", at="2026-06-01T23:30:00+02:00")
    assert d["decision"] == "defer"
    assert d["send_at"] == "2026-06-02T05:00:00Z"  # 07:00 CEST
    assert d["reasons"][-1]["kind"] == "quiet_hours"
    assert "07:00 on Tue 2 Jun" in d["reasons"][-1]["text"]


def test_quiet_hours_across_both_dst_changes(api: Api) -> None:
    berlin_night(api)
    spring = decide(api, "b1", message_id="s", at="2026-03-28T23:30:00+01:00")
    assert spring["send_at"] == "2026-03-29T05:00:00Z"  # 07:00 CEST: a 6.5 h night
    autumn = decide(api, "b1", message_id="a", at="2026-10-24T23:30:00+02:00")
    assert autumn["send_at"] == "2026-10-25T06:00:00Z"  # 07:00 CET: an 8.5 h night


def outcome(
    api: Api, subject: str, decision_id: str, what: str, hours: float = 0
) -> dict[str, object]:
    r = api.client.post(
        f"/v1/subjects/{subject}/contact-decisions/{decision_id}/outcome",
        json={"outcome": what, "at": iso(hours)},
        headers=api.ingest,
    )
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


def signals(api: Api, subject: str) -> dict[str, dict[str, Any]]:
    r = api.client.get(f"/v1/subjects/{subject}/signals", headers=api.read)
    assert r.status_code == 200, r.text
    return {s["kind"]: s for s in r.json()["signals"]}


def test_three_ignored_messages_lower_the_cap_and_engagement_restores_it(api: Api) -> None:
    grant(api, "f1", "messaging")
    prefer(api, "f1", channels=["email"], max_messages_per_week={"email": 2}, **RUNNER)
    past = [decide(api, "f1", message_id=f"p{i}", at=iso(-24 * (22 - 7 * i))) for i in range(3)]
    assert all(p["decision"] == "send" for p in past)
    for p in past:
        outcome(api, "f1", p["decision_id"], "ignored", hours=-24)
    tired = signals(api, "f1")["fatigue"]
    assert tired["value"] == 0.5 and tired["purpose"] == "messaging"
    assert tired["detail"]["unwelcome_in_row"] == 3

    now = decide(api, "f1", message_id="now")
    assert now["decision"] == "send"
    lowered = decide(api, "f1", message_id="next")  # a cap of 2 would allow it; 1 does not
    assert lowered["decision"] == "defer"
    assert lowered["reasons"][-1]["kind"] == "fatigue"

    outcome(api, "f1", now["decision_id"], "opened")
    assert "fatigue" not in signals(api, "f1")
    again = decide(api, "f1", message_id="again")
    assert again["decision"] == "send"


def test_five_low_urgency_messages_in_an_hour_become_one_digest(api: Api) -> None:
    grant(api, "d1", "messaging")
    prefer(api, "d1", max_messages_per_week={"email": 2}, **RUNNER)
    burst = [decide(api, "d1", message_id=f"n{i}", urgency="low", at=iso(i / 6)) for i in range(5)]
    assert {d["decision"] for d in burst} == {"defer"}
    assert len({d["digest_id"] for d in burst}) == 1
    assert {d["send_at"] for d in burst} == {iso(1).replace("+00:00", "Z")}
    assert burst[-1]["reasons"][-1]["kind"] == "digest"
    assert "Bundled with 4 other messages" in burst[-1]["reasons"][-1]["text"]
    # the digest is one contact: a normal message still fits a cap of 2
    assert decide(api, "d1", message_id="normal")["decision"] == "send"
    # once the digest went out, the next low-urgency message opens a new one
    later = decide(api, "d1", message_id="later", urgency="low", at=iso(2))
    assert later["digest_id"] not in (None, burst[0]["digest_id"])


def test_without_messaging_consent_promotions_are_suppressed_but_receipts_go(api: Api) -> None:
    prefer(api, "c1", **RUNNER)
    promo = decide(api, "c1")
    assert promo["decision"] == "suppress" and promo["send_at"] is None
    assert promo["reasons"] == [
        {
            "kind": "consent",
            "text": "You haven't agreed to messages like this, so we won't send it.",
            "items": [],
        }
    ]
    assert promo["why"] is None
    receipt = decide(api, "c1", message_id="r", kind="transactional", topic=None)
    assert receipt["decision"] == "send"


def test_decisions_are_listed_newest_first_with_reasons_and_outcomes(api: Api) -> None:
    grant(api, "l1", "messaging")
    prefer(api, "l1", **RUNNER)
    a = decide(api, "l1", message_id="a", at=iso(-2))
    b = decide(api, "l1", message_id="b", topic="golf", at=iso(-1))
    outcome(api, "l1", a["decision_id"], "clicked")
    r = api.client.get("/v1/subjects/l1/contact-decisions", headers=api.read)
    assert r.status_code == 200
    listed = r.json()["decisions"]
    assert [d["message_id"] for d in listed] == ["b", "a"]
    assert listed[0]["decision"] == "suppress" and listed[0]["reasons"][-1]["kind"] == "relevance"
    assert listed[1]["outcome"] == "clicked" and listed[1]["decision_id"] == a["decision_id"]
    assert b["decision_id"] != a["decision_id"]
    assert (
        api.client.get("/v1/subjects/l1/contact-decisions?limit=1", headers=api.read).json()[
            "decisions"
        ][0]["message_id"]
        == "b"
    )


def test_outcomes_for_unknown_foreign_or_unsent_decisions_are_refused(api: Api) -> None:
    grant(api, "o1", "messaging")
    prefer(api, "o1", **RUNNER)
    held = decide(api, "o1", topic="golf")
    url = "/v1/subjects/{s}/contact-decisions/{d}/outcome"
    body = {"outcome": "opened"}
    r = api.client.post(url.format(s="o1", d="nope"), json=body, headers=api.ingest)
    assert r.status_code == 404 and r.json()["field"] == "decision_id"
    r = api.client.post(url.format(s="o2", d=held["decision_id"]), json=body, headers=api.ingest)
    assert r.status_code == 404
    r = api.client.post(url.format(s="o1", d=held["decision_id"]), json=body, headers=api.ingest)
    assert r.status_code == 409 and "nothing was sent" in r.json()["message"]
    r = api.client.post(
        url.format(s="o1", d=held["decision_id"]), json={"outcome": "loved"}, headers=api.ingest
    )
    assert r.status_code == 422 and r.json()["field"] == "outcome"


def test_bad_candidates_name_the_field(api: Api) -> None:
    url = "/v1/subjects/u1/contact-decisions"
    good = {"message_id": "m", "kind": "promotional", "channel": "email"}
    cases = [
        ({**good, "kind": "spam"}, "kind"),
        ({**good, "channel": "fax"}, "channel"),
        ({**good, "urgency": "now"}, "urgency"),
        ({**good, "at": "2026-06-01T12:00:00"}, "at"),
        ({**good, "message_id": ""}, "message_id"),
        ({**good, "colour": "red"}, "colour"),
        ({"kind": "promotional", "channel": "email"}, "message_id"),
    ]
    for body, field in cases:
        r = api.client.post(url, json=body, headers=api.ingest)
        assert r.status_code == 422, body
        assert r.json()["field"] == field, r.json()


def test_scopes(api: Api) -> None:
    url = "/v1/subjects/u1/contact-decisions"
    body = {"message_id": "m", "kind": "transactional", "channel": "email"}
    assert api.client.post(url, json=body).status_code == 401
    assert api.client.post(url, json=body, headers=api.read).status_code == 403
    assert api.client.post(url, json=body, headers=api.ingest).status_code == 200
    assert api.client.get(url, headers=api.ingest).status_code == 403
    assert api.client.get(url, headers=api.read).status_code == 200


def test_the_same_scenario_on_a_real_database(sql_api: Api) -> None:
    """Caps, digests and outcomes behave the same on SQLite and PostgreSQL."""
    test_a_two_per_week_email_cap_defers_the_third_to_the_next_window(sql_api)
    test_five_low_urgency_messages_in_an_hour_become_one_digest(sql_api)
    test_three_ignored_messages_lower_the_cap_and_engagement_restores_it(sql_api)


def test_relevance_reads_interests_from_behaviour_only_under_personalization(api: Api) -> None:
    items = [
        {"item_id": f"tent{i}", "title": f"Tent {i}", "categories": ["camping"]} for i in range(3)
    ]
    assert api.client.put("/v1/items", json={"items": items}, headers=api.ingest).status_code == 200
    grant(api, "i1", "messaging", "personalization")
    bought = [
        {"event_id": f"b{i}", "subject_id": "i1", "type": "purchase", "item_id": f"tent{i}"}
        for i in range(3)
    ]
    r = api.client.post("/v1/events", json={"events": bought}, headers=api.ingest)
    assert r.json()["accepted"] == 3
    assert decide(api, "i1", message_id="c", topic="camping")["decision"] == "send"
    assert decide(api, "i1", message_id="g", topic="golf")["decision"] == "suppress"
    withdraw = {"decisions": [{"purpose": "personalization", "decision": "denied"}]}
    api.client.put("/v1/subjects/i1/consents", json=withdraw, headers=api.ingest)
    after = decide(api, "i1", message_id="c2", topic="camping")
    assert after["decision"] == "suppress" and after["reasons"][-1]["kind"] == "relevance"
