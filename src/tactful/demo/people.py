"""The demo shop's customers: each has a persona, a latent taste (one to three favourite
departments and how strongly each pulls), values, a home and time zone, and an activity level.
The taste is hidden from the shop; events reveal it, so a recommender can learn it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from tactful.demo.departments import VALUES
from tactful.types import SubjectId

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Persona:
    """A kind of customer: departments they gravitate to (main one first), whether they log
    workouts, the community group they would join, and how common they are."""

    name: str
    departments: tuple[str, ...]
    fitness: bool
    group: str
    weight: float


PERSONAS: tuple[Persona, ...] = (
    Persona("runner", ("running", "nutrition", "recovery", "apparel"), True, "Trail Runners", 0.2),
    Persona("hiker", ("hiking", "camping", "apparel", "books"), False, "Hiking Club", 0.16),
    Persona("camper", ("camping", "hiking", "nutrition", "books"), False, "Wild Campers", 0.12),
    Persona("climber", ("climbing", "apparel", "books", "recovery"), True, "Boulder Crew", 0.1),
    Persona("cyclist", ("cycling", "nutrition", "apparel"), True, "Gravel Riders", 0.12),
    Persona("yogi", ("yoga", "recovery", "books", "wellness"), True, "Sunrise Yoga", 0.12),
    Persona("lifter", ("strength", "nutrition", "recovery"), True, "Barbell Club", 0.1),
    Persona("swimmer", ("swimming", "recovery", "wellness"), True, "Open Water Swimmers", 0.08),
)

# (IANA time zone, city, share of customers)
PLACES: tuple[tuple[str, str, float], ...] = (
    ("Europe/Berlin", "Berlin", 0.18),
    ("Europe/London", "London", 0.12),
    ("Europe/Paris", "Paris", 0.07),
    ("Europe/Madrid", "Madrid", 0.05),
    ("Europe/Stockholm", "Stockholm", 0.04),
    ("America/New_York", "New York", 0.14),
    ("America/Chicago", "Chicago", 0.05),
    ("America/Denver", "Denver", 0.05),
    ("America/Los_Angeles", "Los Angeles", 0.08),
    ("America/Sao_Paulo", "São Paulo", 0.04),
    ("Asia/Tokyo", "Tokyo", 0.07),
    ("Asia/Singapore", "Singapore", 0.03),
    ("Asia/Kolkata", "Bengaluru", 0.03),
    ("Australia/Sydney", "Sydney", 0.03),
    ("Africa/Johannesburg", "Cape Town", 0.02),
)

_VALUE_WEIGHTS = np.array([0.22, 0.12, 0.12, 0.1, 0.12, 0.1, 0.1, 0.07, 0.05])
_FAVOURITE_SHARE = 0.85  # of a person's browsing that goes to their favourite departments
_NEVER_DECIDED = 0.03
_JOINED_EARLY = 0.4
_DISLIKES = 0.25


@dataclass(frozen=True, slots=True)
class Person:
    """One customer and their hidden taste; ``decided`` is False for those who never answered
    the consent prompt."""

    subject_id: SubjectId
    persona: Persona
    favourites: tuple[str, ...]
    weights: tuple[float, ...]
    dislikes: tuple[str, ...]
    values: tuple[str, ...]
    activity: float
    joined: datetime
    timezone: str
    city: str
    device: str
    decided: bool = True


def recruit(
    rng: np.random.Generator, n: int, departments: tuple[str, ...], *, start: datetime
) -> tuple[Person, ...]:
    """``n`` customers with ids ``u0001``…; some joined before ``start``, most after."""
    width = max(4, len(str(n)))
    persona_p = np.array([p.weight for p in PERSONAS])
    persona_p /= persona_p.sum()
    place_p = np.array([p[2] for p in PLACES])
    place_p /= place_p.sum()
    return tuple(
        _draw_person(
            rng,
            f"u{k + 1:0{width}d}",
            departments,
            start=start,
            persona_p=persona_p,
            place_p=place_p,
        )
        for k in range(n)
    )


def _draw_person(
    rng: np.random.Generator,
    subject: SubjectId,
    departments: tuple[str, ...],
    *,
    start: datetime,
    persona_p: FloatArray,
    place_p: FloatArray,
) -> Person:
    persona = PERSONAS[int(rng.choice(len(PERSONAS), p=persona_p))]
    n_fav = min(int(rng.choice(3, p=[0.3, 0.45, 0.25])) + 1, len(persona.departments))
    others = rng.permutation(len(persona.departments) - 1)[: n_fav - 1] + 1
    favourites = (persona.departments[0], *(persona.departments[i] for i in others))
    weights = tuple(sorted(rng.dirichlet(np.full(n_fav, 2.0)).tolist(), reverse=True))
    strangers = [d for d in departments if d not in persona.departments]
    dislikes = (strangers[int(rng.integers(len(strangers)))],) if rng.random() < _DISLIKES else ()
    n_values = int(rng.choice(3, p=[0.35, 0.45, 0.2]))
    chosen = rng.choice(len(VALUES), size=n_values, replace=False, p=_VALUE_WEIGHTS)
    days = rng.uniform(1, 400) if rng.random() < _JOINED_EARLY else -rng.uniform(0, 155)
    tz, city, _ = PLACES[int(rng.choice(len(PLACES), p=place_p))]
    return Person(
        subject_id=subject,
        persona=persona,
        favourites=favourites,
        weights=weights,
        dislikes=dislikes,
        values=tuple(VALUES[i] for i in sorted(chosen.tolist())),
        activity=float(rng.lognormal(0.0, 0.8)),
        joined=(start - timedelta(days=float(days))).replace(microsecond=0),
        timezone=tz,
        city=city,
        device="app" if rng.random() < 0.45 else "web",
        decided=bool(rng.random() >= _NEVER_DECIDED),
    )


@dataclass(frozen=True, eq=False)
class Population:
    """The people as arrays the event generators draw from, rows in ``people`` order."""

    people: tuple[Person, ...]
    taste: FloatArray  # person × department: share of browsing
    favourite: BoolArray  # person × department
    dislike: BoolArray  # person × department
    value_mask: BoolArray  # person × value
    activity: FloatArray  # sums to 1
    starts: IntArray  # epoch seconds: first moment each person can act
    offsets: IntArray  # seconds east of UTC of each person's time zone at ``now``
    fitness: BoolArray

    @classmethod
    def of(
        cls, people: tuple[Person, ...], departments: tuple[str, ...], *, start: datetime
    ) -> Population:
        """Arrays for ``people``; nobody acts before ``start`` nor before they joined."""
        n, d = len(people), len(departments)
        taste = np.full((n, d), (1.0 - _FAVOURITE_SHARE) / d)
        favourite = np.zeros((n, d), dtype=np.bool_)
        dislike = np.zeros((n, d), dtype=np.bool_)
        for row, p in enumerate(people):
            for name, w in zip(p.favourites, p.weights, strict=True):
                taste[row, departments.index(name)] += _FAVOURITE_SHARE * w
                favourite[row, departments.index(name)] = True
            for name in p.dislikes:
                dislike[row, departments.index(name)] = True
        activity = np.array([p.activity for p in people])
        begin = int(start.timestamp())
        return cls(
            people=people,
            taste=taste,
            favourite=favourite,
            dislike=dislike,
            value_mask=np.array([[v in p.values for v in VALUES] for p in people], dtype=np.bool_),
            activity=activity / activity.sum(),
            starts=np.array([max(int(p.joined.timestamp()), begin) + 60 for p in people]),
            offsets=np.array([_offset(p.timezone, start) for p in people], dtype=np.int64),
            fitness=np.array([p.persona.fitness for p in people], dtype=np.bool_),
        )


def _offset(tz: str, at: datetime) -> int:
    delta = at.astimezone(ZoneInfo(tz)).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0
