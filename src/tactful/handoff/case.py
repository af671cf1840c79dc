"""The life of a hand-off case (``tactful.records.Case``): one case per person at a time;
it moves open → claimed → resolved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tactful.errors import Conflict, InvalidInput
from tactful.records import Case, CaseStatus


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
