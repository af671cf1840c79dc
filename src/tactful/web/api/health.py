"""Liveness and readiness: ``GET /healthz``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from tactful.app.training import served
from tactful.web.deps import AppDep

router = APIRouter(tags=["health"])


class HealthOut(BaseModel):
    status: Literal["ok"]
    model_version: str | None


@router.get("/healthz", response_model=HealthOut)
def healthz(app: AppDep) -> HealthOut:
    """``ok`` when the database answers; also says which model is serving."""
    app.stores.items.version()
    model = app.live.get(served(app.live, app.settings.recommend.model))
    return HealthOut(status="ok", model_version=model.version if model else None)
