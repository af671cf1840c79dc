"""The preference center: what a person's own page shows (one view-model, built from the
same services the API uses) and what its forms do (consents, preferences, "Not for me",
corrections, export and erasure), always as the person themselves (``SUBJECT``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tactful.app.catalogue import Catalogue
from tactful.app.communities import Communities, PersonCommunities
from tactful.app.consents import Consents, ConsentView
from tactful.app.contact import Contact
from tactful.app.ingestion import Ingestion
from tactful.app.profiles import Profiles
from tactful.app.recommendations import Recommendations
from tactful.app.requests import StatedRequests
from tactful.app.rights import Rights
from tactful.app.serving import Recommendation
from tactful.errors import InvalidInput
from tactful.explain.why import Why
from tactful.privacy.access import SUBJECT
from tactful.privacy.erasure import Receipt
from tactful.privacy.rectification import COMPUTED, Correction
from tactful.records import ContactDecision
from tactful.store.ports import Stores
from tactful.types import (
    Decision,
    Event,
    EventType,
    Item,
    ItemId,
    Preferences,
    Purpose,
    RequestContext,
    Signal,
    SubjectId,
)

CONTEXT = "preference_center"
"""The exposure context and consent source of everything the page does."""
SHOWN_LIMIT = 20
"""The page asks for this many; the person's own budget cuts the list further."""
DECISIONS_SHOWN = 20
HIDDEN = ("retargeting:", "recency", "request:")
"""Bookkeeping, not something we think we know about the person (requests are what the
person asked for: the page lists them on their own, each with an undo)."""
FIRST = ("life_event:", "distress", "mood", "complaints", "interest:", "value:")
"""The order a page lists inferences in: what matters most to the person first."""


def _rank(signal: Signal) -> tuple[int, str]:
    found = next((i for i, p in enumerate(FIRST) if signal.kind.startswith(p)), len(FIRST))
    return found, signal.kind


@dataclass(frozen=True, slots=True)
class Basis:
    """What the person did with one item (or in words, for a text), as a page shows it:
    each kind of event with how often, and when last."""

    title: str | None
    actions: tuple[tuple[str, int], ...]
    last: datetime


def basis_of(events: Iterable[Event], titles: Mapping[ItemId, Item]) -> tuple[Basis, ...]:
    """Events grouped by item, most recent item first; each item's event types in the
    order they first happened."""
    by_item: dict[ItemId | None, list[Event]] = {}
    for e in events:
        by_item.setdefault(e.item_id, []).append(e)
    out = []
    for item_id, group in by_item.items():
        counts: dict[str, int] = {}
        for e in sorted(group, key=lambda e: e.occurred_at):
            counts[e.type.value] = counts.get(e.type.value, 0) + 1
        item = titles.get(item_id) if item_id is not None else None
        last = max(e.occurred_at for e in group)
        out.append(Basis(item.title if item else None, tuple(counts.items()), last))
    return tuple(sorted(out, key=lambda b: b.last, reverse=True))


@dataclass(frozen=True, slots=True)
class Inference:
    """A live signal as the person sees it: what, how strong, why, until when."""

    signal: Signal
    basis: tuple[Basis, ...]
    correctable: bool


@dataclass(frozen=True, slots=True)
class CenterPage:
    """Everything ``/me`` shows, for one person."""

    subject_id: SubjectId
    consents: dict[Purpose, Decision]
    preferences: Preferences
    recommendation: Recommendation
    inferences: tuple[Inference, ...]
    decisions: tuple[ContactDecision, ...]
    categories: tuple[str, ...]
    """Every category and value in the catalogue, for the mute and values choices."""
    values: tuple[str, ...]
    requests: tuple[Signal, ...] = ()
    """What the person asked for in words and is in force (each with an undo)."""
    communities: PersonCommunities | None = None
    """Joined and suggested communities (``community`` granted), or nothing to show."""


@dataclass(frozen=True, slots=True)
class WhyPage:
    why: Why
    basis: tuple[Basis, ...]


