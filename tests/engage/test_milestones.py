"""Milestone rules over events: counts, streaks in the person's zone, anniversaries."""

from datetime import UTC, datetime, timedelta

from tactful.engage.milestones import ordinal, reached, worth_celebrating
from tactful.settings import EngageSettings
from tactful.types import Event, EventType

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
SETTINGS = EngageSettings()


def progress(n: int, start: datetime, step: timedelta = timedelta(hours=1)) -> list[Event]:
    return [Event(f"p{i}", "u1", EventType.PROGRESS, start + i * step) for i in range(n)]


def keys(events: list[Event], now: datetime = NOW, tz: str = "UTC") -> list[str]:
    return [m.key for m in reached("u1", events, SETTINGS, now=now, timezone=tz)]


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 10, 11, 12, 13, 21, 22, 50, 100, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "10th", "11th", "12th", "13th", "21st", "22nd", "50th",
        "100th", "101st", "111th",
    ]  # fmt: skip


def test_the_tenth_workout_is_a_milestone_reached_when_it_happened() -> None:
    events = progress(12, NOW - timedelta(hours=12))
    found = reached("u1", events, SETTINGS, now=NOW, timezone="UTC")
    (tenth,) = [m for m in found if m.kind == "count"]
    assert tenth.key == "count:progress:10"
    assert tenth.reached_at == events[9].occurred_at
    assert tenth.title == "Your 10th workout"
    assert keys(progress(9, NOW - timedelta(hours=9))) == []


def test_counts_go_up_to_every_configured_threshold() -> None:
    found = keys(progress(100, NOW - timedelta(hours=100)))
    assert [k for k in found if k.startswith("count")] == [
        "count:progress:10", "count:progress:50", "count:progress:100",
    ]  # fmt: skip


def test_celebration_copy_names_no_product() -> None:
    buy = Event("buy", "u1", EventType.PURCHASE, NOW - timedelta(days=400), item_id="tent-9")
    events = [*progress(10, NOW - timedelta(hours=10)), buy]
    for m in reached("u1", events, SETTINGS, now=NOW, timezone="UTC"):
        assert "tent" not in m.message and "%" not in m.message and "offer" not in m.message


def test_seven_days_in_a_row_in_the_person_zone() -> None:
    # 23:30 UTC is already the next day in Berlin: 7 Berlin days in a row, 7 UTC days too
    start = datetime(2026, 5, 20, 23, 30, tzinfo=UTC)
    daily = progress(7, start, timedelta(days=1))
    assert "streak:7:2026-05-21" in keys(daily, tz="Europe/Berlin")
    assert "streak:7:2026-05-20" in keys(daily, tz="UTC")
    # 25-hour steps from 23:00 Berlin skip a Berlin calendar day, so no run of 7 forms
    gappy = progress(7, datetime(2026, 5, 20, 21, 0, tzinfo=UTC), timedelta(hours=25))
    assert not any(k.startswith("streak") for k in keys(gappy, tz="Europe/Berlin"))


def test_a_broken_streak_can_be_earned_again() -> None:
    first = progress(7, datetime(2026, 5, 1, 12, tzinfo=UTC), timedelta(days=1))
    second = [
        Event(
            f"q{i}",
            "u1",
            EventType.PROGRESS,
            datetime(2026, 5, 20, 12, tzinfo=UTC) + timedelta(days=i),
        )
        for i in range(8)
    ]
    assert [k for k in keys(first + second) if k.startswith("streak")] == [
        "streak:7:2026-05-01", "streak:7:2026-05-20",
    ]  # fmt: skip


def test_one_year_since_the_first_purchase() -> None:
    first = Event("b1", "u1", EventType.PURCHASE, datetime(2025, 6, 1, 9, tzinfo=UTC), item_id="x")
    later = Event("b2", "u1", EventType.PURCHASE, datetime(2026, 1, 1, tzinfo=UTC), item_id="y")
    found = reached("u1", [later, first], SETTINGS, now=NOW, timezone="UTC")
    (anniversary,) = found
    assert anniversary.key == "anniversary:1"
    assert anniversary.reached_at == datetime(2026, 6, 1, 9, tzinfo=UTC)
    assert "a year since your first order" in anniversary.message
    assert reached("u1", [first], SETTINGS, now=NOW - timedelta(hours=4), timezone="UTC") == []


def test_a_leap_day_anniversary_falls_on_28_february() -> None:
    leap = Event("b1", "u1", EventType.PURCHASE, datetime(2024, 2, 29, tzinfo=UTC), item_id="x")
    (m,) = reached("u1", [leap], SETTINGS, now=datetime(2025, 3, 1, tzinfo=UTC), timezone="UTC")
    assert m.reached_at == datetime(2025, 2, 28, tzinfo=UTC)


def test_only_one_recent_milestone_is_celebrated() -> None:
    found = reached(
        "u1", progress(50, NOW - timedelta(hours=50)), SETTINGS, now=NOW, timezone="UTC"
    )
    best = worth_celebrating(found, SETTINGS, now=NOW)
    assert best is not None and best.key == "count:progress:50"


def test_milestones_from_long_ago_are_not_celebrated() -> None:
    old = progress(10, NOW - timedelta(days=60))
    found = reached("u1", old, SETTINGS, now=NOW, timezone="UTC")
    assert found and worth_celebrating(found, SETTINGS, now=NOW) is None


def test_the_counted_event_type_is_a_setting() -> None:
    purchases = [
        Event(f"b{i}", "u1", EventType.PURCHASE, NOW - timedelta(hours=i), item_id="x")
        for i in range(10)
    ]
    s = EngageSettings(milestone_count_event="purchase", milestone_count_noun="order")
    found = reached("u1", purchases, s, now=NOW, timezone="UTC")
    assert [m.title for m in found if m.kind == "count"] == ["Your 10th order"]
