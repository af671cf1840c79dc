"""The operator console, ``/console`` (docs/console.md): server-rendered pages over the same
services as the API, on the pages' infrastructure (sessions, CSRF, CSP, catalogues)."""

from __future__ import annotations

from fastapi import APIRouter

from tactful.web.console import cases, entry, records, reports, simulations

router = APIRouter()
for module in (entry, reports, cases, records, simulations):
    router.include_router(module.router)

__all__ = ["router"]
