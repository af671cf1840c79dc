"""The insights port: set-wise reads over a time window, for connection health and fairness
(``tactful.insights``). Re-exported from ``tactful.store.ports``.

Every read returns rows as stored; what a purpose may count of them is decided in the core
(``tactful.insights.health`` reads events only of people whose ``analytics`` is granted).
Windows are half-open: ``start <= t < end``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Protocol

from tactful.records import Case, ContactDecision
from tactful.types import (
    ConsentRecord,
    Event,
    EventType,
    Exposure,
    Preferences,
    Signal,
    SubjectId,
)


class InsightStore(Protocol):
    def events(
        self, *, start: datetime, end: datetime, types: Collection[EventType] | None = None
    ) -> Iterator[Event]:
        """Events that occurred in the window (of these types); order unspecified."""
        ...

    def consent_history(self, *, until: datetime) -> list[ConsentRecord]:
        """Every consent record made before ``until``, everyone's: each subject's in
        recording order (folding them gives the state at ``until`` and the changes inside
        a window); subjects in any order."""
        ...

    def exposures(self, *, start: datetime, end: datetime) -> list[Exposure]:
        """Exposures logged in the window, oldest first, without ``reasons`` (insights
        count what was shown and held back, not why)."""
        ...

    def decisions(self, *, start: datetime, end: datetime) -> list[ContactDecision]:
        """Contact decisions made in the window, oldest first, with their reasons (kinds
        matter) but without the "why" text."""
        ...

    def cases(self, *, start: datetime, end: datetime) -> list[Case]:
        """Hand-off cases alive during the window: opened before ``end`` and not resolved
        before ``start``; oldest opened first."""
        ...

    def preferences(self, subjects: Collection[SubjectId]) -> dict[SubjectId, Preferences]:
        """The stored preferences of each of these people who has any."""
        ...

    def signals(self, kind: str) -> list[Signal]:
        """Every stored signal of this kind, expired or not, everyone's."""
        ...
