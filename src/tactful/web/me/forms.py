"""The preferences form: its fields read into ``Preferences`` (the core checks them again),
each problem named by the form field it belongs to, as a catalogue message id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.datastructures import FormData

from tactful.errors import InvalidInput
from tactful.ingest.preferences import MAX_RECOMMENDATIONS, MAX_WEEKLY_CAP, MIN_RECOMMENDATIONS
from tactful.records import Channel
from tactful.types import Preferences, QuietHours
from tactful.web.pages.i18n import N_

CHANNEL_FIELDS: Mapping[Channel, tuple[str, str]] = {
    Channel.EMAIL: ("cap_email", N_("Messages per week by email")),
    Channel.PUSH: ("cap_push", N_("Messages per week by push")),
    Channel.SMS: ("cap_sms", N_("Messages per week by SMS")),
    Channel.IN_APP: ("cap_in_app", N_("Messages per week in the app")),
}
COUNT_ERROR = N_("Enter a whole number from 1 to 20, or leave it empty for our default.")
CAP_ERROR = N_("Enter a whole number from 0 to 1000, or leave it empty for no limit.")
ZONE_ERROR = N_("Enter a time zone such as Europe/Berlin or UTC.")
TIME_ERROR = N_("Enter a time such as 22:00.")
QUIET_ERROR = N_("Fill in both quiet-hours times, or neither.")
DATE_ERROR = N_("Enter a date such as 2026-07-01.")


class Form:
    """A posted form's text fields (files are ignored: the pages take none)."""

    def __init__(self, data: FormData) -> None:
        self._data = data

    def text(self, key: str) -> str:
        value = self._data.get(key)
        return value.strip() if isinstance(value, str) else ""

    def many(self, key: str) -> tuple[str, ...]:
        """A repeated field (ticked checkboxes of one name), in order, without blanks."""
        return tuple(v for v in self._data.getlist(key) if isinstance(v, str) and v)

    def names(self) -> tuple[str, ...]:
        return tuple(self._data.keys())


@dataclass(frozen=True, slots=True)
class Ticked:
    """The form's checkboxes: muted categories, values, milestones."""

    muted: tuple[str, ...]
    values: tuple[str, ...]
    celebrations: bool

    @classmethod
    def of(cls, prefs: Preferences) -> Ticked:
        return cls(prefs.muted_categories, prefs.values, prefs.celebrations)


@dataclass(frozen=True, slots=True)
class Read:
    prefs: Preferences | None
    errors: dict[str, str]
    raw: dict[str, str]
    """What was typed, to show it again next to the errors."""
    ticked: Ticked


def _whole(text: str, lo: int, hi: int) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if lo <= value <= hi else None


def _caps(form: Form, errors: dict[str, str]) -> dict[str, int]:
    caps: dict[str, int] = {}
    for channel, (name, _label) in CHANNEL_FIELDS.items():
        text = form.text(name)
        if not text:
            continue
        cap = _whole(text, 0, MAX_WEEKLY_CAP)
        if cap is None:
            errors[name] = CAP_ERROR
        else:
            caps[channel.value] = cap
    return caps


def _clock(text: str, name: str, errors: dict[str, str]) -> time | None:
    try:
        return time.fromisoformat(text) if text else None
    except ValueError:
        errors[name] = TIME_ERROR
        return None


def _quiet(form: Form, errors: dict[str, str]) -> QuietHours | None:
    start = _clock(form.text("quiet_from"), "quiet_from", errors)
    end = _clock(form.text("quiet_until"), "quiet_until", errors)
    if (start is None) != (end is None) and "quiet_from" not in errors:
        errors.setdefault("quiet_until", QUIET_ERROR)
    return QuietHours(start, end) if start is not None and end is not None else None


def _zone(form: Form, errors: dict[str, str]) -> ZoneInfo:
    name = form.text("timezone") or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = ZONE_ERROR
        return ZoneInfo("UTC")


def _pause(form: Form, zone: ZoneInfo, errors: dict[str, str]) -> datetime | None:
    """The pause ends when the chosen day begins, in the person's time zone."""
    text = form.text("pause_until")
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors["pause_until"] = DATE_ERROR
        return None
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def read_preferences(form: Form, current: Preferences) -> Read:
    """The form's choices over ``current`` (channels, preferred categories and allowed
    sensitive categories are not on the form and are kept)."""
    errors: dict[str, str] = {}
    text = form.text("max_recommendations")
    count = _whole(text, MIN_RECOMMENDATIONS, MAX_RECOMMENDATIONS) if text else None
    if text and count is None:
        errors["max_recommendations"] = COUNT_ERROR
    zone = _zone(form, errors)
    prefs = replace(
        current,
        max_recommendations=count,  # empty: not chosen (the shop's default applies)
        timezone=zone.key,
        quiet_hours=_quiet(form, errors),
        max_messages_per_week=_caps(form, errors),
        muted_categories=form.many("muted"),
        values=form.many("values"),
        celebrations=form.text("celebrations") == "on",
        pause_until=_pause(form, zone, errors),
    )
    raw = {k: form.text(k) for k in form.names()}
    return Read(None if errors else prefs, errors, raw, Ticked.of(prefs))


def field_of(error: InvalidInput) -> str:
    """The form field a core error names (``quiet_hours.start`` is ``quiet_from``)."""
    name = error.field or ""
    if name.startswith("quiet_hours"):
        return "quiet_until" if name.endswith("end") else "quiet_from"
    if name.startswith("max_messages_per_week."):
        channel = Channel(name.split(".", 1)[1])
        return CHANNEL_FIELDS[channel][0]
    return {"muted_categories": "muted"}.get(name, name)


def shown(prefs: Preferences) -> dict[str, str]:
    """The form's text fields for stored preferences."""
    zone = ZoneInfo(prefs.timezone)
    qh = prefs.quiet_hours
    out = {
        "max_recommendations": ""
        if prefs.max_recommendations is None
        else str(prefs.max_recommendations),
        "timezone": prefs.timezone,
        "quiet_from": qh.start.strftime("%H:%M") if qh else "",
        "quiet_until": qh.end.strftime("%H:%M") if qh else "",
        "pause_until": prefs.pause_until.astimezone(zone).date().isoformat()
        if prefs.pause_until
        else "",
    }
    for channel, (name, _label) in CHANNEL_FIELDS.items():
        cap = prefs.max_messages_per_week.get(channel.value)
        out[name] = "" if cap is None else str(cap)
    return out
