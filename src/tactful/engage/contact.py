"""Contact decisions through the stores: read what the rules need, decide, store the
decision (the budget counts stored decisions), and take delivery outcomes back in.

A batch is read with a few queries per chunk rather than per candidate, and each person's
decisions made earlier in the same batch count against their budget, so deciding a stream
in batches gives exactly the decisions one-by-one calls would.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tactful.consent.policy import ConsentPolicy
from tactful.engage.budget import WEEK
from tactful.engage.decide import decide
from tactful.engage.fatigue import fatigue_signal
from tactful.engage.message import Candidate
from tactful.engage.situation import FATIGUE, Situation, inferred_interests, moved_categories
from tactful.errors import Conflict, InvalidInput, NotFound
from tactful.instants import require_aware
from tactful.records import Case, Community, ContactDecision, MessageKind, Outcome
from tactful.settings import Settings
from tactful.signals.profile import profile_of
from tactful.store.consented import consented_views, put_consented
from tactful.store.ports import Stores
from tactful.types import (
    Decision,
    Event,
    EventType,
    Item,
    ItemId,
    Preferences,
    Purpose,
    Signal,
    SubjectId,
)

CHUNK = 1000
OUTCOME_LOOKBACK = timedelta(days=90)
NewId = Callable[[], str]


def new_decision_id() -> str:
    return "cd_" + secrets.token_hex(10)


@dataclass(slots=True)
class Person:
    """One person as read for deciding; ``history`` grows as a batch decides for them."""

    consents: Mapping[Purpose, Decision]
    prefs: Preferences
    behaviour: tuple[Event, ...]
    signals: tuple[Signal, ...]
    case: Case | None
    history: list[ContactDecision] = field(default_factory=list)
    communities: tuple[Community, ...] = ()


def lookback(settings: Settings) -> timedelta:
    """How far back a decision can still weigh on the budget (deferred ones included)."""
    return WEEK + timedelta(days=settings.engage.max_defer_days + 1)


def interest_types(settings: Settings, policy: ConsentPolicy) -> frozenset[EventType]:
    """The personalization event types that count toward interests (positive weight)."""
    weights = settings.recommend.event_weights
    return frozenset(
        t for t in policy.event_types_for(Purpose.PERSONALIZATION) if weights.get(t.value, 0) > 0
    )


def read_people(
    stores: Stores,
    batch: Sequence[tuple[SubjectId, Candidate]],
    *,
    settings: Settings,
    policy: ConsentPolicy,
) -> dict[SubjectId, Person]:
    """Everyone in a batch, in one batched read (``Stores.contact_views``): the decisions
    that can still weigh on their budget, and behaviour only for those who have a
    promotion in the batch (only relevance reads it)."""
    first = min(c.at for _, c in batch)
    raw = stores.contact_views(
        {s for s, _ in batch},
        since=first - lookback(settings),
        active_after=first - WEEK,
        behaviour={s for s, c in batch if c.kind is MessageKind.PROMOTIONAL},
        event_types=interest_types(settings, policy),
    )
    views = consented_views(raw, Purpose.PERSONALIZATION)
    joined = joined_communities(stores, {s for s, c in batch if c.kind is MessageKind.COMMUNITY})
    return {
        s: Person(
            consents=v.consents,
            prefs=v.preferences or Preferences(),
            behaviour=v.events,
            signals=v.signals,
            case=v.case,
            history=list(v.decisions),
            communities=joined.get(s, ()),
        )
        for s, v in views.items()
    }


def joined_communities(
    stores: Stores, subjects: Collection[SubjectId]
) -> dict[SubjectId, tuple[Community, ...]]:
    """The communities each of these people joined (only read when community messages are
    in the batch)."""
    if not subjects:
        return {}
    known = {c.community_id: c for c in stores.communities.all()}
    found = stores.communities.memberships_of(subjects)
    return {
        s: tuple(known[m.community_id] for m in found[s] if m.community_id in known)
        for s in subjects
    }


def lazy_interests(
    subject: SubjectId,
    person: Person,
    *,
    at: datetime,
    catalogue: Mapping[ItemId, Item],
    settings: Settings,
) -> Callable[[], frozenset[str]]:
    """The interests behaviour shows, computed on first use only (relevance of promotions
    needs them; most decisions do not)."""
    memo: list[frozenset[str]] = []

    def inferred() -> frozenset[str]:
        if not memo:
            memo.append(
                inferred_interests(
                    subject,
                    behaviour=person.behaviour,
                    catalogue=catalogue,
                    consents=person.consents,
                    now=at,
                    settings=settings,
                )
            )
        return memo[0]

    return inferred


def situation_of(
    subject: SubjectId,
    person: Person,
    *,
    at: datetime,
    catalogue: Mapping[ItemId, Item],
    settings: Settings,
) -> Situation:
    profile = profile_of(
        stored=person.signals,
        consents=person.consents,
        prefs=person.prefs,
        now=at,
        settings=settings,
    )
    return Situation(
        subject_id=subject,
        consents=person.consents,
        prefs=person.prefs,
        profile=profile,
        history=tuple(person.history),
        case=person.case,
        settings=settings.engage,
        inferred=lazy_interests(subject, person, at=at, catalogue=catalogue, settings=settings),
        moved=moved_categories(profile, settings.guards.move_categories),
        communities=person.communities,
    )


def _chunks(
    batch: Sequence[tuple[SubjectId, Candidate]],
) -> Iterator[Sequence[tuple[SubjectId, Candidate]]]:
    for start in range(0, len(batch), CHUNK):
        yield batch[start : start + CHUNK]


def decide_contacts(
    batch: Sequence[tuple[SubjectId, Candidate]],
    *,
    stores: Stores,
    catalogue: Mapping[ItemId, Item],
    settings: Settings,
    policy: ConsentPolicy,
    new_id: NewId = new_decision_id,
) -> list[ContactDecision]:
    """Decide each (subject, candidate) in order and store the decisions, one transaction
    per chunk of ``CHUNK``."""
    out: list[ContactDecision] = []
    for part in _chunks(batch):
        people = read_people(stores, part, settings=settings, policy=policy)
        made: list[ContactDecision] = []
        for subject, c in part:
            person = people[subject]
            sit = situation_of(subject, person, at=c.at, catalogue=catalogue, settings=settings)
            decision = decide(c, sit, new_id())
            person.history.append(decision)
            person.history.sort(key=lambda d: d.decided_at)
            made.append(decision)
        stores.contact_decisions.add(made)
        out.extend(made)
    return out


def decisions_of(
    stores: Stores, subject: SubjectId, *, since: datetime | None = None, limit: int = 100
) -> list[ContactDecision]:
    """The person's decisions, newest first."""
    found = stores.contact_decisions.for_subjects([subject], since=since)[subject]
    return list(reversed(found))[:limit]


