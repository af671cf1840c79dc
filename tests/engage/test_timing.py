"""Quiet hours in the person's own zone (DST-correct) and the rolling contact budget."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tactful.engage.timing import next_slot, quiet_until
from tactful.errors import InvalidInput
from tactful.local_time import local_label
from tactful.types import QuietHours

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = QuietHours(time(22), time(7))
WEEK = timedelta(days=7)


def berlin(y: int, m: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("at", "ends", "wait"),
    [
        # an ordinary summer night: 7.5 hours
        (berlin(2026, 6, 1, 23, 30), berlin(2026, 6, 2, 7), timedelta(hours=7, minutes=30)),
        # the night the clocks go forward (29 March 2026): an hour shorter
        (berlin(2026, 3, 28, 23, 30), berlin(2026, 3, 29, 7), timedelta(hours=6, minutes=30)),
        # the night the clocks go back (25 October 2026): an hour longer
        (berlin(2026, 10, 24, 23, 30), berlin(2026, 10, 25, 7), timedelta(hours=8, minutes=30)),
        # after midnight, quiet hours end the same morning
        (berlin(2026, 6, 2, 3), berlin(2026, 6, 2, 7), timedelta(hours=4)),
    ],
)
def test_quiet_hours_end_at_local_seven_across_dst(
    at: datetime, ends: datetime, wait: timedelta
) -> None:
    until = quiet_until(at, NIGHT, "Europe/Berlin")
    assert until is not None
    assert until.tzinfo is UTC
    assert until == ends
    assert until.astimezone(BERLIN).hour == 7
    assert until - at == wait


def test_outside_quiet_hours_nothing_waits() -> None:
    assert quiet_until(berlin(2026, 6, 1, 12), NIGHT, "Europe/Berlin") is None
    assert quiet_until(berlin(2026, 6, 1, 7), NIGHT, "Europe/Berlin") is None  # end is open
    assert quiet_until(berlin(2026, 6, 1, 22), NIGHT, "Europe/Berlin") is not None
    assert quiet_until(berlin(2026, 6, 1, 23), None, "Europe/Berlin") is None


def test_quiet_hours_that_do_not_wrap_midnight() -> None:
    lunch = QuietHours(time(12), time(14))
    assert quiet_until(berlin(2026, 6, 1, 13), lunch, "Europe/Berlin") == berlin(2026, 6, 1, 14)
    assert quiet_until(berlin(2026, 6, 1, 15), lunch, "Europe/Berlin") is None


def test_the_same_instant_is_quiet_in_one_zone_and_not_another() -> None:
    at = datetime(2026, 6, 1, 21, 30, tzinfo=UTC)  # 23:30 in Berlin, 17:30 in New York
    assert quiet_until(at, NIGHT, "Europe/Berlin") is not None
    assert quiet_until(at, NIGHT, "America/New_York") is None


def test_an_end_inside_the_spring_forward_gap_is_the_moment_clocks_jump() -> None:
    # 02:30 does not exist on 29 March 2026 in Berlin; clocks jump 02:00 -> 03:00 (01:00 UTC).
    until = quiet_until(
        berlin(2026, 3, 29, 1, 30), QuietHours(time(1), time(2, 30)), "Europe/Berlin"
    )
    assert until == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_unknown_zone_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        quiet_until(berlin(2026, 6, 1, 23), NIGHT, "Mars/Olympus")
    assert err.value.field == "timezone"


def test_local_label_is_in_the_person_zone() -> None:
    assert (
        local_label(datetime(2026, 3, 29, 5, tzinfo=UTC), "Europe/Berlin") == "07:00 on Sun 29 Mar"
    )


T = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_next_slot_is_now_when_the_week_has_room() -> None:
    assert next_slot(T, [T - timedelta(days=1)], 2, WEEK) == T
    assert next_slot(T, [], 1, WEEK) == T


def test_a_full_week_frees_a_slot_when_its_oldest_contact_ages_out() -> None:
    taken = [T - timedelta(hours=2), T - timedelta(hours=1)]
    assert next_slot(T, taken, 2, WEEK) == T - timedelta(hours=2) + WEEK
    assert next_slot(T, taken, 3, WEEK) == T


def test_contacts_already_scheduled_later_count_too() -> None:
    # one contact three days ahead fills a cap of 1 for every window that contains it
    assert next_slot(T, [T + timedelta(days=3)], 1, WEEK) == T + timedelta(days=10)
    # a cap of 2 leaves room around it
    assert next_slot(T, [T + timedelta(days=3)], 2, WEEK) == T


def test_a_zero_cap_never_fits() -> None:
    assert next_slot(T, [], 0, WEEK) is None


def _fits_brute(t: datetime, taken: list[datetime], cap: int) -> bool:
    points = sorted([*taken, t])
    return all(
        len([p for p in points if end - WEEK < p <= end]) <= cap
        for end in points
        if end - WEEK < t <= end
    )


@pytest.mark.parametrize("cap", [1, 2, 3, 4])
def test_next_slot_is_the_earliest_time_that_fits(cap: int) -> None:
    """Brute force at minute resolution: the slot fits, and nothing earlier does."""
    taken = sorted(T + timedelta(hours=h) for h in (-150, -100, -20, 5, 30, 90, 200))
    slot = next_slot(T, taken, cap, WEEK)
    assert slot is not None and slot >= T
    assert _fits_brute(slot, taken, cap)
    probe = T
    while probe < slot:
        assert not _fits_brute(probe, taken, cap), probe
        probe += timedelta(minutes=30)
