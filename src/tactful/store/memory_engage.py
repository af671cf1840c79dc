"""In-memory twins of the engage ports: contact decisions, milestones and hand-off cases.
They share ``MemoryStores``' lock, so a multi-table erase stays atomic."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime

from tactful.errors import Conflict
from tactful.instants import require_aware
from tactful.records import Case, CaseStatus, ContactDecision, Milestone, Outcome
from tactful.store.ports import (
    ConsentStore,
    ContactDecisionStore,
    ContactView,
    EventStore,
    HandoffStore,
    PreferenceStore,
    SignalStore,
)
from tactful.types import EventType, SubjectId


class MemoryContactDecisionStore:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._by_id: dict[str, ContactDecision] = {}
        self._by_subject: dict[SubjectId, list[str]] = defaultdict(list)

    def add(self, decisions: Sequence[ContactDecision]) -> None:
        ids = [d.decision_id for d in decisions]
        for d in decisions:
            require_aware(d.decided_at, "decided_at")
            if d.send_at is not None:
                require_aware(d.send_at, "send_at")
        with self._lock:
            if len(set(ids)) != len(ids) or any(i in self._by_id for i in ids):
                raise Conflict("a contact decision with this id is already stored", field="id")
            for d in decisions:
                self._by_id[d.decision_id] = d
                self._by_subject[d.subject_id].append(d.decision_id)

    def get(self, decision_id: str) -> ContactDecision | None:
        with self._lock:
            return self._by_id.get(decision_id)

    def for_subjects(
        self, subjects: Collection[SubjectId], *, since: datetime | None = None
    ) -> dict[SubjectId, list[ContactDecision]]:
        with self._lock:
            out = {
                s: [
                    d
                    for d in (self._by_id[i] for i in self._by_subject.get(s, ()))
                    if since is None or d.decided_at >= since
                ]
                for s in subjects
            }
        return {s: sorted(ds, key=lambda d: (d.decided_at, d.decision_id)) for s, ds in out.items()}

    def set_outcome(
        self, decision_id: str, outcome: Outcome, at: datetime
    ) -> ContactDecision | None:
        require_aware(at, "at")
        with self._lock:
            found = self._by_id.get(decision_id)
            if found is None:
                return None
            updated = found.with_outcome(outcome, at)
            self._by_id[decision_id] = updated
            return updated

    def erase_subject(self, subject: SubjectId) -> int:
        with self._lock:
            ids = self._by_subject.pop(subject, [])
            for i in ids:
                del self._by_id[i]
            return len(ids)


class MemoryMilestoneStore:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._rows: dict[SubjectId, dict[str, Milestone]] = defaultdict(dict)

    def add(self, milestones: Sequence[Milestone]) -> list[Milestone]:
        for m in milestones:
            require_aware(m.reached_at, "reached_at")
        fresh: list[Milestone] = []
        with self._lock:
            for m in milestones:
                mine = self._rows[m.subject_id]
                if m.key not in mine:
                    mine[m.key] = m
                    fresh.append(m)
        return fresh

    def for_subject(self, subject: SubjectId) -> list[Milestone]:
        with self._lock:
            rows = list(self._rows.get(subject, {}).values())
        return sorted(rows, key=lambda m: (m.reached_at, m.key))

    def erase_subject(self, subject: SubjectId) -> int:
        with self._lock:
            return len(self._rows.pop(subject, {}))


class MemoryHandoffStore:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._cases: dict[str, Case] = {}

    def open(self, case: Case) -> Case:
        require_aware(case.opened_at, "opened_at")
        with self._lock:
            current = self.active([case.subject_id]).get(case.subject_id)
            if current is not None:
                return current
            if case.case_id in self._cases:
                raise Conflict(f"case {case.case_id} already exists", field="case_id")
            self._cases[case.case_id] = case
            return case

    def get(self, case_id: str) -> Case | None:
        with self._lock:
            return self._cases.get(case_id)

    def active(self, subjects: Collection[SubjectId]) -> dict[SubjectId, Case]:
        wanted = set(subjects)
        with self._lock:
            return {
                c.subject_id: c for c in self._cases.values() if c.active and c.subject_id in wanted
            }

    def latest(self, subject: SubjectId) -> Case | None:
        with self._lock:
            mine = [c for c in self._cases.values() if c.subject_id == subject]
        return max(mine, key=lambda c: (c.opened_at, c.case_id), default=None)

    def by_status(self, status: CaseStatus | None = None, *, limit: int = 100) -> list[Case]:
        with self._lock:
            rows = [c for c in self._cases.values() if status is None or c.status is status]
        return sorted(rows, key=lambda c: (c.opened_at, c.case_id))[:limit]

    def update(self, case: Case, *, expected: CaseStatus) -> bool:
        with self._lock:
            stored = self._cases.get(case.case_id)
            if stored is None or stored.status is not expected:
                return False
            self._cases[case.case_id] = replace(case, subject_id=stored.subject_id)
            return True

    def erase_subject(self, subject: SubjectId) -> int:
        with self._lock:
            doomed = [k for k, c in self._cases.items() if c.subject_id == subject]
            for k in doomed:
                del self._cases[k]
            return len(doomed)


def read_contact_views(
    subjects: Collection[SubjectId],
    *,
    since: datetime,
    active_after: datetime,
    behaviour: Collection[SubjectId],
    event_types: Collection[EventType],
    consents: ConsentStore,
    preferences: PreferenceStore,
    events: EventStore,
    signals: SignalStore,
    decisions: ContactDecisionStore,
    handoffs: HandoffStore,
) -> dict[SubjectId, ContactView]:
    """The batch read of ``Stores.contact_views`` over the in-memory ports (the caller
    holds the shared lock, so it is one consistent snapshot)."""
    wanted = sorted(set(subjects))
    asked = set(behaviour)
    state = consents.current_many(wanted)
    made = {
        s: [
            replace(d, reasons=(), why=None)
            for d in ds
            if d.reaches_out and d.send_at is not None and d.send_at >= active_after
        ]
        for s, ds in decisions.for_subjects(wanted, since=since).items()
    }
    active = handoffs.active(wanted)
    out: dict[SubjectId, ContactView] = {}
    for s in wanted:
        out[s] = ContactView(
            consents=state[s],
            preferences=preferences.get(s),
            events=tuple(events.for_subject(s, types=event_types)) if s in asked else (),
            signals=tuple(signals.for_subject(s)),
            decisions=tuple(made[s]),
            case=active.get(s),
        )
    return out
