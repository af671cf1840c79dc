"""A hand-off case: a moment when a person on the operator's team should reach out instead
of automated messages. One case per person at a time; it moves open → claimed → resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from tactful.errors import Conflict, InvalidInput
from tactful.types import SubjectId


class CaseStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


ACTIVE = frozenset({CaseStatus.OPEN, CaseStatus.CLAIMED})


@dataclass(frozen=True, slots=True)
class Case:
    """``brief`` is the context summary an agent reads first (see ``handoff.brief``), kept
    as the plain document it was written as, so it reads the same after upgrades."""

    case_id: str
    subject_id: SubjectId
    trigger: str
    opened_at: datetime
    status: CaseStatus
    brief: Mapping[str, Any]
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    resolved_at: datetime | None = None
    outcome: str | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def _label(value: str, field: str, limit: int) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidInput(f"must be 1 to {limit} characters", field=field)
    return value


def claim(case: Case, agent: str, *, now: datetime) -> Case:
    """An agent takes the case. Claiming again by the same agent changes nothing; a case
    claimed by someone else or already resolved is a ``Conflict``."""
    agent = _label(agent, "agent", 200)
    if case.status is CaseStatus.RESOLVED:
        raise Conflict(f"case {case.case_id} is already resolved", field="case_id")
    if case.status is CaseStatus.CLAIMED:
        if case.claimed_by == agent:
            return case
        raise Conflict(
            f"case {case.case_id} is already claimed by {case.claimed_by}", field="agent"
        )
    return replace(case, status=CaseStatus.CLAIMED, claimed_by=agent, claimed_at=now)


def resolve(case: Case, outcome: str, *, now: datetime, agent: str | None = None) -> Case:
    """Close the case with a note on what was done; an open case may be resolved directly."""
    outcome = _label(outcome, "outcome", 2000)
    if case.status is CaseStatus.RESOLVED:
        raise Conflict(f"case {case.case_id} is already resolved", field="case_id")
    by = case.claimed_by or (None if agent is None else _label(agent, "agent", 200))
    return replace(
        case,
        status=CaseStatus.RESOLVED,
        claimed_by=by,
        claimed_at=case.claimed_at or (now if by else None),
        resolved_at=now,
        outcome=outcome,
    )
