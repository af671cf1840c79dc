"""The engage ports on every backend (memory, SQLite, PostgreSQL): contact decisions,
milestones and hand-off cases, including erasure."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tactful.errors import Conflict
from tactful.handoff.case import claim, resolve
from tactful.records import (
    Case,
    CaseStatus,
    Channel,
    ContactDecision,
    MessageKind,
    Milestone,
    Outcome,
    Urgency,
    Verdict,
)
from tactful.store import Stores
from tactful.types import Reason

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def decision(i: int, subject: str = "u1", at: datetime = NOW, **changes: Any) -> ContactDecision:
    base = ContactDecision(
        decision_id=f"cd{i}",
        subject_id=subject,
        message_id=f"m{i}",
        kind=MessageKind.PROMOTIONAL,
        requested_channel=Channel.SMS,
        channel=Channel.EMAIL,
        topic="running",
        urgency=Urgency.LOW,
        decided_at=at,
        verdict=Verdict.DEFER,
        send_at=at + timedelta(hours=1),
        reasons=(Reason("channel", "moved to email"), Reason("digest", "bundled")),
        digest_id="dg_x",
        why="because",
    )
    return replace(base, **changes)


def test_decisions_round_trip_by_subject_in_order(stores: Stores) -> None:
    d = [decision(2, at=NOW), decision(1, at=NOW - timedelta(days=1)), decision(3, "u2")]
    stores.contact_decisions.add(d)
    found = stores.contact_decisions.for_subjects(["u1", "u2", "nobody"])
    assert [x.decision_id for x in found["u1"]] == ["cd1", "cd2"]
    assert found["u1"][1] == d[0]  # every field survives, times in UTC
    assert found["nobody"] == []
    recent = stores.contact_decisions.for_subjects(["u1"], since=NOW - timedelta(hours=1))
    assert [x.decision_id for x in recent["u1"]] == ["cd2"]
    assert stores.contact_decisions.get("cd3") == d[2]
    assert stores.contact_decisions.get("nope") is None


def test_suppressed_decisions_without_time_or_channel_round_trip(stores: Stores) -> None:
    d = decision(
        1,
        verdict=Verdict.SUPPRESS,
        send_at=None,
        channel=None,
        digest_id=None,
        why=None,
        topic=None,
    )
    stores.contact_decisions.add([d])
    assert stores.contact_decisions.get("cd1") == d


def test_a_decision_id_is_stored_once(stores: Stores) -> None:
    stores.contact_decisions.add([decision(1)])
    with pytest.raises(Conflict):
        stores.contact_decisions.add([decision(2), decision(1)])
    assert stores.contact_decisions.get("cd2") is None  # nothing half-written


def test_outcomes_are_recorded_and_replaced(stores: Stores) -> None:
    stores.contact_decisions.add([decision(1)])
    first = stores.contact_decisions.set_outcome("cd1", Outcome.IGNORED, NOW + timedelta(days=1))
    assert first is not None and first.outcome is Outcome.IGNORED
    later = stores.contact_decisions.set_outcome("cd1", Outcome.OPENED, NOW + timedelta(days=2))
    assert later is not None and later.outcome is Outcome.OPENED
    assert later.outcome_at == NOW + timedelta(days=2)
    assert stores.contact_decisions.get("cd1") == later
    assert stores.contact_decisions.set_outcome("nope", Outcome.OPENED, NOW) is None


def milestone(key: str, subject: str = "u1", decision_id: str | None = None) -> Milestone:
    return Milestone(subject, key, "count", NOW, "Your 10th workout", "Well done", decision_id)


def test_a_milestone_is_reached_once(stores: Stores) -> None:
    assert stores.milestones.add([milestone("count:10", decision_id="cd1")]) == [
        milestone("count:10", decision_id="cd1")
    ]
    again = stores.milestones.add([milestone("count:10", decision_id="cd2"), milestone("count:50")])
    assert [m.key for m in again] == ["count:50"]
    assert stores.milestones.add([milestone("count:10", "u2")]) == [milestone("count:10", "u2")]
    mine = stores.milestones.for_subject("u1")
    assert [(m.key, m.decision_id) for m in mine] == [("count:10", "cd1"), ("count:50", None)]


def case(case_id: str, subject: str = "u1", at: datetime = NOW) -> Case:
    brief = {"summary": "They asked for a person.", "recent_messages": [{"excerpt": "hi"}]}
    return Case(case_id, subject, "explicit_request", at, CaseStatus.OPEN, brief)


def test_one_active_case_per_person(stores: Stores) -> None:
    first = stores.handoffs.open(case("hc1"))
    assert first == case("hc1")
    assert stores.handoffs.open(case("hc2", at=NOW + timedelta(hours=1))) == first
    assert stores.handoffs.get("hc2") is None
    assert stores.handoffs.active(["u1", "u2"]) == {"u1": first}
    closed = resolve(first, "called them", now=NOW + timedelta(hours=2), agent="ana")
    assert stores.handoffs.update(closed, expected=CaseStatus.OPEN)
    assert stores.handoffs.active(["u1"]) == {}
    reopened = stores.handoffs.open(case("hc3", at=NOW + timedelta(days=1)))
    assert reopened.case_id == "hc3"
    assert stores.handoffs.latest("u1") == reopened
    assert stores.handoffs.get("hc1") == closed


def test_claiming_is_compare_and_set(stores: Stores) -> None:
    opened = stores.handoffs.open(case("hc1"))
    by_ana = claim(opened, "ana", now=NOW)
    by_bo = claim(opened, "bo", now=NOW)
    assert stores.handoffs.update(by_ana, expected=CaseStatus.OPEN)
    assert not stores.handoffs.update(by_bo, expected=CaseStatus.OPEN)
    assert stores.handoffs.get("hc1") == by_ana


def test_cases_are_listed_by_status_oldest_first(stores: Stores) -> None:
    for i, s in enumerate(["a", "b", "c"]):
        stores.handoffs.open(case(f"hc{i}", s, NOW + timedelta(minutes=i)))
    b = stores.handoffs.get("hc1")
    assert b is not None
    stores.handoffs.update(claim(b, "ana", now=NOW), expected=CaseStatus.OPEN)
    assert [c.case_id for c in stores.handoffs.by_status(CaseStatus.OPEN)] == ["hc0", "hc2"]
    assert [c.case_id for c in stores.handoffs.by_status(CaseStatus.CLAIMED)] == ["hc1"]
    assert [c.case_id for c in stores.handoffs.by_status(None, limit=2)] == ["hc0", "hc1"]


def test_erasure_reaches_decisions_milestones_and_cases(stores: Stores) -> None:
    stores.contact_decisions.add([decision(1), decision(2, "u2")])
    stores.milestones.add([milestone("k"), milestone("k", "u2")])
    stores.handoffs.open(case("hc1"))
    stores.handoffs.open(case("hc2", "u2"))
    counts = stores.erase_subject("u1")
    assert counts["contact_decisions"] == 1
    assert counts["milestones"] == 1
    assert counts["handoff_cases"] == 1
    assert stores.contact_decisions.for_subjects(["u1"])["u1"] == []
    assert stores.milestones.for_subject("u1") == []
    assert stores.handoffs.latest("u1") is None
    assert stores.contact_decisions.get("cd2") is not None  # others untouched
    assert {"contact_decisions", "milestones", "handoff_cases"} <= set(stores.personal_tables())
