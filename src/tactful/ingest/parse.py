"""Turn one raw event row (a JSON object or CSV record) into an ``Event``, or say exactly
which field is wrong and why. Pure: the clock is passed in."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tactful.errors import InvalidInput
from tactful.instants import require_plausible
from tactful.types import Event, EventType

MAX_ID = 200
MAX_TEXT = 10_000
FIELDS = frozenset(
    {"event_id", "subject_id", "type", "item_id", "value", "text", "occurred_at", "source"}
)
NEEDS_ITEM = frozenset(
    {
        EventType.VIEW,
        EventType.CLICK,
        EventType.ADD_TO_CART,
        EventType.PURCHASE,
        EventType.RATING,
        EventType.DISMISS,
        EventType.SHARE,
        EventType.CANCEL,
        EventType.RETURN,
    }
)
NEEDS_TEXT = frozenset({EventType.FEEDBACK_TEXT, EventType.SUPPORT_MESSAGE})
_TYPES = {t.value: t for t in EventType}
JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A line of a file that is not JSON at all. It still goes through ingest as a row, so
    it is rejected in its place with the parse error (``invalid:line: not JSON: ...``; the
    reader knows the line number), an atomic batch stores nothing, and the other rows are
    ingested as usual."""

    error: str


_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """Why a string cannot be stored as text, or None: a NUL character (PostgreSQL text
    cannot hold one) or a lone surrogate (not encodable as UTF-8, so no reply or export
    could carry it back)."""
    found = _BAD_CHARACTERS.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character"
    return f"contains a lone surrogate (U+{ord(found.group()):04X}), which is not valid text"


def check_text(text: str, field: str) -> str:
    """``text`` itself if storable, else ``InvalidInput`` naming the field."""
    why = unstorable(text)
    if why is not None:
        raise InvalidInput(why, field=field)
    return text


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages (``array``, ``number``, ...)."""
    return JSON_TYPES.get(type(value), "number" if isinstance(value, int | float) else "value")


def _text_field(row: Mapping[str, Any], name: str, *, required: bool, limit: int) -> str | None:
    raw = row.get(name)
    if raw is None or raw == "":
        if required:
            raise InvalidInput("is required", field=name)
        return None
    if not isinstance(raw, str):
        raise InvalidInput(f"must be a string, got {type(raw).__name__}", field=name)
    if len(raw) > limit:
        raise InvalidInput(f"is longer than {limit} characters", field=name)
    return check_text(raw, name)


def _value(row: Mapping[str, Any]) -> float | None:
    raw = row.get("value")
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise InvalidInput(f"must be a number, got {type(raw).__name__}", field="value")
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput(f"must be a number, got {raw!r}", field="value") from None
    if not math.isfinite(value):
        raise InvalidInput("must be a finite number", field="value")
    return value


def _occurred_at(row: Mapping[str, Any], now: datetime, tolerance: timedelta) -> datetime:
    raw = row.get("occurred_at")
    if raw is None or raw == "":
        return now
    if not isinstance(raw, str):
        raise InvalidInput("must be an ISO 8601 string", field="occurred_at")
    try:
        at = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"is not ISO 8601: {raw[:40]!r}", field="occurred_at") from None
    require_plausible(at, "occurred_at")
    if at - now > tolerance:
        minutes = int(tolerance.total_seconds() // 60)
        raise InvalidInput(f"is more than {minutes} minutes in the future", field="occurred_at")
    return at


def _event_type(row: Mapping[str, Any]) -> EventType:
    raw = row.get("type")
    if raw is None or raw == "":
        raise InvalidInput("is required", field="type")
    if not isinstance(raw, str) or raw not in _TYPES:
        raise InvalidInput(f"unknown event type {raw!r}", field="type")
    return _TYPES[raw]


def parse_event(row: Any, *, now: datetime, tolerance: timedelta = timedelta(minutes=5)) -> Event:
    """Validate one raw row; raises ``InvalidInput`` naming the first bad field."""
    if isinstance(row, Unparsed):
        raise InvalidInput(f"not JSON: {row.error}", field="line")
    if not isinstance(row, Mapping):
        got = json_type(row)
        raise InvalidInput(f"each event must be a JSON object, got {got}", field="event")
    extra = set(row) - FIELDS
    if extra:
        raise InvalidInput("is not a known event field", field=sorted(extra)[0])
    event_id = _text_field(row, "event_id", required=True, limit=MAX_ID)
    subject_id = _text_field(row, "subject_id", required=True, limit=MAX_ID)
    etype = _event_type(row)
    item_id = _text_field(row, "item_id", required=etype in NEEDS_ITEM, limit=MAX_ID)
    value = _value(row)
    if etype is EventType.RATING and value is None:
        raise InvalidInput("is required for a rating", field="value")
    text = _text_field(row, "text", required=etype in NEEDS_TEXT, limit=MAX_TEXT)
    source = _text_field(row, "source", required=False, limit=MAX_ID)
    at = _occurred_at(row, now, tolerance)
    assert event_id is not None and subject_id is not None  # required above
    return Event(event_id, subject_id, etype, at, item_id, value, text, source)
