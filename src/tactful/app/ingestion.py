"""Ingest: events through validation and the consent gate, then the reactions of the areas
that read them (signals, hand-offs, milestones), passed in by ``build``."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from tactful.app import meters
from tactful.consent.policy import ConsentPolicy
from tactful.errors import Conflict
from tactful.ingest import IngestReport, ingest
from tactful.privacy.erasure import ERASED
from tactful.store.ports import ConsentStore, EventStore, ItemStore
from tactful.types import Event, SubjectId


class AfterIngest(Protocol):
    """A reaction to events just stored (e.g. re-deriving signals)."""

    def __call__(self, stored: Sequence[Event]) -> None: ...


Erased = Callable[[Collection[SubjectId]], Collection[SubjectId]]
"""Which of these ids are erased (tombstoned): every write naming them is refused."""


def refuse_erased(erased: Erased, subjects: Collection[SubjectId]) -> None:
    """``Conflict`` naming ``subject_id`` when one of these people was erased: the
    tombstone blocks every write for the id until the person records new consent."""
    found = sorted(erased(subjects))
    if found:
        raise Conflict(
            f"{found[0]!r} was erased; nothing is stored for them until they consent again",
            field="subject_id",
        )


class Ingestion:
    """Validates, gates and stores event batches; then runs its reactions in order."""

    def __init__(
        self,
        events: EventStore,
        consents: ConsentStore,
        items: ItemStore,
        policy: ConsentPolicy,
        *,
        accept_unknown_items: bool,
        erased: Erased,
        after: Sequence[AfterIngest],
        max_batch: int,
        future_tolerance: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self._events = events
        self._consents = consents
        self._items = items
        self._policy = policy
        self._accept_unknown_items = accept_unknown_items
        self._erased = erased
        self._after = tuple(after)
        self._max_batch = max_batch
        self._tolerance = future_tolerance
        self._clock = clock

    def record(self, rows: Sequence[Any], *, atomic: bool = False) -> IngestReport:
        """Store the valid, consented rows for known items (all or nothing with
        ``atomic``); the report names every rejected row and why."""
        report = ingest(
            rows,
            events=self._events,
            consents=self._consents,
            items=self._items,
            policy=self._policy,
            now=self._clock(),
            tolerance=self._tolerance,
            max_batch=self._max_batch,
            atomic=atomic,
            blocked=self._blocked(rows),
            accept_unknown_items=self._accept_unknown_items,
        )
        meters.ingested(report)
        for react in self._after:
            react(report.stored)
        return report

    def _blocked(self, rows: Sequence[Any]) -> Callable[[SubjectId], str | None]:
        """Ingest's ``blocked``: ``erased_subject`` for tombstoned ids (one look-up a batch)."""
        # Only strings: a row naming its subject with a list is rejected by the parser.
        ids = {
            i for r in rows if isinstance(r, Mapping) and isinstance(i := r.get("subject_id"), str)
        }
        erased = frozenset(self._erased(ids))
        return lambda subject: ERASED if subject in erased else None
