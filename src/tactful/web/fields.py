"""Field types every request schema shares: bounded instants and wall-clock times, each
stated in the OpenAPI document as the code enforces it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, WithJsonSchema

from tactful.instants import EARLIEST, LATEST


def _plausible(at: datetime) -> datetime:
    if not EARLIEST <= at < LATEST:
        raise ValueError(f"must be from {EARLIEST.year} up to (not including) {LATEST.year}")
    return at


Instant = Annotated[
    AwareDatetime,
    AfterValidator(_plausible),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""Every instant the API takes: with an offset, from 1970 up to (not including) 2200."""
WALL_CLOCK = {
    "type": "string",
    "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
    "description": "a local wall-clock time, HH:MM or HH:MM:SS, without an offset",
}
