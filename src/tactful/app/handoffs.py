"""Human touch: hand-off cases for people who need a person, opened by triggers and worked
by agents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from tactful.handoff import Case, queue, review
from tactful.settings import Settings
from tactful.store.ports import Stores
from tactful.types import Event, SubjectId


class Handoffs:
    """Opens cases when a trigger fires; lists, claims and resolves them."""

    def __init__(
        self, stores: Stores, settings: Settings, *, clock: Callable[[], datetime]
    ) -> None:
        self._stores = stores
        self._settings = settings
        self._clock = clock

    def review(self, subjects: Sequence[SubjectId]) -> list[Case]:
        """Open a case for each person a trigger fires for (none while one is open)."""
        now = self._clock()
        opened = (
            review.review_handoff(s, stores=self._stores, settings=self._settings, now=now)
            for s in sorted(set(subjects))
        )
        return [c for c in opened if c is not None]

    def after_ingest(self, stored: Sequence[Event]) -> None:
        """Review those who just wrote (a reaction of ingest)."""
        self.review(review.writers(stored, self._settings, now=self._clock()))

    def cases(self, status: str | None = None, *, limit: int = 100) -> list[Case]:
        return queue.cases(self._stores.handoffs, status, limit=limit)

    def case(self, case_id: str) -> Case:
        return queue.case_of(self._stores.handoffs, case_id)

    def claim(self, case_id: str, agent: str) -> Case:
        return queue.claim_case(self._stores.handoffs, case_id, agent, now=self._clock())

    def resolve(self, case_id: str, outcome: str, *, agent: str | None = None) -> Case:
        return queue.resolve_case(
            self._stores.handoffs, case_id, outcome, now=self._clock(), agent=agent
        )
