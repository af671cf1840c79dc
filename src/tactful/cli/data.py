"""``tactful ingest``, ``tactful train`` and ``tactful recommend``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from tactful.app.open import open_app
from tactful.cli.errors import reported
from tactful.cli.files import batches, read_rows
from tactful.ingest import Rejection
from tactful.settings import Settings
from tactful.types import RequestContext

console = Console()
SHOWN_REJECTIONS = 20


class Engine(StrEnum):
    local = "local"
    spark = "spark"


def ingest(
    file: Annotated[Path, typer.Argument(help="events as .jsonl or .csv")],
    atomic: Annotated[bool, typer.Option(help="per batch: any rejection stores nothing")] = False,
) -> None:
    """Ingest events from a file through validation and the consent gate."""
    with reported():
        settings = Settings()
        app = open_app(settings)
        accepted = duplicates = done = 0
        rejected: list[Rejection] = []  # ``index`` is the file's line number
        with Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("ingest", total=None)
            for batch in batches(read_rows(file), settings.max_batch_events):
                lines = [n for n, _ in batch]
                report = app.ingestion.record([row for _, row in batch], atomic=atomic)
                accepted += report.accepted
                duplicates += report.duplicates
                rejected.extend(
                    Rejection(lines[r.index], r.event_id, r.reason) for r in report.rejected
                )
                done += len(batch)
                bar.update(task, completed=done)
        app.close()
        table = Table("accepted", "duplicates", "rejected", title=f"ingested {file.name}")
        table.add_row(str(accepted), str(duplicates), str(len(rejected)))
        console.print(table)
        if rejected:  # one unwrapped line each, so a reason is never cut
            shown = rejected[:SHOWN_REJECTIONS]
            typer.echo(f"rejected rows ({len(shown)} of {len(rejected)} shown):")
            for r in shown:
                typer.echo(
                    f"  line {r.index}"
                    + (f" ({r.event_id})" if r.event_id else "")
                    + f": {r.reason}"
                )


def train(
    engine: Annotated[
        Engine | None, typer.Option(help="where to train (default: training.engine)")
    ] = None,
    master: Annotated[
        str | None,
        typer.Option(
            help="Spark master: local[2], spark://HOST:7077, yarn (training.spark_master)"
        ),
    ] = None,
) -> None:
    """Train the serving model and the popular fallback on consented data."""
    with reported():
        settings = Settings()
        chosen = {"engine": engine.value if engine else None, "spark_master": master}
        update = {k: v for k, v in chosen.items() if v is not None}
        if update:
            training = settings.training.model_copy(update=update)
            settings = settings.model_copy(update={"training": training})
        app = open_app(settings)
        with console.status(f"training on consented data ({settings.training.engine})"):
            r = app.training.train()
        app.close()
        table = Table("model", "version", "subjects", "items", "interactions", title="trained")
        counts = (str(r.subjects), str(r.items), str(r.interactions))
        table.add_row(r.model, r.model_version, *counts)
        console.print(table)
        for warning in r.warnings:
            console.print(f"[yellow]warning:[/yellow] {warning}", soft_wrap=True)


def recommend(
    subject: Annotated[str, typer.Argument(help="the subject id")],
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
    context: Annotated[
        RequestContext, typer.Option(help="where the list is shown: home, email, search, browse")
    ] = RequestContext.HOME,
    kinds: Annotated[
        str, typer.Option(help="product (default), content, or both: product,content")
    ] = "product",
) -> None:
    """Show a person's curated, explained recommendations."""
    with reported():
        app = open_app(Settings())
        rec = app.recommendations.recommend(subject, limit=limit, context=context, kinds=kinds)
        app.close()
        kind = "personalized" if rec.personalized else "not personalized"
        table = Table("item", "title", "score", "why", title=f"{subject}: {kind}")
        for r in rec.items:
            why = "; ".join(x.text for x in r.reasons)
            table.add_row(r.item.item_id, r.item.title, f"{r.score:.3f}", why)
        console.print(table)
        for h in rec.held_back:
            console.print(f"held back ({h.kind}): {h.text}")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(train)
    app.command()(recommend)
