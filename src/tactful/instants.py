"""Instants: every datetime Tactful takes in is a point on the time line, so it carries an
offset. One check, naming the field, refuses a naive value the same way everywhere."""

from __future__ import annotations

from datetime import datetime

from tactful.errors import InvalidInput

AWARE = "must be timezone-aware (with an offset such as Z or +01:00)"


def require_aware(value: datetime, field: str) -> datetime:
    """``value`` itself when it is an aware datetime; otherwise ``InvalidInput`` naming
    ``field`` (a naive datetime, or no datetime at all)."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInput(AWARE, field=field)
    return value
