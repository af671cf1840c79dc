"""``tactful communities list | show ID``: the communities defined, with member counts.

The command line is the operator's own (like an ``admin`` key), so counts are exact; the
anonymity rule (docs/communities.md) governs what people and ``read`` keys see.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from tactful.app.communities import CommunityView
from tactful.app.open import open_app
from tactful.cli.errors import reported
from tactful.settings import Settings

communities = typer.Typer(
    help="Communities: opt-in groups around shared values.", no_args_is_help=True
)
HEADER = ("community", "members", "k", "name", "about")


def _document(v: CommunityView) -> dict[str, Any]:
    c = v.community
    return {
        "community_id": c.community_id,
        "name": c.name,
        "description": c.description,
        "values": list(c.values),
        "categories": list(c.categories),
        "min_members": c.min_members,
        "members": v.members,
    }


def _columns(found: list[CommunityView]) -> list[str]:
    rows = [HEADER] + [
        (
            v.community.community_id,
            str(v.members),
            str(v.community.min_members),
            v.community.name,
            ", ".join((*v.community.values, *v.community.categories)),
        )
        for v in found
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER) - 1)]
    return [
        "  ".join([*(x.ljust(w) for x, w in zip(r[:-1], widths, strict=True)), r[-1]]).rstrip()
        for r in rows
    ]


@communities.command("list")
def list_communities(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """List the communities by id, with how many joined each."""
    with reported():
        app = open_app(Settings())
        try:
            found = app.communities.all(admin=True)
        finally:
            app.close()
        if as_json:
            for v in found:
                typer.echo(json.dumps(_document(v), ensure_ascii=False))
            return
        typer.echo(f"communities: {len(found)}")
        if found:
            typer.echo("\n".join(_columns(found)))


@communities.command("show")
def show(
    community_id: Annotated[str, typer.Argument(help="the community id")],
) -> None:
    """Print one community as JSON; an unknown id: exit 4."""
    with reported():
        app = open_app(Settings())
        try:
            v = app.communities.get(community_id, admin=True)
        finally:
            app.close()
        typer.echo(json.dumps(_document(v), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.add_typer(communities, name="communities")
