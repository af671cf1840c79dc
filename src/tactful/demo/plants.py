"""Hand-picked demo customers (``u0001``…) whose stories the README tour walks through: each
is an ordinary generated customer with a fixed persona, consents, preferences and a few
planted events (a distressed message, a sensitive purchase, a withdrawal...)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from types import MappingProxyType
from typing import Any

import numpy as np

from tactful.demo.catalogue import Catalogue
from tactful.demo.consents import POLICY_VERSION
from tactful.demo.correspondence import write
from tactful.demo.people import PERSONAS, PLACES, Person, Population
from tactful.demo.timeline import DAY, Drafts
from tactful.types import (
    ConsentRecord,
    Decision,
    EventType,
    Preferences,
    Purpose,
    QuietHours,
    Sensitivity,
    SubjectId,
)

EVERY_PURPOSE = frozenset(Purpose)
_NIGHT = QuietHours(time(22), time(7))
_WEIGHTS = {1: (1.0,), 2: (0.65, 0.35), 3: (0.5, 0.3, 0.2)}
_P, _M, _E, _A = (
    Purpose.PERSONALIZATION,
    Purpose.MESSAGING,
    Purpose.EMOTIONAL_CONTEXT,
    Purpose.ANALYTICS,
)


@dataclass(frozen=True, slots=True)
class Plant:
    """One hand-picked customer. ``grants=None``: never answered the consent prompt.
    Days are counted back from ``now``."""

    note: str
    persona: str
    favourites: tuple[str, ...]
    timezone: str = "Europe/Berlin"
    grants: frozenset[Purpose] | None = EVERY_PURPOSE
    denies: frozenset[Purpose] = frozenset()
    withdrawn: tuple[tuple[Purpose, int], ...] = ()
    prefs: Mapping[str, Any] = field(default_factory=dict)
    values: tuple[str, ...] = ()
    dislikes: tuple[str, ...] = ()
    purchases: tuple[tuple[str, int], ...] = ()  # (item title, days ago)
    undone: tuple[tuple[str, str, EventType, int], ...] = ()
    """Orders taken back: (product noun, its category, cancel or return, days ago)."""
    texts: tuple[tuple[str, str, int], ...] = ()  # (label, text, days ago)
    socials: tuple[tuple[str, int], ...] = ()  # (what they did, days ago)
    activity: float = 4.0


PLANTS: tuple[Plant, ...] = (
    Plant(
        "runner in Berlin, every purpose granted, wants only 3 recommendations, "
        "cares about sustainability",
        "runner",
        ("running", "nutrition"),
        values=("sustainability",),
        prefs=MappingProxyType(
            {
                "max_recommendations": 3,
                "channels": ("email", "push", "in_app"),
                "quiet_hours": _NIGHT,
            }
        ),
    ),
    Plant(
        "hiker who wrote a distressed support message: their father died last week",
        "hiker",
        ("hiking", "camping"),
        timezone="Europe/London",
        grants=frozenset({_P, _M, _E, _A}),
        texts=(
            (
                "bereavement",
                "My father passed away last week. Please cancel the tent I ordered for our trip "
                "together, I can't face it right now.",
                2,
            ),
        ),
        undone=(("Ultralight 2P Tent", "camping", EventType.CANCEL, 2),),
    ),
    Plant(
        "camper who browses a lot but denied personalization: popular items only, nothing learnt",
        "camper",
        ("camping",),
        grants=frozenset({_M}),
        denies=frozenset({_P, _E}),
        activity=6.0,
    ),
    Plant(
        "yogi who lost their job and said so: no promotions for a while",
        "yogi",
        ("yoga", "recovery"),
        timezone="America/New_York",
        grants=frozenset({_P, _M, _E}),
        texts=(
            (
                "financial_hardship",
                "I lost my job last month and can't afford the membership anymore. "
                "Can I pause it without a fee?",
                5,
            ),
        ),
    ),
    Plant(
        "climber in Tokyo: mutes nutrition, quiet 22:00-07:00, email only and at most once a week",
        "climber",
        ("climbing", "apparel"),
        timezone="Asia/Tokyo",
        grants=frozenset({_P, _M, _A}),
        dislikes=("nutrition",),
        prefs=MappingProxyType(
            {"channels": ("email",), "max_messages_per_week": {"email": 1}, "quiet_hours": _NIGHT}
        ),
    ),
    Plant(
        "swimmer who allows health items and bought a blood-pressure monitor",
        "swimmer",
        ("swimming", "wellness"),
        grants=frozenset({_P, _M, _E, _A}),
        prefs=MappingProxyType({"allowed_sensitive": (Sensitivity.HEALTH,)}),
        purchases=(("Blood Pressure Monitor", 20),),
    ),
    Plant(
        "never answered the consent prompt: none of their events may be stored",
        "cyclist",
        ("cycling",),
        grants=None,
    ),
    Plant(
        "cyclist who withdrew messaging consent ten days ago",
        "cyclist",
        ("cycling", "nutrition"),
        grants=frozenset({_P, _M, _A}),
        withdrawn=((_M, 10),),
    ),
    Plant(
        "complained twice, then asked to talk to a person",
        "hiker",
        ("hiking", "apparel"),
        grants=frozenset({_P, _M, _E}),
        texts=(
            ("complaint", "The rain jacket leaked on the first rainy day. Really frustrating.", 12),
            (
                "complaint",
                "Second time this happens: the replacement jacket arrived with a broken zip. "
                "I want a refund.",
                6,
            ),
            (
                "human_request",
                "Can I talk to a person? This is the third time my order has gone wrong.",
                1,
            ),
        ),
        undone=(("Rain Jacket", "hiking", EventType.RETURN, 5),),
    ),
    Plant(
        "runner in the Trail Runners Berlin community, shares location and social activity",
        "runner",
        ("running", "apparel"),
        socials=(
            ("joined group Trail Runners Berlin", 40),
            ("invited a friend", 15),
            ("commented in group Trail Runners Berlin", 3),
        ),
    ),
    Plant(
        "bought a pregnancy test yesterday and never allowed sensitive items: "
        "nothing should follow from it",
        "yogi",
        ("yoga", "wellness"),
        grants=frozenset({_P, _M, _A}),
        purchases=(("Early Pregnancy Test, 2-pack", 1),),
    ),
)


def plant_people(people: tuple[Person, ...], *, start: datetime) -> tuple[Person, ...]:
    """The first ``len(PLANTS)`` customers replaced by the planted ones (joined well before)."""
    planted = tuple(_person(p, plant, start) for p, plant in zip(people, PLANTS, strict=False))
    return planted + people[len(planted) :]


def _person(person: Person, plant: Plant, start: datetime) -> Person:
    return dataclasses.replace(
        person,
        persona=next(p for p in PERSONAS if p.name == plant.persona),
        favourites=plant.favourites,
        weights=_WEIGHTS[len(plant.favourites)],
        dislikes=plant.dislikes,
        values=plant.values,
        activity=plant.activity,
        joined=start - timedelta(days=60),
        timezone=plant.timezone,
        city=next(city for tz, city, _ in PLACES if tz == plant.timezone),
        decided=plant.grants is not None,
    )


def plant_consents(
    records: list[ConsentRecord], people: tuple[Person, ...], *, now: datetime
) -> list[ConsentRecord]:
    """Planted customers' histories instead of their generated ones."""
    planted = {p.subject_id: (p, plant) for p, plant in zip(people, PLANTS, strict=False)}
    out = [r for r in records if r.subject_id not in planted]
    for person, plant in planted.values():
        for k, purpose in enumerate(Purpose):
            decision = _signup_decision(plant, purpose)
            if decision is not None:
                at = person.joined + timedelta(seconds=k)
                out.append(
                    ConsentRecord(
                        person.subject_id, purpose, decision, at, "signup", POLICY_VERSION
                    )
                )
        for purpose, days in plant.withdrawn:
            at = (now - timedelta(days=days)).replace(microsecond=0)
            out.append(
                ConsentRecord(
                    person.subject_id, purpose, Decision.DENIED, at, "preferences", POLICY_VERSION
                )
            )
    return out


