"""``tactful handoffs list`` and ``tactful handoffs show``: the hand-off queue."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tactful.app.open import open_app
from tactful.cli.errors import reported
from tactful.records import Case
from tactful.settings import Settings

handoffs = typer.Typer(
    help="Hand-offs: cases where a person should reach out.", no_args_is_help=True
)
console = Console()


def _line(c: Case) -> str:
    return json.dumps(
        {
            "case_id": c.case_id,
            "subject_id": c.subject_id,
            "trigger": c.trigger,
            "opened_at": c.opened_at.isoformat(),
            "status": c.status.value,
            "claimed_by": c.claimed_by,
            "approach": c.brief.get("approach"),
        }
    )


def _table(found: list[Case], status: str | None) -> Table:
    table = Table("case", "subject", "trigger", "opened", "status", "agent", "approach")
    table.title = f"hand-off cases ({status or 'all'}): {len(found)}"
    for c in found:
        table.add_row(
            c.case_id,
            c.subject_id,
            c.trigger,
            f"{c.opened_at:%Y-%m-%d %H:%M}",
            c.status.value,
            c.claimed_by or "",
            str(c.brief.get("approach", "")),
        )
    return table


@handoffs.command("list")
def list_cases(
    status: Annotated[str | None, typer.Option(help="open, claimed, resolved or all")] = "open",
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """List cases, oldest first (by default the open ones, waiting for an agent)."""
    with reported():
        app = open_app(Settings())
        try:
            found = app.handoffs.cases(None if status in (None, "all") else status, limit=limit)
        finally:
            app.close()
        if as_json:
            for c in found:
                typer.echo(_line(c))
        else:
            console.print(_table(found, status))


@handoffs.command("show")
def show(case_id: Annotated[str, typer.Argument(help="the case id")]) -> None:
    """Print one case with its brief as JSON."""
    with reported():
        app = open_app(Settings())
        try:
            c = app.handoffs.case(case_id)
        finally:
            app.close()
        body = {
            "case_id": c.case_id,
            "subject_id": c.subject_id,
            "trigger": c.trigger,
            "opened_at": c.opened_at.isoformat(),
            "status": c.status.value,
            "claimed_by": c.claimed_by,
            "outcome": c.outcome,
            "brief": dict(c.brief),
        }
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.add_typer(handoffs, name="handoffs")
