"""SQL stores of the engage ports: contact decisions and milestones."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update

from tactful.records import (
    Channel,
    ContactDecision,
    MessageKind,
    Milestone,
    Outcome,
    Urgency,
    Verdict,
)
from tactful.sql.database import Database, chunks
from tactful.sql.tables import contact_decisions, milestones
from tactful.types import Reason, SubjectId


def _decision_row(d: ContactDecision) -> dict[str, Any]:
    return {
        "decision_id": d.decision_id,
        "subject_id": d.subject_id,
        "message_id": d.message_id,
        "kind": d.kind.value,
        "requested_channel": d.requested_channel.value,
        "channel": None if d.channel is None else d.channel.value,
        "topic": d.topic,
        "urgency": d.urgency.value,
        "decided_at": d.decided_at,
        "verdict": d.verdict.value,
        "send_at": d.send_at,
        "reasons": [{"kind": r.kind, "text": r.text} for r in d.reasons],
        "digest_id": d.digest_id,
        "why": d.why,
        "outcome": None if d.outcome is None else d.outcome.value,
        "outcome_at": d.outcome_at,
    }


def decision_of(r: Row[Any]) -> ContactDecision:
    return ContactDecision(
        decision_id=r.decision_id,
        subject_id=r.subject_id,
        message_id=r.message_id,
        kind=MessageKind(r.kind),
        requested_channel=Channel(r.requested_channel),
        channel=None if r.channel is None else Channel(r.channel),
        topic=r.topic,
        urgency=Urgency(r.urgency),
        decided_at=r.decided_at,
        verdict=Verdict(r.verdict),
        send_at=r.send_at,
        reasons=tuple(Reason(x["kind"], x["text"]) for x in r.reasons),
        digest_id=r.digest_id,
        why=r.why,
        outcome=None if r.outcome is None else Outcome(r.outcome),
        outcome_at=r.outcome_at,
    )


# Plain look-ups: calling an Enum by value costs microseconds, which a batch read of tens
# of thousands of rows notices.
KINDS = {m.value: m for m in MessageKind}
REQUESTED = {m.value: m for m in Channel}
CHANNELS: dict[str | None, Channel | None] = {None: None, **{m.value: m for m in Channel}}
URGENCIES = {m.value: m for m in Urgency}
VERDICTS = {m.value: m for m in Verdict}
OUTCOMES: dict[str | None, Outcome | None] = {None: None, **{m.value: m for m in Outcome}}


def timing_of(r: Row[Any]) -> ContactDecision:
    """A decision from a row without its reasons and "why" text (the budget's view)."""
    return ContactDecision(
        decision_id=r.decision_id,
        subject_id=r.subject_id,
        message_id=r.message_id,
        kind=KINDS[r.kind],
        requested_channel=REQUESTED[r.requested_channel],
        channel=CHANNELS[r.channel],
        topic=r.topic,
        urgency=URGENCIES[r.urgency],
        decided_at=r.decided_at,
        verdict=VERDICTS[r.verdict],
        send_at=r.send_at,
        digest_id=r.digest_id,
        outcome=OUTCOMES[r.outcome],
        outcome_at=r.outcome_at,
    )


class SqlContactDecisionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, decisions: Sequence[ContactDecision]) -> None:
        if not decisions:
            return
        with self._db.writing("storing contact decisions") as conn:
            conn.execute(contact_decisions.insert(), [_decision_row(d) for d in decisions])

    def get(self, decision_id: str) -> ContactDecision | None:
        stmt = select(contact_decisions).where(contact_decisions.c.decision_id == decision_id)
        with self._db.reading("reading a contact decision") as conn:
            row = conn.execute(stmt).first()
        return None if row is None else decision_of(row)

    def for_subjects(
        self, subjects: Collection[SubjectId], *, since: datetime | None = None
    ) -> dict[SubjectId, list[ContactDecision]]:
        t = contact_decisions
        out: dict[SubjectId, list[ContactDecision]] = {s: [] for s in subjects}
        with self._db.reading("reading contact decisions") as conn:
            for part in chunks(list(out)):
                stmt = select(t).where(t.c.subject_id.in_(part))
                if since is not None:
                    stmt = stmt.where(t.c.decided_at >= since)
                stmt = stmt.order_by(t.c.subject_id, t.c.decided_at, t.c.decision_id)
                for row in conn.execute(stmt):
                    out[row.subject_id].append(decision_of(row))
        return out

    def set_outcome(
        self, decision_id: str, outcome: Outcome, at: datetime
    ) -> ContactDecision | None:
        t = contact_decisions
        with self._db.writing("recording a contact outcome") as conn:
            conn.execute(
                update(t)
                .where(t.c.decision_id == decision_id)
                .values(outcome=outcome.value, outcome_at=at)
            )
            row = conn.execute(select(t).where(t.c.decision_id == decision_id)).first()
        return None if row is None else decision_of(row)


def _milestone_row(m: Milestone) -> dict[str, Any]:
    return {
        "subject_id": m.subject_id,
        "key": m.key,
        "kind": m.kind,
        "reached_at": m.reached_at,
        "title": m.title,
        "message": m.message,
        "decision_id": m.decision_id,
    }


class SqlMilestoneStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, batch: Sequence[Milestone]) -> list[Milestone]:
        """``ON CONFLICT DO NOTHING RETURNING`` says which really landed, so two workers
        replaying the same events cannot both celebrate."""
        rows = {(m.subject_id, m.key): m for m in batch}
        if not rows:
            return []
        t = milestones
        stmt = (
            self._db.insert(t)
            .on_conflict_do_nothing(index_elements=[t.c.subject_id, t.c.key])
            .returning(t.c.subject_id, t.c.key)
        )
        with self._db.writing("storing milestones") as conn:
            landed = {
                (r.subject_id, r.key)
                for r in conn.execute(stmt, [_milestone_row(m) for m in rows.values()])
            }
        return [m for k, m in rows.items() if k in landed]

    def for_subject(self, subject: SubjectId) -> list[Milestone]:
        t = milestones
        stmt = select(t).where(t.c.subject_id == subject).order_by(t.c.reached_at, t.c.key)
        with self._db.reading("reading milestones") as conn:
            return [
                Milestone(
                    subject_id=r.subject_id,
                    key=r.key,
                    kind=r.kind,
                    reached_at=r.reached_at,
                    title=r.title,
                    message=r.message,
                    decision_id=r.decision_id,
                )
                for r in conn.execute(stmt)
            ]
