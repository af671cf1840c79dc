"""Draft events kept as columns while the shop is generated, and the clock that places them at
hours people are awake in their own time zone (so quiet hours and digests have something real
to work with)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from tactful.types import EventType

IntArray = npt.NDArray[np.int64]

DAY = 86_400
HOUR = 3_600

# Relative activity per local hour 0..23: quiet at night, peaks at lunch and in the evening.
_AM = (0.3, 0.15, 0.1, 0.05, 0.05, 0.2, 0.6, 1.2, 1.5, 1.2, 1.0, 1.1)
_PM = (1.6, 1.5, 1.0, 0.9, 1.0, 1.3, 1.8, 2.2, 2.4, 2.0, 1.4, 0.7)
_HOURS = np.array((*_AM, *_PM))
_HOUR_P = _HOURS / _HOURS.sum()


def moments(rng: np.random.Generator, lo: IntArray, hi: IntArray, offset: IntArray) -> IntArray:
    """Epoch seconds in ``[lo, hi]``: a uniform day, at a local hour people are awake.

    ``offset`` is each person's UTC offset in seconds. Draws that fall outside the bounds (the
    first or last partial day) are redrawn uniformly inside them.
    """
    n = len(lo)
    first = (lo + offset) // DAY
    days = (hi + offset) // DAY - first + 1
    day = first + (rng.random(n) * days).astype(np.int64)
    second = rng.choice(24, size=n, p=_HOUR_P) * HOUR + rng.integers(0, HOUR, size=n)
    t = day * DAY + second - offset
    bad = (t < lo) | (t > hi)
    t[bad] = lo[bad] + (rng.random(int(bad.sum())) * (hi[bad] - lo[bad])).astype(np.int64)
    return np.asarray(t, dtype=np.int64)


@dataclass
class Drafts:
    """Events before they get ids: subject and item are positions, times are epoch seconds;
    ``labels`` says what a text was written as (ground truth for the demo)."""

    subjects: list[int] = field(default_factory=list)
    types: list[EventType] = field(default_factory=list)
    times: list[int] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    values: list[float | None] = field(default_factory=list)
    texts: list[str | None] = field(default_factory=list)
    sources: list[str | None] = field(default_factory=list)
    labels: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.times)

    def add(
        self,
        subject: int,
        kind: EventType,
        at: int,
        *,
        item: int = -1,
        value: float | None = None,
        text: str | None = None,
        source: str | None = None,
        label: str | None = None,
    ) -> None:
        self.subjects.append(subject)
        self.types.append(kind)
        self.times.append(at)
        self.items.append(item)
        self.values.append(value)
        self.texts.append(text)
        self.sources.append(source)
        self.labels.append(label)

    def extend(self, other: Drafts) -> None:
        self.subjects += other.subjects
        self.types += other.types
        self.times += other.times
        self.items += other.items
        self.values += other.values
        self.texts += other.texts
        self.sources += other.sources
        self.labels += other.labels

    def cut(self, n: int) -> None:
        """Keep only the first ``n`` drafts."""
        del self.subjects[n:], self.types[n:], self.times[n:], self.items[n:]
        del self.values[n:], self.texts[n:], self.sources[n:], self.labels[n:]
