"""Entry point of the ``tactful`` command; each command group lives in its own module and
registers itself through ``register(app)``."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="tactful",
    help="Tactful: personalization with tact.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    app()