def _signup_decision(plant: Plant, purpose: Purpose) -> Decision | None:
    if plant.grants is not None and purpose in plant.grants:
        return Decision.GRANTED
    return Decision.DENIED if purpose in plant.denies else None


def plant_preferences(
    prefs: dict[SubjectId, Preferences], people: tuple[Person, ...]
) -> dict[SubjectId, Preferences]:
    """Planted customers' preferences instead of their generated ones (none if undecided)."""
    out = dict(prefs)
    for person, plant in zip(people, PLANTS, strict=False):
        out.pop(person.subject_id, None)
        if plant.grants is not None:
            base = Preferences(
                timezone=plant.timezone,
                muted_categories=plant.dislikes,
                preferred_categories=plant.favourites,
                values=plant.values,
            )
            out[person.subject_id] = dataclasses.replace(base, **plant.prefs)
    return out


def plant_events(rng: np.random.Generator, pop: Population, cat: Catalogue, *, now: int) -> Drafts:
    """The planted purchases, texts and social actions, at their fixed days before ``now``."""
    out = Drafts()
    for row, plant in enumerate(PLANTS[: len(pop.people)]):
        source = pop.people[row].device
        for title, days in plant.purchases:
            item, at = cat.index_of(title), now - days * DAY
            for step, kind in enumerate(
                (EventType.VIEW, EventType.ADD_TO_CART, EventType.PURCHASE)
            ):
                out.add(row, kind, at + 90 * step, item=item, source=source)
        for noun, category, kind, days in plant.undone:  # ordered, then taken back
            found, at = cat.first_with(noun, category), now - days * DAY
            if found is not None:
                out.add(row, EventType.PURCHASE, at - 3 * DAY, item=found, source=source)
                out.add(row, kind, at, item=found, source=source)
        for label, text, days in plant.texts:
            at = now - days * DAY
            write(rng, pop, cat, out, person=row, label=label, bought=(), end=now, text=text, at=at)
        for text, days in plant.socials:
            out.add(row, EventType.SOCIAL, now - days * DAY, text=text, source="app")
    return out


def notes(people: tuple[Person, ...]) -> Mapping[SubjectId, str]:
    """Each planted customer's id and the one line the README tour says about them."""
    return MappingProxyType(
        {p.subject_id: plant.note for p, plant in zip(people, PLANTS, strict=False)}
    )
