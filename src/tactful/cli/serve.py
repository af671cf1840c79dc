"""``tactful serve`` and ``tactful demo``."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from typing import Annotated

import numpy as np
import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress

from tactful.app import Tactful
from tactful.app.build import audit_anchor
from tactful.app.open import open_app
from tactful.app.training import served
from tactful.cli.errors import reported
from tactful.demo import DemoShop
from tactful.privacy.access import CLI
from tactful.settings import Settings
from tactful.web.me.links import page_link

console = Console()
DEMO_SEED = 42
DEMO_PERSON = "u0001"
"""Whose preference center ``tactful demo`` links to (every purpose granted)."""
DEMO_LINK_DAYS = 7


def serve(
    host: Annotated[str | None, typer.Option(help="default: settings.host")] = None,
    port: Annotated[int | None, typer.Option(help="default: settings.port")] = None,
    workers: Annotated[int, typer.Option(min=1, help="worker processes")] = 1,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs)."""
    with reported():
        settings = Settings()
        open_app(settings).close()  # migrate once, before workers start
        if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            # /metrics adds up every worker's values from files here (docs/insights.md)
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="tactful-metrics-")
        uvicorn.run(
            "tactful.web.app:create_app",
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            workers=workers,
            log_level="warning",
        )


def demo(
    port: Annotated[int | None, typer.Option(help="default: settings.port")] = None,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
    reset: Annotated[
        bool, typer.Option("--reset", help="erase the database and models, build the shop again")
    ] = False,
) -> None:
    """Generate the demo shop (first run, or with --reset), train, print a key, and serve."""
    from tactful.demo import generate

    with reported():
        settings = Settings()
        if reset:
            _reset(settings)
        app = open_app(settings)
        shop = generate(rng=np.random.default_rng(DEMO_SEED), now=app.clock())
        if not app.stores.items.all():
            _load(app, shop)
        elif app.live.get(served(app.live, settings.recommend.model)) is None:
            app.training.train()
        console.print("people worth a look:")
        for subject, story in shop.operator_subjects.items():
            console.print(f"  {subject}: {story}", soft_wrap=True)
        _key, secret = app.access.create_key("demo", ["admin"])
        token = app.access.issue_token(DEMO_PERSON, ttl=timedelta(days=DEMO_LINK_DAYS), actor=CLI)
        app.close()
        base = f"http://{settings.host}:{port or settings.port}"
        link = page_link(settings.pages.base_url or base, token.token)
        # plain echo: a key wrapped across lines by Rich could not be copied
        typer.echo(f"API docs:   {base}/docs\nhealth:     {base}/healthz")
        typer.echo(f"demo operator API key (admin): {secret}")
        typer.echo(
            f"try:        curl -H 'Authorization: Bearer {secret}' "
            f"{base}/v1/subjects/u0001/recommendations?preview=true"
        )
        typer.echo(f"preference center of {DEMO_PERSON} (valid {DEMO_LINK_DAYS} days): {link}")
    if serve_after:
        serve(host=None, port=port, workers=1)


def _reset(settings: Settings) -> None:
    """Undo every migration of the database and delete every saved model."""
    from tactful.recommend.artifacts import FileModelStore
    from tactful.sql.schema import reset

    reset(settings.database_url)
    audit_anchor(settings).clear()  # the new, empty log starts a new chain
    models = FileModelStore(settings.model_dir)
    for version in models.versions():
        models.delete(version)
    console.print("demo reset: the database and the models were erased")


def _load(app: Tactful, shop: DemoShop) -> None:
    from tactful.app.history import replay
    from tactful.app.seed import seed

    with Progress(console=console) as bar:
        task = bar.add_task("loading the demo shop", total=len(shop.events))
        report = seed(app, shop, progress=lambda done, _t: bar.update(task, completed=done))
    console.print(
        f"demo shop: {report.items} items, {report.people} people, "
        f"{report.accepted} events stored, {report.rejected} rejected by the consent gate, "
        f"{report.communities} communities with {report.members} memberships"
    )
    with console.status("training"):
        app.training.train()
    with console.status("replaying five weeks of visits, messages and hand-offs"):
        past = replay(app, shop.favourites, rng=np.random.default_rng(DEMO_SEED))
    console.print(
        f"recent history: {past.responses} visits, {past.clicks} clicks, "
        f"{past.decisions} contact decisions, {past.resolved} hand-offs resolved"
    )


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(demo)
