"""Local time: a person's IANA time zone, and moments written in their own time.

Shared by contact decisions (quiet hours, reasons), milestones (streak days) and hand-off
briefs, so none of them imports another for it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tactful.errors import InvalidInput


def zone(name: str) -> ZoneInfo:
    """The IANA zone of this name; an unknown name is ``InvalidInput`` on ``timezone``."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown IANA time zone {name!r}", field="timezone") from None


def local_label(at: datetime, timezone: str) -> str:
    """A moment in the person's own time, for reasons: ``07:00 on Sun 29 Mar``."""
    local = at.astimezone(zone(timezone))
    return f"{local:%H:%M} on {local:%a} {local.day} {local:%b}"
