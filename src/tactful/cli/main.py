"""Entry point of the ``tactful`` command; each command group lives in its own module and
registers itself through ``register(app)``."""

from __future__ import annotations

import typer

from tactful.cli import communities, data, evaluate, handoffs, insights, keys, mood, privacy, serve

app = typer.Typer(
    name="tactful",
    help="Tactful: personalization with tact.",
    no_args_is_help=True,
    add_completion=False,
)
for module in (serve, data, keys, evaluate, mood, handoffs, privacy, insights, communities):
    module.register(app)


def main() -> None:
    app()
