"""Time arithmetic for contact: quiet hours in the person's own time zone, and the rolling
contact budget.

Quiet hours are wall-clock times in an IANA zone, so "until 07:00" means 07:00 local on
the right day even across a daylight-saving change (the night is an hour shorter in March
and longer in October). The budget is a rolling window: a new contact fits at ``t`` if every
window of that length containing ``t`` stays within the cap, counting contacts already
scheduled for later too.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tactful.local_time import zone
from tactful.types import QuietHours


def _in_window(t: time, start: time, end: time) -> bool:
    if start < end:
        return start <= t < end
    return t >= start or t < end  # wraps midnight, e.g. 22:00-07:00


def _first_instant_at_or_after(day: datetime, wall: time, tz: ZoneInfo) -> datetime:
    """The first instant whose local wall time on ``day``'s date reaches ``wall``; when the
    wall time falls in a spring-forward gap, that is the moment the clocks jump."""
    naive = datetime.combine(day.date(), wall)
    early = naive.replace(tzinfo=tz).astimezone(UTC)  # fold=0: the earlier offset
    if early.astimezone(tz).replace(tzinfo=None) == naive:
        return early
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)  # before the gap, wall < naive
    hi = early  # after the gap, wall > naive
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0)


def quiet_until(at: datetime, quiet: QuietHours | None, timezone: str) -> datetime | None:
    """When ``at`` falls in the person's quiet hours, the UTC instant they end; else None."""
    if quiet is None or quiet.start == quiet.end:
        return None
    tz = zone(timezone)
    local = at.astimezone(tz)
    if not _in_window(local.time().replace(tzinfo=None), quiet.start, quiet.end):
        return None
    day = local
    if quiet.start > quiet.end and local.time().replace(tzinfo=None) >= quiet.start:
        day = local + timedelta(days=1)  # late evening: quiet ends tomorrow morning
    return _first_instant_at_or_after(day, quiet.end, tz)


def _fits(t: datetime, taken: Sequence[datetime], cap: int, window: timedelta) -> bool:
    """Whether one more contact at ``t`` keeps every window ``(e - window, e]`` that contains
    ``t`` within ``cap``. The fullest such window ends at ``t`` or at a later contact."""
    ends = [t, *(p for p in taken[bisect_right(taken, t) :] if p < t + window)]
    for e in ends:
        inside = bisect_right(taken, e) - bisect_right(taken, e - window)
        if inside + 1 > cap:
            return False
    return True


def next_slot(
    t: datetime, taken: Sequence[datetime], cap: int, window: timedelta
) -> datetime | None:
    """The earliest time at or after ``t`` where one more contact fits the rolling budget of
    ``cap`` per ``window``; None when the cap is zero (no contact fits ever)."""
    if cap <= 0:
        return None
    times = sorted(taken)
    for candidate in sorted({t} | {p + window for p in times if p + window > t}):
        if _fits(candidate, times, cap, window):
            return candidate
    raise AssertionError("unreachable: after the last contact's window every slot is free")
