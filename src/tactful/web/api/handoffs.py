"""The hand-off queue: cases where a person on the team should reach out.

Scopes: listing and reading cases (their briefs hold personal data) need ``read``; claiming
and resolving change them and need ``ingest`` (the write scope), so an agent tool runs
with one read key and one ingest key, never admin.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from tactful.records import Case
from tactful.web.deps import AppDep, Ingest, Read

router = APIRouter(prefix="/v1/handoffs", tags=["handoffs"])
CasePath = Annotated[str, Path(min_length=1, max_length=200)]


class ClaimIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent: str = Field(min_length=1, max_length=200, description="who takes the case")


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(min_length=1, max_length=2000, description="what was done")
    agent: str | None = Field(None, min_length=1, max_length=200)


class CaseOut(BaseModel):
    case_id: str
    subject_id: str
    trigger: str
    opened_at: datetime
    status: Literal["open", "claimed", "resolved"]
    brief: dict[str, Any]
    claimed_by: str | None
    claimed_at: datetime | None
    resolved_at: datetime | None
    outcome: str | None

    @classmethod
    def of(cls, c: Case) -> CaseOut:
        return cls(
            case_id=c.case_id,
            subject_id=c.subject_id,
            trigger=c.trigger,
            opened_at=c.opened_at,
            status=c.status.value,
            brief=dict(c.brief),
            claimed_by=c.claimed_by,
            claimed_at=c.claimed_at,
            resolved_at=c.resolved_at,
            outcome=c.outcome,
        )


class CasesOut(BaseModel):
    cases: list[CaseOut]


@router.get("", response_model=CasesOut)
def cases(
    app: AppDep,
    _key: Read,
    status: Annotated[Literal["open", "claimed", "resolved"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> CasesOut:
    """Cases, oldest first; ``?status=open`` is the queue waiting for an agent."""
    return CasesOut(cases=[CaseOut.of(c) for c in app.handoffs.cases(status, limit=limit)])


@router.get("/{case_id}", response_model=CaseOut)
def case(case_id: CasePath, app: AppDep, _key: Read) -> CaseOut:
    return CaseOut.of(app.handoffs.case(case_id))


@router.post("/{case_id}/claim", response_model=CaseOut)
def claim(case_id: CasePath, body: ClaimIn, app: AppDep, _key: Ingest) -> CaseOut:
    """Take the case. Claimed by someone else or resolved: 409."""
    return CaseOut.of(app.handoffs.claim(case_id, body.agent))


@router.post("/{case_id}/resolve", response_model=CaseOut)
def resolve(case_id: CasePath, body: ResolveIn, app: AppDep, _key: Ingest) -> CaseOut:
    """Close the case with a note of what was done; promotions may resume. Resolved: 409."""
    return CaseOut.of(app.handoffs.resolve(case_id, body.outcome, agent=body.agent))
