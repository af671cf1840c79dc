"""``create_app(settings)``: the FastAPI application over one ``Tactful`` instance."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from tactful import __version__
from tactful.app import Tactful
from tactful.app.build import utcnow
from tactful.app.jobs import ThreadRunner
from tactful.settings import Settings
from tactful.simulate.jobs import Simulations
from tactful.web import docs, errors, logs, metrics, openapi, pages
from tactful.web.api import (
    communities,
    engage,
    events,
    handoffs,
    health,
    insights,
    items,
    models,
    privacy,
    requests,
    signals,
    subjects,
)
from tactful.web.api import simulations as simulation_routes
from tactful.web.collector import steady_collector
from tactful.web.console import router as console_router
from tactful.web.me.routes import router as me_router
from tactful.web.schemas import DOCUMENTED
from tactful.web.screen import Screen

DESCRIPTION = """Personalization with tact: consent-first events, explained recommendations.

Authenticate with an operator key: `Authorization: Bearer <key>` (create one with
`tactful keys create --scope admin`). Scopes: `ingest` (write events, items, consents,
preferences), `read` (read them and get recommendations), `admin` (everything, training)."""


def create_app(
    settings: Settings | None = None,
    tactful: Tactful | None = None,
    *,
    simulations: Simulations | None = None,
) -> FastAPI:
    """The web app; builds its ``Tactful`` from settings unless one is passed (tests).
    Simulations run in threads unless ``simulations`` says otherwise (tests); when the app
    stops they are cancelled."""
    settings = settings or (tactful.settings if tactful else Settings())
    owned = tactful is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if owned:
            from tactful.app.open import open_app

            logs.configure()
            app.state.tactful = open_app(settings, background=True)
            # Everything loaded so far lives as long as the server: out of the collector's
            # view; and so, every second, is what the serving cache keeps (collector.py).
            gc.collect()
            gc.freeze()
            steady = asyncio.create_task(steady_collector())
        try:
            yield
        finally:
            app.state.simulations.close()  # cancelled, so stopping never waits on a run
            if owned:
                steady.cancel()
                app.state.tactful.close()

    app = FastAPI(
        title="Tactful",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # docs.install serves /docs and /redoc without a CDN
        redoc_url=None,
    )
    if tactful is not None:
        app.state.tactful = tactful
    app.state.simulations = simulations or Simulations(ThreadRunner(), clock=utcnow)
    errors.install(app)
    app.add_middleware(Screen, limit=settings.max_body_bytes)
    app.add_middleware(metrics.Metered)
    app.add_middleware(logs.RequestLog)

    # subjects first: its recommendations route is the hottest, and routes match in order
    routers = (subjects, health, events, items, models, signals, requests, engage, handoffs)
    for module in (*routers, privacy, communities, insights, simulation_routes):
        app.include_router(module.router, responses=errors.RESPONSES)
    app.include_router(metrics.router)
    pages.install(app, settings, prefixes=(*pages.PREFIXES, "/console"))
    app.include_router(me_router)
    app.include_router(console_router)
    docs.install(app, title=app.title)
    openapi.install(app, DOCUMENTED)
    return app
