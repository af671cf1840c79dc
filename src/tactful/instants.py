"""Instants: every datetime Tactful takes in is a point on the time line, so it carries an
offset. One check, naming the field, refuses a naive value the same way everywhere."""

from __future__ import annotations

from datetime import UTC, datetime

from tactful.errors import InvalidInput

AWARE = "must be timezone-aware (with an offset such as Z or +01:00)"


def require_aware(value: datetime, field: str) -> datetime:
    """``value`` itself when it is an aware datetime; otherwise ``InvalidInput`` naming
    ``field`` (a naive datetime, or no datetime at all)."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInput(AWARE, field=field)
    return value


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
"""The instants Tactful takes in lie in [EARLIEST, LATEST): anything else is a typo or an
attack, and arithmetic near year 1 or 9999 overflows."""


def require_plausible(value: datetime, field: str) -> datetime:
    """``require_aware``, and within [EARLIEST, LATEST); else ``InvalidInput``."""
    require_aware(value, field)
    if not EARLIEST <= value < LATEST:
        raise InvalidInput(
            f"must be from {EARLIEST.year} up to (not including) {LATEST.year}", field=field
        )
    return value
