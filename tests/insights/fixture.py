"""A hand-computed fixture for connection health and fairness: four people over two ISO
weeks (2026-W10 and W11). Every number the tests expect is worked out in the comments here
and in docs/insights.md."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from tactful.insights.rows import InsightRows, Reading, consented
from tactful.insights.window import Window
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
    Item,
    Preferences,
    Purpose,
    Reason,
    Sensitivity,
    Signal,
)

START = datetime(2026, 3, 2, tzinfo=UTC)  # Monday of 2026-W10
END = datetime(2026, 3, 16, tzinfo=UTC)
WINDOW = Window(START, END)
G, D = Decision.GRANTED, Decision.DENIED
A, P, M, E = (
    Purpose.ANALYTICS,
    Purpose.PERSONALIZATION,
    Purpose.MESSAGING,
    Purpose.EMOTIONAL_CONTEXT,
)


def day(d: int, hour: float = 12, month: int = 3) -> datetime:
    return datetime(2026, month, d, tzinfo=UTC) + timedelta(hours=hour)


CONSENTS = (
    # a: withdraws messaging on Mar 5 (W10); analytics and emotional context stay granted.
    ConsentRecord("a", A, G, day(20, month=2)),
    ConsentRecord("a", E, G, day(20, month=2)),
    ConsentRecord("a", M, G, day(20, month=2)),
    ConsentRecord("a", M, D, day(5)),
    # b: analytics all along, personalization from Mar 10.
    ConsentRecord("b", A, G, day(20, month=2)),
    ConsentRecord("b", P, G, day(10)),
    # c: personalization withdrawn before the window: nothing granted during it.
    ConsentRecord("c", P, G, day(1, month=2)),
    ConsentRecord("c", P, D, day(25, month=2)),
    # d: withdraws analytics on Mar 12 (W11), so d's events never count.
    ConsentRecord("d", A, G, day(1)),
    ConsentRecord("d", E, G, day(1)),
    ConsentRecord("d", A, D, day(12)),
)

EVENTS = (
    Event("a1", "a", EventType.VIEW, day(3), item_id="i1"),
    Event("a2", "a", EventType.DISMISS, day(4), item_id="i2"),
    Event("a3", "a", EventType.CLICK, day(10), item_id="i1"),
    Event("a4", "a", EventType.VIEW, day(20), item_id="i1"),  # after the window
    Event("b1", "b", EventType.VIEW, day(11), item_id="i3"),
    Event("b2", "b", EventType.DISMISS, day(12), item_id="i3"),
    Event("b3", "b", EventType.PURCHASE, day(13), item_id="i3"),
    Event("c1", "c", EventType.VIEW, day(3), item_id="i1"),  # no analytics
    Event("d1", "d", EventType.DISMISS, day(3), item_id="i1"),  # analytics withdrawn
)

EXPOSURES = (
    Exposure(
        "a", ("i1", "i2"), {}, "ease-1", day(3, 9), "home", True, {"sensitive": 1, "budget": 2}
    ),
    Exposure("a", ("i1",), {}, "ease-1", day(10, 9), "home", True),
    Exposure("b", ("i3", "i4"), {}, None, day(11, 9), "search", False, {"budget": 1}),
    Exposure("c", ("i2",), {}, None, day(4, 9), "home", False),
)


def decision(
    i: int, subject: str, at: datetime, verdict: Verdict, *reasons: str
) -> ContactDecision:
    return ContactDecision(
        decision_id=f"cd{i}",
        subject_id=subject,
        message_id=f"m{i}",
        kind=MessageKind.PROMOTIONAL,
        requested_channel=Channel.EMAIL,
        channel=Channel.EMAIL,
        topic=None,
        urgency=Urgency.NORMAL,
        decided_at=at,
        verdict=verdict,
        send_at=at if verdict is Verdict.SEND else None,
        reasons=tuple(Reason(kind, kind) for kind in reasons),
    )


DECISIONS = (
    decision(1, "a", day(3), Verdict.SEND).with_outcome(Outcome.COMPLAINED, day(4)),
    decision(2, "a", day(4), Verdict.SEND).with_outcome(Outcome.OPENED, day(4)),
    decision(3, "b", day(5), Verdict.SEND),
    decision(4, "b", day(11), Verdict.SEND),
    decision(5, "b", day(12), Verdict.SEND),
    decision(6, "c", day(6), Verdict.SUPPRESS, "quiet_hours", "consent"),
    decision(7, "c", day(7), Verdict.DEFER, "quiet_hours"),
    decision(8, "a", day(27, month=2), Verdict.SEND),  # before the window
)


def case(case_id: str, subject: str, opened: datetime, resolved: datetime | None) -> Case:
    status = CaseStatus.OPEN if resolved is None else CaseStatus.RESOLVED
    return Case(case_id, subject, "explicit_request", opened, status, {}, resolved_at=resolved)


CASES = (
    case("hc1", "a", day(3, 10), day(4, 10)),  # 24 hours
    case("hc2", "b", day(28, 12, month=2), day(2, 12)),  # 48 hours, opened before
    case("hc3", "c", day(14), None),
    case("hc4", "d", day(15), day(17)),  # resolved after the window: open at its end
)

FATIGUE = (
    Signal("a", "fatigue", 0.5, M, day(10), expires_at=day(10, month=4)),
    Signal("b", "fatigue", 0.5, M, day(1), expires_at=day(14)),  # faded before the end
    Signal("c", "fatigue", 1.0, M, day(1)),
    Signal("d", "fatigue", 0.25, M, day(20)),  # after the end
)

READINGS = (
    Reading("a", day(3), 0.5),
    Reading("a", day(4), -0.1),
    Reading("a", day(10), 0.2),
    Reading("d", day(5), -0.5),
    Reading("d", day(11), 0.0),
    Reading("b", day(10), 0.9),  # no emotional_context
)

ITEMS = (
    Item("i1", "Kettle", categories=("kitchen",)),
    Item("i2", "Vitamins", categories=("health",), sensitive=Sensitivity.HEALTH),
    Item("i3", "Mug", categories=("kitchen", "gifts")),
    Item("i4", "Candle", categories=("gifts",)),
    Item("i5", "Teapot", categories=("kitchen",)),
    Item("i6", "Old lamp", categories=("home",), available=False),
)

PREFERENCES = {"a": Preferences(values=("repairable",)), "b": Preferences(values=("repairable",))}

TALLIES = {date(2026, 3, 2): 5, date(2026, 3, 15): 2, date(2026, 3, 16): 7}


def rows() -> InsightRows:
    raw = InsightRows(
        events=EVENTS,
        consents=CONSENTS,
        exposures=EXPOSURES,
        decisions=DECISIONS,
        cases=CASES,
        fatigue=FATIGUE,
        readings=READINGS,
        items=ITEMS,
        preferences=PREFERENCES,
        tallies=TALLIES,
    )
    return consented(raw, at=END)


def load(stores: Stores) -> None:
    """Store the fixture's rows (without the text readings) through the ports."""
    stores.items.upsert(ITEMS)
    stores.consents.append(CONSENTS)
    stores.events.add(EVENTS)
    stores.exposures.add(EXPOSURES)
    stores.exposures.tally(TALLIES)
    stores.contact_decisions.add([replace(d, outcome=None, outcome_at=None) for d in DECISIONS])
    for d in DECISIONS:
        if d.outcome is not None and d.outcome_at is not None:
            stores.contact_decisions.set_outcome(d.decision_id, d.outcome, d.outcome_at)
    for c in CASES:
        opened = stores.handoffs.open(replace(c, status=CaseStatus.OPEN, resolved_at=None))
        if c.resolved_at is not None:
            stores.handoffs.update(
                replace(opened, status=c.status, resolved_at=c.resolved_at),
                expected=CaseStatus.OPEN,
            )
    stores.signals.put(FATIGUE)
    for subject, prefs in PREFERENCES.items():
        stores.preferences.put(subject, prefs, at=START)
