"""Hand-offs through the REST API: a bereavement message opens a case with a brief and
holds promotions; an open case blocks promotions until resolved; the queue's claim and
resolve; negative feedback; consent; scopes and errors."""

from typing import Any

import pytest

from tests.engage.scenario import cases, decide, grant, prefer, say, text_reader
from tests.web.conftest import Api

__all__ = ["text_reader"]  # the fixture, used by name below
pytestmark = pytest.mark.usefixtures("text_reader")
RUNNER = {"preferred_categories": ["running"]}


def person(api: Api, subject: str, *extra: str) -> None:
    grant(api, subject, "messaging", "emotional_context", *extra)
    prefer(api, subject, channels=["email", "in_app"], **RUNNER)


def post(api: Api, path: str, body: dict[str, Any], key: dict[str, str] | None = None) -> Any:
    return api.client.post(path, json=body, headers=key if key is not None else api.ingest)


def test_a_bereavement_message_holds_promotions_and_opens_a_case_with_a_brief(api: Api) -> None:
    person(api, "g1")
    assert decide(api, "g1", message_id="before")["decision"] == "send"
    say(api, "g1", "t1", "My father passed away last week. Please cancel the gift order.")

    (case,) = cases(api, "open")
    assert case["subject_id"] == "g1" and case["trigger"] == "bereavement"
    assert case["status"] == "open" and case["case_id"].startswith("hc_")
    brief = case["brief"]
    assert brief["approach"].startswith("Acknowledge the loss; no offers.")
    assert brief["recent_messages"][0]["excerpt"].startswith("My father passed away")
    assert isinstance(brief["mood"]["valence"], float)  # its sign is the mood model's call
    assert brief["mood"]["text"]
    assert "celebrations on" in brief["preferences"]["text"]
    assert any(h["kind"] == "handoff_open" for h in brief["holding_back"])

    promo = decide(api, "g1", message_id="after")
    assert promo["decision"] == "suppress"
    assert promo["reasons"][-1]["kind"] == "handoff_open"
    support = decide(api, "g1", message_id="care", kind="supportive", topic=None)
    assert support["decision"] == "handoff"

    # resolved, the life event itself still holds offers (gently) while it is live
    post(api, f"/v1/handoffs/{case['case_id']}/resolve", {"outcome": "Called; paused offers."})
    held = decide(api, "g1", message_id="later")
    assert held["decision"] == "suppress"
    assert held["reasons"][-1] == {
        "kind": "emotional_hold",
        "text": "We're keeping things quiet for now.",
        "items": [],
    }
    # the same evidence does not open a second case
    say(api, "g1", "t2", "Thanks for the call.")
    assert [c["case_id"] for c in cases(api)] == [case["case_id"]]


def test_an_open_case_blocks_promotions_until_resolved(api: Api) -> None:
    person(api, "h1")
    say(api, "h1", "t1", "Can I talk to a person about my order please?")
    (case,) = cases(api, "open")
    assert case["trigger"] == "explicit_request"
    assert case["brief"]["approach"].startswith("They asked for a person")
    assert decide(api, "h1", message_id="m1")["reasons"][-1]["kind"] == "handoff_open"

    claimed = post(api, f"/v1/handoffs/{case['case_id']}/claim", {"agent": "ana"})
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "claimed" and claimed.json()["claimed_by"] == "ana"
    assert cases(api, "open") == [] and len(cases(api, "claimed")) == 1
    assert decide(api, "h1", message_id="m2")["decision"] == "suppress"  # claimed is still open

    say(api, "h1", "t2", "Really, I need to speak to someone")  # one case per person
    assert len(cases(api)) == 1

    done = post(
        api, f"/v1/handoffs/{case['case_id']}/resolve", {"outcome": "Refunded; apologised."}
    )
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "resolved" and body["outcome"] == "Refunded; apologised."
    assert body["resolved_at"] is not None
    assert decide(api, "h1", message_id="m3")["decision"] == "send"


def test_claim_and_resolve_conflicts_errors_and_scopes(api: Api) -> None:
    person(api, "k1")
    say(api, "k1", "t1", "let me speak with a real human")
    (case,) = cases(api)
    url = f"/v1/handoffs/{case['case_id']}"
    assert api.client.get(url, headers=api.read).json()["brief"] == case["brief"]
    assert post(api, url + "/claim", {"agent": "ana"}, api.read).status_code == 403
    assert api.client.get("/v1/handoffs").status_code == 401
    assert post(api, url + "/claim", {"agent": "ana"}).status_code == 200
    assert post(api, url + "/claim", {"agent": "ana"}).status_code == 200  # same agent: fine
    other = post(api, url + "/claim", {"agent": "bo"})
    assert other.status_code == 409 and "claimed by ana" in other.json()["message"]
    assert post(api, url + "/resolve", {"outcome": ""}).status_code == 422
    assert post(api, url + "/resolve", {"outcome": "done"}).status_code == 200
    assert post(api, url + "/resolve", {"outcome": "again"}).status_code == 409
    assert post(api, "/v1/handoffs/nope/claim", {"agent": "ana"}).status_code == 404
    assert api.client.get("/v1/handoffs?status=lost", headers=api.read).status_code == 422


def test_three_dismissed_messages_in_a_week_open_a_case(api: Api) -> None:
    grant(api, "n1", "messaging")
    prefer(api, "n1", **RUNNER)
    sent = [decide(api, "n1", message_id=f"m{i}", kind="transactional") for i in range(3)]
    for i, d in enumerate(sent):
        r = post(
            api,
            f"/v1/subjects/n1/contact-decisions/{d['decision_id']}/outcome",
            {"outcome": "complained" if i == 0 else "dismissed"},
        )
        assert r.status_code == 200
        assert len(cases(api)) == (1 if i == 2 else 0)
    (case,) = cases(api)
    assert case["trigger"] == "negative_feedback"
    assert case["brief"]["approach"].startswith("Apologise for the noise")


def test_without_emotional_context_no_text_is_kept_and_no_case_opens(api: Api) -> None:
    grant(api, "q1", "messaging")
    r = api.client.post(
        "/v1/events",
        json={"events": [{"event_id": "t1", "subject_id": "q1", "type": "support_message",
                          "text": "My mother died, can I talk to a person?"}]},
        headers=api.ingest,
    )  # fmt: skip
    assert r.json()["rejected"][0]["reason"] == "consent_required:emotional_context"
    assert cases(api) == []
    prefer(api, "q1", **RUNNER)
    assert decide(api, "q1")["decision"] == "send"


def test_erasure_removes_cases_and_decisions(sql_api: Api) -> None:
    api = sql_api
    person(api, "e1")
    decide(api, "e1", message_id="m1")
    say(api, "e1", "t1", "I want to speak to someone")
    assert len(cases(api)) == 1
    counts = api.app.stores.erase_subject("e1")
    assert counts["handoff_cases"] == 1 and counts["contact_decisions"] == 1
    assert cases(api) == []
    assert (
        api.client.get("/v1/subjects/e1/contact-decisions", headers=api.read).json()["decisions"]
        == []
    )
