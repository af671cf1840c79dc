"""The time window an insight covers, its ISO weeks, and the one rule every figure obeys:
nothing about fewer than ``min_people`` people (the figure is withheld: ``None``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from tactful.errors import InvalidInput
from tactful.instants import require_aware

MAX_DAYS = 366
DIGITS = 6


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open span of time, ``start <= t < end``."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
        require_aware(self.end, "end")
        if self.start >= self.end:
            raise InvalidInput("the window must start before it ends", field="start")

    def holds(self, at: datetime) -> bool:
        return self.start <= at < self.end

    @property
    def days(self) -> float:
        return (self.end - self.start) / timedelta(days=1)

    def weeks(self) -> list[tuple[str, Window]]:
        """The ISO weeks (Monday to Monday, UTC) the window touches, each clipped to it."""
        start = self.start.astimezone(UTC)
        monday = datetime(start.year, start.month, start.day, tzinfo=UTC)
        monday -= timedelta(days=monday.weekday())
        out: list[tuple[str, Window]] = []
        while monday < self.end:
            nxt = monday + timedelta(days=7)
            part = Window(max(monday, self.start), min(nxt, self.end))
            out.append((week_label(monday), part))
            monday = nxt
        return out


def window_ending(end: datetime, days: int) -> Window:
    """The ``days`` days up to ``end``; ``days`` must be 1 to 366."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_DAYS}, got {days}", field="days")
    return Window(end - timedelta(days=days), end)


def week_label(at: datetime) -> str:
    """``2026-W10``: the ISO year and week of the instant (in UTC)."""
    year, week, _ = at.astimezone(UTC).isocalendar()
    return f"{year}-W{week:02d}"


def ratio(numerator: float, denominator: float, people: int, min_people: int) -> float | None:
    """``numerator / denominator``, or None when there is nothing to divide by or the figure
    would be about fewer than ``min_people`` people."""
    if denominator <= 0 or people < min_people:
        return None
    return round(numerator / denominator, DIGITS)


def mean(values: Sequence[float], people: int, min_people: int) -> float | None:
    """The mean, withheld under ``min_people`` (or with no values)."""
    if not values or people < min_people:
        return None
    return round(float(np.mean(values)), DIGITS)
