"""Privacy rights over HTTP: export, erasure, rectification of inferences, subject tokens,
retention runs and audit verification.

A person's own endpoints take an operator key with the scope named below, or that person's
subject token (``Authorization: Bearer ts_...``): export (``read``), erasure (``admin``),
removing a signal (``ingest``). Issuing tokens, retention and the audit check are
operator-only (``admin``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from tactful.privacy.access import Actor, operator
from tactful.privacy.archive import zip_export
from tactful.settings import MAX_TOKEN_TTL_DAYS
from tactful.types import Scope
from tactful.web.deps import Admin, AppDep, SubjectAdmin, SubjectIngest, subject_access
from tactful.web.me.links import page_link
from tactful.web.schemas import ConsentsOut

router = APIRouter(tags=["privacy"])
SubjectPath = Annotated[str, Path(min_length=1, max_length=200)]
SignalPath = Annotated[str, Path(min_length=1, max_length=200)]
Exporter = Annotated[Actor, Depends(subject_access(Scope.READ))]


class ExportOut(BaseModel):
    """The export document (``privacy.export``; documentation only, the route returns the
    document as built). After erasure only ``subject_id``, ``generated_at``, ``format``,
    ``erased``, ``tombstone`` and ``notice``."""

    subject_id: str
    generated_at: datetime
    format: int = Field(description="version of this document's layout")
    consents: ConsentsOut | None = None
    data: dict[str, list[dict[str, Any]]] | None = Field(
        None, description="every row naming the person, per table"
    )
    inferences: list[dict[str, Any]] | None = Field(None, description="their live signals")
    inventory: list[dict[str, Any]] | None = Field(
        None, description="what is held, why (purpose) and for how long"
    )
    audit: list[dict[str, Any]] | None = Field(None, description="audit records about them")
    tombstone: dict[str, Any] | None = None
    erased: bool | None = None
    notice: str | None = None


class TombstoneOut(BaseModel):
    pseudonym: str = Field(description="keyed hash (HMAC-SHA256) of the subject id")
    erased_at: datetime


class ErasureOut(BaseModel):
    rows_deleted: dict[str, int] = Field(description="rows deleted per table")
    models_updated: list[str] = Field(description="model versions saved without the person")
    tombstone: TombstoneOut


class CorrectionOut(BaseModel):
    subject_id: str
    signal: str
    signals_deleted: int
    events_deleted: int = Field(description="texts the removed inference was read from")
    corrected: bool = Field(description="a zero-valued correction now overrides the inference")


class TokenIn(BaseModel):
    ttl_minutes: int | None = Field(
        None,
        ge=1,
        le=MAX_TOKEN_TTL_DAYS * 24 * 60,
        description="default: privacy.token_ttl_minutes; at most privacy.token_max_ttl_days",
    )


class TokenOut(BaseModel):
    token: str
    subject_id: str
    expires_at: datetime
    url: str = Field(description="the link to the person's own page, /me?token=...")


class RetentionOut(BaseModel):
    deleted: dict[str, int] = Field(description="rows deleted per table")
    by_category: dict[str, int] = Field(description="events deleted per data category")
    cutoffs: dict[str, datetime] = Field(description="older than this was deleted")
    models_updated: list[str]


class AuditOut(BaseModel):
    intact: bool
    records: int = Field(description="records that verified before the first problem")
    head_seq: int | None
    first_bad: int | None
    problem: str | None


@router.get(
    "/v1/subjects/{subject_id}/export",
    response_model=None,
    responses={
        200: {
            "model": ExportOut,
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def get_export(
    subject_id: SubjectPath,
    app: AppDep,
    actor: Exporter,
    fmt: Annotated[Literal["json", "zip"], Query(alias="format")] = "json",
) -> dict[str, Any] | Response:
    """Everything held about the person and why: consents with history, preferences,
    events, signals, what was recommended with its reasons, contact decisions, hand-off
    cases, a data inventory and the audit records about them. ``?format=zip``: the same as
    CSV files. After erasure, only the tombstone notice."""
    doc = app.rights.export(subject_id, actor=actor)
    if fmt == "json":
        return doc
    return Response(
        zip_export(doc),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="tactful-export.zip"'},
    )


@router.delete("/v1/subjects/{subject_id}", response_model=ErasureOut)
def delete_subject(subject_id: SubjectPath, app: AppDep, actor: SubjectAdmin) -> ErasureOut:
    """Erase the person: every row in every table, their signals, their influence on every
    model (saved again), leaving a tombstone that refuses their events (``erased_subject``)
    until they grant consent again."""
    receipt = app.rights.erase(subject_id, actor=actor)
    tomb = receipt.tombstone
    return ErasureOut(
        rows_deleted=receipt.rows_deleted,
        models_updated=list(receipt.models_updated),
        tombstone=TombstoneOut(pseudonym=tomb.pseudonym, erased_at=tomb.erased_at),
    )


@router.delete("/v1/subjects/{subject_id}/signals/{signal}", response_model=CorrectionOut)
def delete_signal(
    subject_id: SubjectPath, signal: SignalPath, app: AppDep, actor: SubjectIngest
) -> CorrectionOut:
    """Remove an inferred signal (e.g. ``interest:running``, ``life_event:bereavement``) so
    it stops influencing the person; 404 if there is no such signal to remove."""
    done = app.rights.remove_signal(subject_id, signal, actor=actor)
    return CorrectionOut(
        subject_id=subject_id,
        signal=done.kind,
        signals_deleted=done.signals_deleted,
        events_deleted=done.events_deleted,
        corrected=done.corrected,
    )


@router.post("/v1/subjects/{subject_id}/tokens", response_model=TokenOut)
def post_token(
    subject_id: SubjectPath,
    request: Request,
    app: AppDep,
    key: Admin,
    body: TokenIn | None = None,
) -> TokenOut:
    """Issue a subject token for the person and the link to their own page (``url``, on
    ``pages.base_url`` or this server's address): put it in e-mails and account pages."""
    ttl = body.ttl_minutes if body is not None else None
    token = app.access.issue_token(
        subject_id,
        ttl=timedelta(minutes=ttl) if ttl is not None else None,
        actor=operator(key),
    )
    base = app.settings.pages.base_url or str(request.base_url)
    return TokenOut(
        token=token.token,
        subject_id=subject_id,
        expires_at=token.expires_at,
        url=page_link(base, token.token),
    )


@router.post("/v1/retention/run", response_model=RetentionOut)
def post_retention(app: AppDep, key: Admin) -> RetentionOut:
    """Delete whatever outlived its retention period; retrain models that learned from it."""
    r = app.rights.run_retention(actor=operator(key))
    return RetentionOut(
        deleted=r.deleted,
        by_category=r.by_category,
        cutoffs=r.cutoffs,
        models_updated=list(r.models_updated),
    )


@router.get("/v1/audit/verify", response_model=AuditOut)
def get_audit_verify(app: AppDep, _key: Admin) -> AuditOut:
    """Check the audit log's hash chain and sealed head; names the first bad record."""
    v = app.rights.verify_audit()
    return AuditOut(
        intact=v.intact,
        records=v.records,
        head_seq=v.head.seq if v.head is not None else None,
        first_bad=v.first_bad,
        problem=v.problem,
    )
