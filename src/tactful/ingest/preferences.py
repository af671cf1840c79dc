"""The domain rules of what a person may choose (``Preferences``), checked once in the core
so the Python API, REST and the CLI refuse the same bad choices with the same field
("quiet_hours.start", as in the REST body) and the same reason, before anything is stored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tactful.errors import InvalidInput
from tactful.ingest.parse import check_text
from tactful.instants import require_aware
from tactful.records import Channel
from tactful.types import Preferences, QuietHours, Sensitivity

CHANNELS = tuple(c.value for c in Channel)
MAX_WEEKLY_CAP = 1000
MIN_RECOMMENDATIONS, MAX_RECOMMENDATIONS = 1, 20
MAX_NAME = 200
MAX_NAMES = 100
"""Most names a preference list (muted, preferred categories, values) may hold."""


def _whole(value: object, lo: int, hi: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidInput(f"must be a whole number from {lo} to {hi}", field=field)
    return value


def _listed(value: object, field: str) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInput("must be a list", field=field)
    return tuple(value)


def _channel(value: object, field: str) -> str:
    if value not in CHANNELS:
        raise InvalidInput(
            f"unknown channel {value!r}; expected one of {', '.join(CHANNELS)}", field=field
        )
    return str(value)


def _channels(value: object) -> tuple[str, ...]:
    found = _listed(value, "channels")
    for i, c in enumerate(found):
        _channel(c, f"channels[{i}]")
        if c in found[:i]:
            raise InvalidInput(f"channel {c!r} is listed twice", field=f"channels[{i}]")
    return found


def _caps(value: object) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise InvalidInput("must map channels to weekly caps", field="max_messages_per_week")
    out: dict[str, int] = {}
    for channel, cap in value.items():
        field = f"max_messages_per_week.{channel}"
        out[_channel(channel, field)] = _whole(cap, 0, MAX_WEEKLY_CAP, field)
    return out


def _wall_clock(value: object, field: str) -> time:
    if not isinstance(value, time) or value.tzinfo is not None:
        raise InvalidInput(
            "must be a local wall-clock time such as 22:00, without an offset "
            "(the time zone is the timezone field)",
            field=field,
        )
    return value


def _quiet(value: object) -> QuietHours | None:
    if value is None:
        return None
    if not isinstance(value, QuietHours):
        raise InvalidInput("must have a start and an end", field="quiet_hours")
    start = _wall_clock(value.start, "quiet_hours.start")
    end = _wall_clock(value.end, "quiet_hours.end")
    if start == end:
        raise InvalidInput(
            "must differ from start (quiet hours from a time to itself are empty)",
            field="quiet_hours.end",
        )
    return value


def _zone(value: object) -> str:
    try:
        ZoneInfo(value)  # type: ignore[arg-type]  # any non-string is refused below
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidInput(f"unknown IANA time zone {value!r}", field="timezone") from None
    return str(value)


def _names(value: object, name: str) -> tuple[str, ...]:
    found = _listed(value, f"{name}")
    if len(found) > MAX_NAMES:
        raise InvalidInput(f"may hold at most {MAX_NAMES} names", field=name)
    for i, n in enumerate(found):
        if not isinstance(n, str) or not n.strip() or len(n) > MAX_NAME:
            raise InvalidInput(
                f"must be a non-empty name of at most {MAX_NAME} characters",
                field=f"{name}[{i}]",
            )
        check_text(n, f"{name}[{i}]")
    return found


def sensitivities(values: object) -> tuple[Sensitivity, ...]:
    """The sensitive categories a person allows, from names or ``Sensitivity`` values."""
    out: list[Sensitivity] = []
    for i, v in enumerate(_listed(values, "allowed_sensitive")):
        field = f"allowed_sensitive[{i}]"
        try:
            found = Sensitivity(v)
        except ValueError:
            names = ", ".join(s.value for s in Sensitivity if s is not Sensitivity.NONE)
            raise InvalidInput(
                f"unknown sensitive category {v!r}; expected one of {names}", field=field
            ) from None
        if found is Sensitivity.NONE:
            raise InvalidInput("'none' is not a sensitive category", field=field)
        out.append(found)
    return tuple(out)


def validate_preferences(prefs: Preferences) -> Preferences:
    """``prefs`` as the core stores them (lists as tuples, sensitive categories as
    ``Sensitivity``), or ``InvalidInput`` naming the first bad field and why."""
    if not isinstance(prefs.celebrations, bool):
        raise InvalidInput("must be true or false", field="celebrations")
    if prefs.pause_until is not None:
        require_aware(prefs.pause_until, "pause_until")
    return replace(
        prefs,
        channels=_channels(prefs.channels),
        max_messages_per_week=_caps(prefs.max_messages_per_week),
        quiet_hours=_quiet(prefs.quiet_hours),
        timezone=_zone(prefs.timezone),
        max_recommendations=None
        if prefs.max_recommendations is None
        else _whole(
            prefs.max_recommendations,
            MIN_RECOMMENDATIONS,
            MAX_RECOMMENDATIONS,
            "max_recommendations",
        ),
        muted_categories=_names(prefs.muted_categories, "muted_categories"),
        preferred_categories=_names(prefs.preferred_categories, "preferred_categories"),
        values=_names(prefs.values, "values"),
        allowed_sensitive=sensitivities(prefs.allowed_sensitive),
    )
