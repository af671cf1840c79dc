"""``tactful mood``: read the mood of a text, or of every line of a file, as JSON.

This is an operator tool over text the operator already holds; the service itself analyses
a person's text only under ``emotional_context`` consent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from tactful.cli.errors import reported
from tactful.errors import InvalidInput
from tactful.signals.mood import MoodReading, analyse, analyse_many

BATCH = 256


def _lines(path: Path) -> Iterator[list[str]]:
    """Non-blank lines of ``path`` in batches (a blank line is not a text)."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="--file")
    batch: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                batch.append(line.rstrip("\r\n"))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _dump(reading: MoodReading) -> str:
    return json.dumps(reading.to_dict(), ensure_ascii=False)


def mood(
    text: Annotated[str | None, typer.Argument(help="the text to read")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="one text per line; one JSON line each")
    ] = None,
) -> None:
    """Print valence, sentiment, emotions, distress, life events and requests as JSON."""
    with reported():
        if text is not None and file is None:
            typer.echo(_dump(analyse(text)))
        elif file is not None and text is None:
            for batch in _lines(file):
                for reading in analyse_many(batch):
                    typer.echo(_dump(reading))
        else:
            raise InvalidInput("give either a TEXT or --file, not both or neither", field="TEXT")


def register(app: typer.Typer) -> None:
    app.command("mood")(mood)
