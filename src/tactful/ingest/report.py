"""A batch through ingest: parse every row, drop repeats, check item ids against the
catalogue, gate on consent, store the rest in one transaction. With ``atomic`` any
rejection stores nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tactful.consent.policy import ConsentPolicy
from tactful.errors import InvalidInput, PayloadTooLarge
from tactful.ingest.gate import GateResult, gate
from tactful.ingest.parse import parse_event
from tactful.store.ports import AddResult, ConsentState, ConsentStore, EventStore, ItemStore
from tactful.types import Event, SubjectId


@dataclass(frozen=True, slots=True)
class Rejection:
    index: int
    event_id: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class IngestReport:
    accepted: int
    duplicates: int
    rejected: tuple[Rejection, ...] = ()
    stored: tuple[Event, ...] = field(default=(), repr=False)

    @property
    def ok(self) -> bool:
        return not self.rejected


def _row_id(row: Any) -> str | None:
    if isinstance(row, dict):
        eid = row.get("event_id")
        return eid if isinstance(eid, str) else None
    return None


def _parse_all(
    rows: Sequence[Any], now: datetime, tolerance: timedelta
) -> tuple[list[tuple[int, Event]], list[Rejection]]:
    parsed: list[tuple[int, Event]] = []
    rejected: list[Rejection] = []
    for i, row in enumerate(rows):
        try:
            parsed.append((i, parse_event(row, now=now, tolerance=tolerance)))
        except InvalidInput as err:
            rejected.append(Rejection(i, _row_id(row), f"invalid:{err.field}: {err.message}"))
    return parsed, rejected


def without_unknown_items(
    fresh: list[tuple[int, Event]], items: ItemStore, rejected: list[Rejection]
) -> list[tuple[int, Event]]:
    """The rows whose item the catalogue holds (or that name none); the others go to
    ``rejected`` as ``unknown:item_id``. One set-wise look-up of ids for the whole batch."""
    named = {e.item_id for _, e in fresh if e.item_id is not None}
    if not named:
        return fresh
    known = items.known(named)
    kept: list[tuple[int, Event]] = []
    for i, e in fresh:
        if e.item_id is None or e.item_id in known:
            kept.append((i, e))
        else:
            rejected.append(Rejection(i, e.event_id, "unknown:item_id"))
    return kept


def ingest(
    rows: Sequence[Any],
    *,
    events: EventStore,
    consents: ConsentStore,
    items: ItemStore,
    policy: ConsentPolicy,
    now: datetime,
    tolerance: timedelta = timedelta(minutes=5),
    max_batch: int = 10_000,
    atomic: bool = False,
    blocked: Callable[[SubjectId], str | None] = lambda _s: None,
    accept_unknown_items: bool = False,
) -> IngestReport:
    """Validate, de-duplicate, check item ids, gate and store a batch. ``blocked`` may name
    a reason to refuse a subject outright (e.g. ``erased_subject``); an event for an item
    the catalogue does not hold is rejected ``unknown:item_id`` unless
    ``accept_unknown_items``."""
    if not rows:
        raise InvalidInput("must hold at least one event", field="events")
    if len(rows) > max_batch:
        raise PayloadTooLarge(f"at most {max_batch} events per batch", field="events")
    parsed, rejected = _parse_all(rows, now, tolerance)
    seen: set[str] = set()
    fresh: list[tuple[int, Event]] = []
    duplicates = 0
    stored_ids = events.existing_ids({e.event_id for _, e in parsed})
    for i, e in parsed:
        if e.event_id in seen or e.event_id in stored_ids:
            duplicates += 1
            continue
        seen.add(e.event_id)
        reason = blocked(e.subject_id)
        if reason is not None:
            rejected.append(Rejection(i, e.event_id, reason))
        else:
            fresh.append((i, e))
    if not accept_unknown_items:
        fresh = without_unknown_items(fresh, items, rejected)
    return _store(fresh, rejected, duplicates, events=events, policy=policy, atomic=atomic)


def _store(
    fresh: list[tuple[int, Event]],
    rejected: list[Rejection],
    duplicates: int,
    *,
    events: EventStore,
    policy: ConsentPolicy,
    atomic: bool,
) -> IngestReport:
    """Gate and store in one step: the store reads the consents inside its write
    transaction, under the subjects' locks, and calls the gate there, so a withdrawal
    recorded while the batch was on its way always wins (nothing it covered is stored)."""
    verdicts: list[GateResult] = []

    def admit(state: ConsentState) -> Sequence[Event]:
        verdict = gate([e for _, e in fresh], state, policy)
        verdicts.append(verdict)
        return () if atomic and (rejected or verdict.rejected) else verdict.allowed

    result = events.add([e for _, e in fresh], admit=admit) if fresh else AddResult(0)
    verdict = verdicts[-1] if verdicts else GateResult((), ())
    index_of = {id(e): i for i, e in fresh}
    rejected.extend(Rejection(index_of[id(e)], e.event_id, why) for e, why in verdict.rejected)
    rejected.sort(key=lambda r: r.index)
    if atomic and rejected:
        return IngestReport(0, duplicates, tuple(rejected))
    raced = set(result.duplicates)  # stored by a concurrent writer since existing_ids()
    return IngestReport(
        result.accepted,
        duplicates + len(raced),
        tuple(rejected),
        tuple(e for e in verdict.allowed if e.event_id not in raced),
    )
