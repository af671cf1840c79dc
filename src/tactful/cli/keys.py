"""``tactful keys create``: operator API keys."""

from __future__ import annotations

from typing import Annotated

import typer

from tactful.app.open import open_app
from tactful.cli.errors import reported
from tactful.settings import Settings

keys = typer.Typer(help="Operator API keys.", no_args_is_help=True)


@keys.command("create")
def create(
    scope: Annotated[list[str], typer.Option(help="ingest, read or admin; repeatable")],
    name: Annotated[str, typer.Option(help="a label for the key")] = "operator",
) -> None:
    """Create a key and print it alone on stdout (it is shown only once)."""
    with reported():
        app = open_app(Settings())
        _key, secret = app.access.create_key(name, scope)
        app.close()
        typer.echo(secret)


def register(app: typer.Typer) -> None:
    app.add_typer(keys, name="keys")
