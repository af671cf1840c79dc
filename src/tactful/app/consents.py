"""Consents and preferences: what the person allowed and what they chose."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tactful.app.ingestion import Erased, refuse_erased
from tactful.consent.ledger import fold, record
from tactful.ingest import validate_preferences
from tactful.privacy.access import SYSTEM, Actor
from tactful.store.ports import ConsentStore, PreferenceStore
from tactful.types import ConsentRecord, Decision, Preferences, Purpose, SubjectId


@dataclass(frozen=True, slots=True)
class ConsentView:
    current: dict[Purpose, Decision]
    history: tuple[ConsentRecord, ...]


class AfterConsents(Protocol):
    """What new decisions mean for data already held (withdrawal, tombstones, audit)."""

    def __call__(
        self,
        subject: SubjectId,
        records: Sequence[ConsentRecord],
        before: Mapping[Purpose, Decision],
        actor: Actor,
    ) -> None: ...


class Consents:
    """The consent ledger and preferences of each person."""

    def __init__(
        self,
        consents: ConsentStore,
        preferences: PreferenceStore,
        *,
        after: AfterConsents,
        erased: Erased,
        clock: Callable[[], datetime],
    ) -> None:
        self._erased = erased
        self._consents = consents
        self._preferences = preferences
        self._after = after
        self._clock = clock

    def record(
        self, subject: SubjectId, decisions: Sequence[Mapping[str, Any]], *, actor: Actor = SYSTEM
    ) -> ConsentView:
        """Append decisions (``purpose``, ``decision``, optional ``source`` and
        ``policy_version``) to the history, carry out what they mean; the folded state."""
        now = self._clock()
        records = [
            record(
                subject,
                str(d.get("purpose", "")),
                str(d.get("decision", "")),
                at=now,
                source=str(d.get("source") or "api"),
                policy_version=str(d.get("policy_version") or "1"),
                index=i,
            )
            for i, d in enumerate(decisions)
        ]
        before = self._consents.current_many([subject])[subject]
        self._consents.append(records)
        self._after(subject, records, before, actor)
        return self.view(subject)

    def view(self, subject: SubjectId) -> ConsentView:
        """The person's current decisions and their whole history."""
        history = self._consents.history(subject)
        return ConsentView(fold(history), tuple(history))

    def set_preferences(self, subject: SubjectId, prefs: Preferences) -> Preferences:
        """Replace the person's preferences once they pass the core's checks
        (``InvalidInput`` naming the field otherwise; nothing is written). ``Conflict``
        for an erased person who has not consented again."""
        prefs = validate_preferences(prefs)
        refuse_erased(self._erased, [subject])
        self._preferences.put(subject, prefs, at=self._clock())
        return prefs

    def preferences(self, subject: SubjectId) -> Preferences:
        """The person's preferences (the defaults if they never chose)."""
        found = self._preferences.get(subject)
        return found if found is not None else Preferences()
