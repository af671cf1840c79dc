"""What the demo customers chose in the preference center: channels and their caps, quiet
hours in their own time zone, how many recommendations they want, mutes, declared interests
and values, the odd pause, and whether they like celebrations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from types import MappingProxyType

import numpy as np

from tactful.demo.people import FloatArray, Person
from tactful.types import Preferences, QuietHours, Sensitivity, SubjectId

# (channels, share of customers)
_CHANNELS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("email", "in_app"), 0.45),
    (("email",), 0.15),
    (("in_app",), 0.10),
    (("email", "push", "in_app"), 0.15),
    (("push", "in_app"), 0.08),
    (("email", "sms"), 0.04),
    (("sms",), 0.03),
)
_CAPS: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {
        "email": (1, 2, 3, 5),
        "push": (1, 2, 3),
        "sms": (1,),
        "in_app": (3, 5, 7),
    }
)
_QUIET: tuple[QuietHours, ...] = (
    QuietHours(time(22), time(7)),
    QuietHours(time(21), time(8)),
    QuietHours(time(23), time(6, 30)),
    QuietHours(time(20, 30), time(9)),
    QuietHours(time(0), time(8)),
)
_BUDGETS = (1, 2, 3, 4, 5, 6, 8, 10)
_BUDGET_P = (0.02, 0.04, 0.2, 0.18, 0.22, 0.14, 0.14, 0.06)
_CHOSE_BUDGET = 0.6
"""The share of customers who chose a budget; the others keep the shop's default."""


def declare(
    rng: np.random.Generator, people: tuple[Person, ...], *, now: datetime
) -> dict[SubjectId, Preferences]:
    """Preferences of everyone who answered the consent prompt (the undecided set none)."""
    channel_p = np.array([w for _, w in _CHANNELS])
    out: dict[SubjectId, Preferences] = {}
    for person in people:
        u = rng.random(10)
        if person.decided:
            out[person.subject_id] = _choose(rng, person, u, channel_p / channel_p.sum(), now)
    return out


def _choose(
    rng: np.random.Generator,
    person: Person,
    u: FloatArray,
    channel_p: FloatArray,
    now: datetime,
) -> Preferences:
    channels = _CHANNELS[int(rng.choice(len(_CHANNELS), p=channel_p))][0]
    caps = {c: _CAPS[c][int(rng.integers(len(_CAPS[c])))] for c in channels if rng.random() < 0.6}
    n_declared = int(rng.integers(1, len(person.favourites) + 1))
    budget = int(rng.choice(_BUDGETS, p=_BUDGET_P))  # drawn for everyone: same stream
    return Preferences(
        channels=channels,
        max_messages_per_week=caps,
        quiet_hours=_QUIET[int(u[0] * len(_QUIET))] if u[1] < 0.65 else None,
        timezone=person.timezone,
        max_recommendations=budget if u[9] < _CHOSE_BUDGET else None,
        muted_categories=person.dislikes if u[2] < 0.7 else (),
        preferred_categories=person.favourites[:n_declared] if u[3] < 0.5 else (),
        values=person.values if u[4] < 0.6 else (),
        allowed_sensitive=(Sensitivity.HEALTH,) if u[5] < 0.004 else (),
        pause_until=(now + timedelta(days=3 + int(27 * u[6]))) if u[7] < 0.01 else None,
        celebrations=bool(u[8] < 0.8),
    )
