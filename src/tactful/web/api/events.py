"""``POST /v1/events``: batch ingest through validation and the consent gate."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from tactful.web.deps import AppDep, Ingest
from tactful.web.errors import ErrorOut
from tactful.web.schemas import AtomicRejectionOut, EventBatch, IngestOut

router = APIRouter(prefix="/v1", tags=["events"])


@router.post(
    "/events",
    response_model=IngestOut,
    responses={
        413: {"model": ErrorOut, "description": "more rows than max_batch_events"},
        422: {
            "model": AtomicRejectionOut | ErrorOut,
            "description": "an invalid body, or with ?atomic=true any rejected row",
        },
    },
)
def post_events(
    batch: EventBatch,
    app: AppDep,
    _key: Ingest,
    atomic: bool = Query(False, description="all-or-nothing: any rejection stores nothing"),
) -> IngestOut | JSONResponse:
    """Store the valid, consented rows of a batch in one transaction; each rejected row comes
    back with its index and a reason naming the field or the missing purpose."""
    report = app.ingestion.record(batch.events, atomic=atomic)
    out = IngestOut.of(report)
    if atomic and not report.ok:
        body = out.model_dump()
        body.update(
            error="invalid_input",
            message=f"atomic batch: {len(report.rejected)} rows rejected, nothing was stored",
        )
        return JSONResponse(body, status_code=422)
    return out