def record_outcome(
    stores: Stores,
    subject: SubjectId,
    decision_id: str,
    outcome: Outcome,
    *,
    at: datetime,
    settings: Settings,
) -> ContactDecision:
    """Record what happened to a delivered message and refresh the fatigue signal."""
    require_aware(at, "at")
    found = stores.contact_decisions.get(decision_id)
    if found is None or found.subject_id != subject:
        raise NotFound(f"no contact decision {decision_id!r} for this subject", field="decision_id")
    if not found.reaches_out:
        raise Conflict(
            f"decision {decision_id} was {found.verdict.value}: nothing was sent", field="outcome"
        )
    updated = stores.contact_decisions.set_outcome(decision_id, outcome, at)
    if updated is None:  # erased between the two calls
        raise NotFound(f"no contact decision {decision_id!r} for this subject", field="decision_id")
    recent = stores.contact_decisions.for_subjects([subject], since=at - OUTCOME_LOOKBACK)
    tired = fatigue_signal(subject, recent[subject], settings.engage, now=at)
    if tired is None:
        stores.signals.delete(subject, kinds=[FATIGUE])
    else:
        put_consented(stores.signals, [tired])  # not after messaging was withdrawn
    return updated


def parse_outcome(value: str) -> Outcome:
    try:
        return Outcome(value)
    except ValueError:
        names = ", ".join(o.value for o in Outcome)
        raise InvalidInput(
            f"unknown outcome {value!r}; expected one of {names}", field="outcome"
        ) from None
