"""The preference center: what a person's own page shows (one view-model, built from the
same services the API uses) and what its forms do (consents, preferences, "Not for me",
corrections, export and erasure), always as the person themselves (``SUBJECT``)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tactful.app.catalogue import Catalogue
from tactful.app.consents import Consents, ConsentView
from tactful.app.contact import Contact
from tactful.app.ingestion import Ingestion
from tactful.app.profiles import Profiles
from tactful.app.recommendations import Recommendations
from tactful.app.rights import Rights
from tactful.app.serving import Recommendation
from tactful.explain.why import Why
from tactful.privacy.access import SUBJECT
from tactful.privacy.erasure import Receipt
from tactful.privacy.rectification import COMPUTED, Correction
from tactful.records import ContactDecision
from tactful.store.ports import Stores
from tactful.types import Decision, EventType, ItemId, Preferences, Purpose, Signal, SubjectId

CONTEXT = "preference_center"
"""The exposure context and consent source of everything the page does."""
SHOWN_LIMIT = 20
"""The page asks for this many; the person's own budget cuts the list further."""
DECISIONS_SHOWN = 20
HIDDEN = ("retargeting:", "recency")
"""Bookkeeping, not something we think we know about the person."""


@dataclass(frozen=True, slots=True)
class Clue:
    """One event behind a signal, in the words a page needs."""

    type: str
    title: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class Inference:
    """A live signal as the person sees it: what, how strong, why, until when."""

    signal: Signal
    clues: tuple[Clue, ...]
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


@dataclass(frozen=True, slots=True)
class WhyPage:
    why: Why
    titles: dict[ItemId, str]


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
        clock: Callable[[], datetime],
    ) -> None:
        self._stores = stores
        self._catalogue = catalogue
        self._consents = consents
        self._profiles = profiles
        self._recommendations = recommendations
        self._contact = contact
        self._rights = rights
        self._ingestion = ingestion
        self._clock = clock

    def page(self, subject: SubjectId) -> CenterPage:
        """The whole page; the list shown is logged as an exposure (``preference_center``)."""
        rec = self._recommendations.recommend(subject, limit=SHOWN_LIMIT, context=CONTEXT)
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
        )

    def inferences(self, subject: SubjectId) -> tuple[Inference, ...]:
        """Every live inferred signal with the events behind it; corrections (interests and
        values set to zero) and bookkeeping counters are left out."""
        signals = [
            s
            for s in self._profiles.profile(subject).signals
            if not s.kind.startswith(HIDDEN) and not (s.value == 0 and s.kind.startswith(COMPUTED))
        ]
        stored = {s.kind for s in self._stores.signals.for_subject(subject)}
        wanted = {e for s in signals for e in s.evidence}
        titles = self._catalogue.current()
        clues: dict[str, Clue] = {}
        if wanted:
            for e in self._stores.events.for_subject(subject):
                if e.event_id in wanted:
                    item = titles.get(e.item_id) if e.item_id else None
                    clues[e.event_id] = Clue(
                        e.type.value, item.title if item else None, e.occurred_at
                    )
        return tuple(
            Inference(
                s,
                tuple(clues[e] for e in s.evidence if e in clues),
                s.kind in stored or s.kind.startswith(COMPUTED),
            )
            for s in signals
        )

    def why(self, subject: SubjectId, item_id: ItemId) -> WhyPage:
        """The evidence and the guards' steps behind one item (not logged as shown), with
        the titles of the items the evidence names."""
        found = self._recommendations.why(subject, item_id, limit=SHOWN_LIMIT)
        catalogue = self._catalogue.current()
        named = {w.event.item_id for v in found.evidence for w in v.events if w.event.item_id}
        titles = {i: catalogue[i].title for i in named if i in catalogue}
        return WhyPage(found, titles)

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

    def export(self, subject: SubjectId) -> dict[str, Any]:
        return self._rights.export(subject, actor=SUBJECT)

    def erase(self, subject: SubjectId) -> Receipt:
        return self._rights.erase(subject, actor=SUBJECT)