class PreferenceCenter:
    """The person's own page over the services (passed in, never reached through)."""

    def __init__(
        self,
        *,
        stores: Stores,
        catalogue: Catalogue,
        consents: Consents,
        profiles: Profiles,
        recommendations: Recommendations,
        contact: Contact,
        rights: Rights,
        ingestion: Ingestion,
        requests: StatedRequests,
        clock: Callable[[], datetime],
        communities: Communities | None = None,
    ) -> None:
        self._requests = requests
        self._stores = stores
        self._catalogue = catalogue
        self._consents = consents
        self._profiles = profiles
        self._recommendations = recommendations
        self._contact = contact
        self._rights = rights
        self._ingestion = ingestion
        self._clock = clock
        self._communities = communities

    def page(self, subject: SubjectId) -> CenterPage:
        """The whole page; the list shown is logged as an exposure (``preference_center``)."""
        rec = self._recommendations.recommend(
            subject, limit=SHOWN_LIMIT, context=RequestContext.HOME, logged_as=CONTEXT
        )
        items = self._catalogue.current().values()
        return CenterPage(
            subject_id=subject,
            consents=self._consents.view(subject).current,
            preferences=self._consents.preferences(subject),
            recommendation=rec,
            inferences=self.inferences(subject),
            decisions=tuple(self._contact.decisions(subject, limit=DECISIONS_SHOWN)),
            categories=tuple(sorted({c for i in items for c in i.categories})),
            values=tuple(sorted({v for i in items for v in i.values})),
            requests=tuple(self._requests.active(subject)),
            communities=self._communities.of_subject(subject) if self._communities else None,
        )

    def inferences(self, subject: SubjectId) -> tuple[Inference, ...]:
        """Every live inferred signal with the events behind it; corrections (interests and
        values set to zero) and bookkeeping counters are left out."""
        signals = sorted(
            (
                s
                for s in self._profiles.profile(subject).signals
                if not s.kind.startswith(HIDDEN)
                and not (s.value == 0 and s.kind.startswith(COMPUTED))
            ),
            key=_rank,
        )
        stored = {s.kind for s in self._stores.signals.for_subject(subject)}
        wanted = {e for s in signals for e in s.evidence}
        events = (
            {
                e.event_id: e
                for e in self._stores.events.for_subject(subject)
                if e.event_id in wanted
            }
            if wanted
            else {}
        )
        titles = self._catalogue.current()
        return tuple(
            Inference(
                s,
                basis_of((events[e] for e in s.evidence if e in events), titles),
                s.kind in stored or s.kind.startswith(COMPUTED),
            )
            for s in signals
        )

    def why(self, subject: SubjectId, item_id: ItemId) -> WhyPage:
        """The evidence and the guards' steps behind one item (not logged as shown), with
        the person's events behind the evidence grouped by item."""
        found = self._recommendations.why(subject, item_id, limit=SHOWN_LIMIT)
        events = {w.event.event_id: w.event for v in found.evidence for w in v.events}
        return WhyPage(found, basis_of(events.values(), self._catalogue.current()))

    def save_consents(self, subject: SubjectId, granted: Collection[Purpose]) -> ConsentView:
        """Record the purposes whose state the form changes: ticked ones granted, unticked
        ones that were granted denied (with everything a withdrawal means)."""
        current = self._consents.view(subject).current
        changes = [
            {"purpose": p.value, "decision": "granted" if p in granted else "denied"}
            for p in Purpose
            if (p in granted) != (current.get(p) is Decision.GRANTED)
        ]
        for change in changes:
            change["source"] = CONTEXT
        if not changes:
            return self._consents.view(subject)
        return self._consents.record(subject, changes, actor=SUBJECT)

    def join(self, subject: SubjectId, community_id: str) -> bool:
        """Join by the person's own choice; False when ``community`` is not granted (the
        same rule as the API) or no communities are kept here."""
        if self._communities is None:
            return False
        try:
            self._communities.join(subject, community_id, actor=SUBJECT)
        except InvalidInput:
            return False
        return True

    def leave(self, subject: SubjectId, community_id: str) -> bool:
        if self._communities is None:
            return False
        return self._communities.leave(subject, community_id, actor=SUBJECT)

    def save_preferences(self, subject: SubjectId, prefs: Preferences) -> Preferences:
        return self._consents.set_preferences(subject, prefs)

    def dismiss(self, subject: SubjectId, item_id: ItemId) -> bool:
        """Record "Not for me" as a ``dismiss`` event; False if the consent gate refused it
        (nothing that may use feedback is granted)."""
        now = self._clock()
        row = {
            "event_id": f"pc-dismiss-{item_id}-{now.timestamp():.6f}",
            "subject_id": subject,
            "type": EventType.DISMISS.value,
            "item_id": item_id,
            "occurred_at": now.isoformat(),
            "source": CONTEXT,
        }
        return self._ingestion.record([row]).accepted == 1

    def correct(self, subject: SubjectId, kind: str) -> Correction:
        """ "That's not right": remove the inference (rectification)."""
        return self._rights.remove_signal(subject, kind, actor=SUBJECT)

    def lift_request(self, subject: SubjectId, name: str) -> Signal:
        """Undo a request the person made in words (``stop_messages``, ``mute:baby`` ...)."""
        return self._requests.lift(subject, name, actor=SUBJECT)

    def export(self, subject: SubjectId) -> dict[str, Any]:
        return self._rights.export(subject, actor=SUBJECT)

    def erase(self, subject: SubjectId) -> Receipt:
        return self._rights.erase(subject, actor=SUBJECT)
