"""Model training: ``POST /v1/models/train``."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from tactful.web.deps import Admin, AppDep
from tactful.web.schemas import TrainOut

router = APIRouter(prefix="/v1/models", tags=["models"])


@router.post("/train", response_model=TrainOut)
async def post_train(app: AppDep, _key: Admin) -> TrainOut:
    """Train on consented data only; the new version serves as soon as it is saved."""
    r = await run_in_threadpool(app.training.train)
    return TrainOut(
        model_version=r.model_version,
        fallback_version=r.fallback_version,
        subjects=r.subjects,
        items=r.items,
        interactions=r.interactions,
        consented_subjects=r.consented_subjects,
    )
