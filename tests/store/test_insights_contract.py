"""The insights port on every backend (memory, SQLite, PostgreSQL): windowed reads over
events, consent history, exposures, contact decisions, hand-off cases and signals."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tactful.records import (
    Case,
    CaseStatus,
    Channel,
    ContactDecision,
    MessageKind,
    Outcome,
    Urgency,
    Verdict,
)
from tactful.store import Stores
from tactful.types import (
    ConsentRecord,
    Decision,
    Event,
    EventType,
    Exposure,
    Preferences,
    Purpose,
    Reason,
    Sensitivity,
    Signal,
)

T0 = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
END = T0 + timedelta(days=7)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_events_in_a_half_open_window_and_of_types(stores: Stores) -> None:
    stores.events.add(
        [
            Event("before", "a", EventType.VIEW, at(-1), item_id="i1"),
            Event("first", "a", EventType.VIEW, T0, item_id="i1"),
            Event("dismiss", "b", EventType.DISMISS, at(5), item_id="i2"),
            Event("last", "b", EventType.CLICK, END - timedelta(seconds=1), item_id="i2"),
            Event("at-end", "b", EventType.VIEW, END, item_id="i2"),
        ]
    )
    got = stores.insights.events(start=T0, end=END)
    assert sorted(e.event_id for e in got) == ["dismiss", "first", "last"]
    only = stores.insights.events(start=T0, end=END, types={EventType.DISMISS})
    assert [e.event_id for e in only] == ["dismiss"]
    (back,) = stores.insights.events(start=at(4), end=at(6))
    assert back == Event("dismiss", "b", EventType.DISMISS, at(5), item_id="i2")


def test_consent_history_before_until_keeps_each_subjects_order(stores: Stores) -> None:
    g, d = Decision.GRANTED, Decision.DENIED
    records = [
        ConsentRecord("a", Purpose.ANALYTICS, g, at(0)),
        ConsentRecord("b", Purpose.MESSAGING, g, at(1)),
        ConsentRecord("a", Purpose.ANALYTICS, d, at(0)),  # same instant: recorded later wins
        ConsentRecord("a", Purpose.MESSAGING, g, at(30)),
    ]
    stores.consents.append(records)
    got = stores.insights.consent_history(until=at(30))
    assert sorted(got, key=lambda r: r.subject_id) == records[0:1] + records[2:3] + records[1:2]
    assert [r for r in got if r.subject_id == "a"] == [records[0], records[2]]
    assert len(stores.insights.consent_history(until=at(31))) == 4
    assert stores.insights.consent_history(until=at(0)) == []


def test_exposures_in_window_with_held_back_and_without_reasons(stores: Stores) -> None:
    shown = Exposure(
        "a",
        ("i1", "i2"),
        {"i1": (Reason("popular", "popular"),)},
        "ease-1",
        at(2),
        context="home",
        personalized=True,
        held_back={"sensitive": 2, "budget": 5},
    )
    plain = Exposure("b", ("i3",), {}, None, at(1))
    stores.exposures.add([shown, plain, replace(plain, at=END), replace(plain, at=at(-2))])
    got = stores.insights.exposures(start=T0, end=END)
    assert got == [plain, replace(shown, reasons={})]
    assert got[1].held_back == {"sensitive": 2, "budget": 5}
    assert stores.exposures.for_subject("a")[0].held_back == {"sensitive": 2, "budget": 5}


def decision(i: int, hours: float, verdict: Verdict, **changes: object) -> ContactDecision:
    base = ContactDecision(
        decision_id=f"cd{i}",
        subject_id="a",
        message_id=f"m{i}",
        kind=MessageKind.PROMOTIONAL,
        requested_channel=Channel.EMAIL,
        channel=Channel.EMAIL if verdict is Verdict.SEND else None,
        topic=None,
        urgency=Urgency.NORMAL,
        decided_at=at(hours),
        verdict=verdict,
        send_at=at(hours) if verdict is Verdict.SEND else None,
        reasons=(Reason("quiet_hours", "it is night for them"),),
        why="a why text",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_decisions_in_window_oldest_first_with_reasons_and_outcomes(stores: Stores) -> None:
    stores.contact_decisions.add(
        [
            decision(1, 3, Verdict.SEND),
            decision(2, 1, Verdict.SUPPRESS),
            decision(3, -1, Verdict.SEND),
            decision(4, 24 * 7, Verdict.SEND),
        ]
    )
    stores.contact_decisions.set_outcome("cd1", Outcome.COMPLAINED, at(4))
    got = stores.insights.decisions(start=T0, end=END)
    assert [d.decision_id for d in got] == ["cd2", "cd1"]
    assert got[1].outcome is Outcome.COMPLAINED and got[1].outcome_at == at(4)
    assert got[0].reasons == (Reason("quiet_hours", "it is night for them"),)
    assert all(d.why is None for d in got)


def test_cases_alive_during_the_window(stores: Stores) -> None:
    def case(case_id: str, subject: str, opened: float) -> Case:
        return Case(case_id, subject, "explicit_request", at(opened), CaseStatus.OPEN, {"s": 1})

    old = stores.handoffs.open(case("hc-old", "a", -48))
    stores.handoffs.update(
        replace(old, status=CaseStatus.RESOLVED, resolved_at=at(-1), outcome="ok"),
        expected=CaseStatus.OPEN,
    )
    spanning = stores.handoffs.open(case("hc-span", "b", -24))
    inside = stores.handoffs.open(case("hc-in", "c", 10))
    stores.handoffs.update(
        replace(inside, status=CaseStatus.RESOLVED, resolved_at=at(20), outcome="called"),
        expected=CaseStatus.OPEN,
    )
    stores.handoffs.open(case("hc-late", "d", 24 * 7))
    got = stores.insights.cases(start=T0, end=END)
    assert [c.case_id for c in got] == ["hc-span", "hc-in"]
    assert got[0] == spanning
    assert got[1].resolved_at == at(20)


def test_signals_of_one_kind_expired_or_not(stores: Stores) -> None:
    tired = Signal("a", "fatigue", 0.5, Purpose.MESSAGING, at(0), expires_at=at(1))
    fresh = Signal("b", "fatigue", 0.25, Purpose.MESSAGING, at(0), expires_at=None)
    mood = Signal("a", "mood", -0.4, Purpose.EMOTIONAL_CONTEXT, at(0))
    stores.signals.put([tired, fresh, mood])
    got = sorted(stores.insights.signals("fatigue"), key=lambda s: s.subject_id)
    assert got == [tired, fresh]
    assert stores.insights.signals("nothing") == []


def test_preferences_of_many_people(stores: Stores) -> None:
    mine = Preferences(values=("repairable",), allowed_sensitive=(Sensitivity.HEALTH,))
    stores.preferences.put("a", mine, at=T0)
    stores.preferences.put("b", Preferences(), at=T0)
    assert stores.insights.preferences(["a", "c"]) == {"a": mine}
    assert stores.insights.preferences([]) == {}
