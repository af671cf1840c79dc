"""``tactful handoffs list | show | claim | resolve``: the hand-off queue for agents.

Case ids are printed whole on their own line or column, never wrapped or cut at the
terminal width, so they can be copied into ``claim`` and ``resolve``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from tactful.app.open import open_app
from tactful.cli.errors import reported
from tactful.records import Case
from tactful.settings import Settings

handoffs = typer.Typer(
    help="Hand-offs: cases where a person should reach out.", no_args_is_help=True
)
CASE_ID = Annotated[str, typer.Argument(help="the case id (as `handoffs list` prints it)")]
HEADER = ("case", "subject", "trigger", "opened", "status", "agent", "approach")


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


def _document(c: Case) -> dict[str, Any]:
    return {
        "case_id": c.case_id,
        "subject_id": c.subject_id,
        "trigger": c.trigger,
        "opened_at": c.opened_at.isoformat(),
        "status": c.status.value,
        "claimed_by": c.claimed_by,
        "outcome": c.outcome,
        "brief": dict(c.brief),
    }


def _columns(found: Sequence[Case]) -> list[str]:
    """One line per case, columns padded to their longest value; the free-text approach
    comes last and is never cut either (the terminal may fold a long line, we don't)."""
    rows = [HEADER] + [
        (
            c.case_id,
            c.subject_id,
            c.trigger,
            f"{c.opened_at:%Y-%m-%d %H:%M}",
            c.status.value,
            c.claimed_by or "-",
            " ".join(str(c.brief.get("approach", "")).split()),
        )
        for c in found
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER) - 1)]
    padded = ([v.ljust(w) for v, w in zip(r[:-1], widths, strict=True)] for r in rows)
    return ["  ".join([*cells, r[-1]]).rstrip() for cells, r in zip(padded, rows, strict=True)]


def _print_case(c: Case) -> None:
    typer.echo(json.dumps(_document(c), indent=2, ensure_ascii=False))


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
            return
        typer.echo(f"hand-off cases ({status or 'all'}): {len(found)}")
        if found:
            typer.echo("\n".join(_columns(found)))


@handoffs.command("show")
def show(case_id: CASE_ID) -> None:
    """Print one case with its brief as JSON."""
    with reported():
        app = open_app(Settings())
        try:
            c = app.handoffs.case(case_id)
        finally:
            app.close()
        _print_case(c)


@handoffs.command("claim")
def claim(
    case_id: CASE_ID,
    agent: Annotated[str, typer.Option(help="who takes the case")],
) -> None:
    """Take a case (open -> claimed) and print it; claimed by someone else: exit 5."""
    with reported():
        app = open_app(Settings())
        try:
            c = app.handoffs.claim(case_id, agent)
        finally:
            app.close()
        _print_case(c)


@handoffs.command("resolve")
def resolve(
    case_id: CASE_ID,
    outcome: Annotated[str, typer.Option(help="what was done, in a few words")],
    agent: Annotated[str | None, typer.Option(help="who resolved it, if unclaimed")] = None,
) -> None:
    """Close a case with a note of what was done and print it; resolved already: exit 5."""
    with reported():
        app = open_app(Settings())
        try:
            c = app.handoffs.resolve(case_id, outcome, agent=agent)
        finally:
            app.close()
        _print_case(c)


def register(app: typer.Typer) -> None:
    app.add_typer(handoffs, name="handoffs")
