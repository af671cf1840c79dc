"""Liveness and readiness: ``GET /healthz``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tactful.web.deps import AppDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(app: AppDep) -> dict[str, Any]:
    """``ok`` when the database answers; also says which model is serving."""
    app.stores.items.version()
    model = app.live.get(app.settings.recommend.model)
    return {"status": "ok", "model_version": model.version if model else None}
