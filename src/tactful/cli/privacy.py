"""``tactful retention run``, ``tactful audit verify`` and ``tactful tokens create``."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tactful.app.open import open_app
from tactful.cli.errors import err_console, reported
from tactful.errors import InvalidInput
from tactful.privacy import CLI
from tactful.settings import Settings
from tactful.web.me.links import page_link

console = Console()
retention = typer.Typer(help="Retention: delete what outlived its TTL.", no_args_is_help=True)
audit = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
tokens = typer.Typer(help="Subject tokens: people acting on their own data.", no_args_is_help=True)

TAMPERED = 1
_DURATION = re.compile(r"^(?P<n>\d+)(?P<unit>[smhd]?)$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "": "minutes"}


def parse_duration(text: str) -> timedelta:
    """``30m``, ``12h``, ``7d``, ``90s``; a bare number is minutes."""
    found = _DURATION.match(text.strip().lower())
    if found is None:
        raise InvalidInput(f"not a duration: {text!r} (try 30m, 12h or 7d)", field="ttl")
    return timedelta(**{_UNITS[found["unit"]]: int(found["n"])})


@retention.command("run")
def run() -> None:
    """Delete expired events (per data category), exposures and signals; retrain if needed."""
    with reported():
        app = open_app(Settings())
        try:
            with console.status("applying retention"):
                report = app.rights.run_retention(actor=CLI)
        finally:
            app.close()
        table = Table("table", "rows deleted", title="retention run")
        for name, n in report.deleted.items():
            table.add_row(name, str(n))
        console.print(table)
        cats = Table("category", "events deleted", "older than", title="events by category")
        for cat, n in report.by_category.items():
            cats.add_row(cat, str(n), report.cutoffs[cat].isoformat(timespec="seconds"))
        console.print(cats)
        if report.models_updated:
            console.print("retrained: " + ", ".join(report.models_updated))


@audit.command("verify")
def verify() -> None:
    """Check the audit log; exit 0 if intact, 1 naming the first bad record otherwise."""
    with reported():
        app = open_app(Settings())
        try:
            verdict = app.rights.verify_audit()
        finally:
            app.close()
        if not verdict.intact:
            err_console.print(
                f"[red]audit log tampered[/red]: first bad record {verdict.first_bad}: "
                f"{verdict.problem} ({verdict.records} records verified before it)"
            )
            raise typer.Exit(TAMPERED)
        head = verdict.head
        anchor = f"; head {head.seq} {head.hash}" if head is not None else ""
        console.print(f"audit log intact: {verdict.records} records{anchor}")


@tokens.command("create")
def create(
    subject: Annotated[str, typer.Argument(help="the subject id the token is for")],
    ttl: Annotated[
        str | None, typer.Option(help="lifetime, e.g. 30m, 12h, 7d (default from settings)")
    ] = None,
) -> None:
    """Print a subject token alone on stdout: it opens that person's own data only."""
    with reported():
        lifetime = parse_duration(ttl) if ttl is not None else None
        app = open_app(Settings())
        try:
            token = app.access.issue_token(subject, ttl=lifetime, actor=CLI)
        finally:
            app.close()
        typer.echo(token.token)
        err_console.print(f"expires {token.expires_at.isoformat(timespec='seconds')}")
        settings = app.settings
        base = settings.pages.base_url or f"http://{settings.host}:{settings.port}"
        err_console.print(f"their page: {page_link(base, token.token)}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(retention, name="retention")
    app.add_typer(audit, name="audit")
    app.add_typer(tokens, name="tokens")
