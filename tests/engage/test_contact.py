"""The contact use cases over the stores, on every backend: a batch decides exactly as
one-by-one calls do, decisions are stored, outcomes update fatigue."""

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest

from tactful.consent import ConsentPolicy, record
from tactful.engage.contact import decide_contacts, decisions_of, new_decision_id, record_outcome
from tactful.engage.message import Candidate
from tactful.errors import Conflict, NotFound
from tactful.records import (
    Channel,
    Community,
    ContactDecision,
    Membership,
    MessageKind,
    Outcome,
    Urgency,
    Verdict,
)
from tactful.settings import Settings
from tactful.store import Stores
from tactful.types import Preferences, QuietHours

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
SETTINGS = Settings()


def setup(stores: Stores) -> None:
    stores.consents.append(
        [
            record(s, p, "granted", at=NOW - timedelta(days=1))
            for s in ("a", "b")
            for p in ("messaging", "community")
        ]
    )
    stores.communities.upsert([Community("runners", "Trail Runners", categories=("running",))])
    stores.communities.join(Membership("a", "runners", NOW - timedelta(days=1)))
    prefs = Preferences(
        channels=("email", "push"),
        max_messages_per_week={"email": 2},
        quiet_hours=QuietHours(time(22), time(7)),
        timezone="Europe/Berlin",
        preferred_categories=("running",),
    )
    for s in ("a", "b"):
        stores.preferences.put(s, prefs, at=NOW)


def stream() -> list[tuple[str, Candidate]]:
    kinds = [MessageKind.PROMOTIONAL, MessageKind.TRANSACTIONAL, MessageKind.COMMUNITY]
    out = []
    for i in range(24):
        c = Candidate(
            f"m{i}",
            kinds[i % 3],
            [Channel.EMAIL, Channel.SMS][i % 2],
            NOW + timedelta(hours=5 * i),
            "running" if i % 5 else "golf",
            [Urgency.LOW, Urgency.NORMAL][i % 4 == 0],
        )
        out.append(("a" if i % 3 else "b", c))
    return out


def ids(prefix: str) -> Callable[[], str]:
    counter = iter(range(1000))
    return lambda: f"{prefix}{next(counter):03d}"


def run(
    stores: Stores, batch: list[tuple[str, Candidate]], new_id: Callable[[], str] | None = None
) -> list[ContactDecision]:
    return decide_contacts(
        batch,
        stores=stores,
        catalogue={},
        settings=SETTINGS,
        policy=ConsentPolicy(),
        new_id=new_id or new_decision_id,
    )


def summary(stores: Stores, subject: str) -> list[tuple[str, str, str, bool]]:
    return [
        (d.message_id, d.verdict.value, str(d.send_at), d.digest_id is not None)
        for d in reversed(decisions_of(stores, subject))
    ]


def test_a_batch_decides_exactly_as_one_by_one_calls(stores: Stores) -> None:
    setup(stores)
    made = run(stores, stream(), ids("x"))
    assert len(made) == 24 and {d.verdict for d in made} >= {Verdict.SEND, Verdict.DEFER}
    batch = {s: summary(stores, s) for s in ("a", "b")}
    stores.erase_subject("a")
    stores.erase_subject("b")
    setup(stores)
    for subject, c in stream():
        run(stores, [(subject, c)], ids(f"{c.message_id}-"))
    assert {s: summary(stores, s) for s in ("a", "b")} == batch


def test_outcomes_update_fatigue_and_refuse_what_was_not_sent(stores: Stores) -> None:
    setup(stores)
    week = [
        Candidate(f"t{i}", MessageKind.COMMUNITY, Channel.PUSH, NOW + timedelta(days=i), "running")
        for i in range(4)
    ]
    sent = [run(stores, [("a", c)])[0] for c in week]
    assert all(d.reaches_out for d in sent)
    later = NOW + timedelta(days=5)
    for d in sent[:3]:
        record_outcome(stores, "a", d.decision_id, Outcome.IGNORED, at=later, settings=SETTINGS)
    (tired,) = [s for s in stores.signals.for_subject("a") if s.kind == "fatigue"]
    assert tired.value == 0.5
    assert tired.evidence == tuple(d.decision_id for d in reversed(sent[:3]))
    clicked = sent[3].decision_id
    record_outcome(stores, "a", clicked, Outcome.CLICKED, at=later, settings=SETTINGS)
    assert [s for s in stores.signals.for_subject("a") if s.kind == "fatigue"] == []

    with pytest.raises(NotFound):
        record_outcome(stores, "b", clicked, Outcome.OPENED, at=later, settings=SETTINGS)
    golf = Candidate("golf", MessageKind.PROMOTIONAL, Channel.EMAIL, NOW, "golf")
    held = run(stores, [("a", golf)])[0]
    assert held.verdict is Verdict.SUPPRESS
    with pytest.raises(Conflict):
        record_outcome(stores, "a", held.decision_id, Outcome.OPENED, at=later, settings=SETTINGS)


def test_no_fatigue_signal_is_stored_once_messaging_was_withdrawn(stores: Stores) -> None:
    """Outcomes reported after the person withdrew ``messaging`` (the decisions are theirs
    to keep) write no messaging signal: the signal write takes the consent gate."""
    setup(stores)
    week = [
        Candidate(f"w{i}", MessageKind.COMMUNITY, Channel.PUSH, NOW + timedelta(days=i), "running")
        for i in range(3)
    ]
    sent = [run(stores, [("a", c)])[0] for c in week]
    assert all(d.reaches_out for d in sent)
    stores.consents.append([record("a", "messaging", "denied", at=NOW + timedelta(days=4))])
    later = NOW + timedelta(days=5)
    for d in sent:
        record_outcome(stores, "a", d.decision_id, Outcome.IGNORED, at=later, settings=SETTINGS)
    assert [s.kind for s in stores.signals.for_subject("a")] == []
