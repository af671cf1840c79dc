"""SQL store of hand-off cases. One active case per person is enforced by the database: the
unique ``active_subject`` column holds the subject while a case is open or claimed."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Row, select, update

from tactful.records import ACTIVE, Case, CaseStatus
from tactful.sql.database import Database, chunks
from tactful.sql.tables import handoff_cases
from tactful.types import SubjectId


def case_of(r: Row[Any]) -> Case:
    return Case(
        case_id=r.case_id,
        subject_id=r.subject_id,
        trigger=r.trigger,
        opened_at=r.opened_at,
        status=CaseStatus(r.status),
        brief=dict(r.brief),
        claimed_by=r.claimed_by,
        claimed_at=r.claimed_at,
        resolved_at=r.resolved_at,
        outcome=r.outcome,
    )


def _state(case: Case) -> dict[str, Any]:
    return {
        "status": case.status.value,
        "active_subject": case.subject_id if case.status in ACTIVE else None,
        "claimed_by": case.claimed_by,
        "claimed_at": case.claimed_at,
        "resolved_at": case.resolved_at,
        "outcome": case.outcome,
    }


class SqlHandoffStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def open(self, case: Case) -> Case:
        t = handoff_cases
        row = {
            "case_id": case.case_id,
            "subject_id": case.subject_id,
            "trigger": case.trigger,
            "opened_at": case.opened_at,
            "brief": dict(case.brief),
            **_state(case),
        }
        stmt = self._db.insert(t).values(row)
        stmt = stmt.on_conflict_do_nothing(index_elements=[t.c.active_subject])
        active = select(t).where(t.c.active_subject == case.subject_id)
        with self._db.writing("opening a hand-off case") as conn:
            conn.execute(stmt)
            stored = conn.execute(active).first()
        return case if stored is None else case_of(stored)

    def get(self, case_id: str) -> Case | None:
        t = handoff_cases
        with self._db.reading("reading a hand-off case") as conn:
            row = conn.execute(select(t).where(t.c.case_id == case_id)).first()
        return None if row is None else case_of(row)

    def active(self, subjects: Collection[SubjectId]) -> dict[SubjectId, Case]:
        t = handoff_cases
        out: dict[SubjectId, Case] = {}
        with self._db.reading("reading hand-off cases") as conn:
            for part in chunks(set(subjects)):
                for row in conn.execute(select(t).where(t.c.active_subject.in_(part))):
                    out[row.subject_id] = case_of(row)
        return out

    def latest(self, subject: SubjectId) -> Case | None:
        t = handoff_cases
        stmt = (
            select(t)
            .where(t.c.subject_id == subject)
            .order_by(t.c.opened_at.desc(), t.c.case_id.desc())
            .limit(1)
        )
        with self._db.reading("reading hand-off cases") as conn:
            row = conn.execute(stmt).first()
        return None if row is None else case_of(row)

    def by_status(self, status: CaseStatus | None = None, *, limit: int = 100) -> list[Case]:
        t = handoff_cases
        stmt = select(t).order_by(t.c.opened_at, t.c.case_id).limit(limit)
        if status is not None:
            stmt = stmt.where(t.c.status == status.value)
        with self._db.reading("listing hand-off cases") as conn:
            return [case_of(r) for r in conn.execute(stmt)]

    def update(self, case: Case, *, expected: CaseStatus) -> bool:
        t = handoff_cases
        stmt = (
            update(t)
            .where(t.c.case_id == case.case_id, t.c.status == expected.value)
            .values(_state(case))
        )
        with self._db.writing("updating a hand-off case") as conn:
            return conn.execute(stmt).rowcount == 1
