"""The quieter streams of the demo: logged workouts (``progress``, value = minutes) from the
fitness-minded, coarse location check-ins, social actions, and dismissals of things people
do not want (from departments they dislike or rarely visit)."""

from __future__ import annotations

import numpy as np

from tactful.demo.catalogue import Catalogue
from tactful.demo.people import PLACES, FloatArray, IntArray, Population
from tactful.demo.sessions import choose_rows
from tactful.demo.timeline import Drafts, moments
from tactful.types import EventType

_TRAVEL = 0.1
_DISLIKE_BIAS = 6.0


def train(rng: np.random.Generator, pop: Population, budget: int, end: int) -> Drafts:
    """``budget`` workouts from the fitness-minded, regular ones logging more."""
    weights = np.where(pop.fitness, np.sqrt(pop.activity), 0.0)
    who = _spread(rng, weights, budget)
    at = moments(rng, pop.starts[who], np.full(len(who), end), pop.offsets[who])
    minutes = np.clip(np.rint(rng.gamma(4.0, 11.0, size=len(who))), 10, 240)
    out = Drafts()
    for person, t, m in zip(who.tolist(), at.tolist(), minutes.tolist(), strict=True):
        out.add(person, EventType.PROGRESS, t, value=m, source="watch")
    return out


def visit(
    rng: np.random.Generator, pop: Population, weights: FloatArray, budget: int, end: int
) -> Drafts:
    """``budget`` coarse location check-ins (the city, now and then while travelling), spread
    over people by ``weights``."""
    who = _spread(rng, weights, budget)
    at = moments(rng, pop.starts[who], np.full(len(who), end), pop.offsets[who])
    u = rng.random((len(who), 2))
    out = Drafts()
    for k, (person, t) in enumerate(zip(who.tolist(), at.tolist(), strict=True)):
        home = pop.people[person].city
        city = PLACES[int(u[k, 1] * len(PLACES))][1] if u[k, 0] < _TRAVEL else home
        out.add(person, EventType.LOCATION, t, text=city, source="app")
    return out


def socialise(
    rng: np.random.Generator, pop: Population, weights: FloatArray, budget: int, end: int
) -> Drafts:
    """``budget`` social actions spread by ``weights``: each person first joins their local
    group, then follows, cheers on or invites friends and comments in the group."""
    who = _spread(rng, weights, budget)
    at = moments(rng, pop.starts[who], np.full(len(who), end), pop.offsets[who])
    order = np.lexsort((at, who))
    who, at = who[order], at[order]
    first = np.ones(len(who), dtype=np.bool_)
    first[1:] = who[1:] != who[:-1]
    kind = np.where(first, 0, 1 + rng.choice(4, size=len(who), p=[0.35, 0.3, 0.1, 0.25]))
    out = Drafts()
    for person, t, k in zip(who.tolist(), at.tolist(), kind.tolist(), strict=True):
        p = pop.people[person]
        group = f"{p.persona.group} {p.city}"
        text = (
            f"joined group {group}",
            "followed a friend",
            "cheered on a friend's workout",
            "invited a friend",
            f"commented in group {group}",
        )[k]
        out.add(person, EventType.SOCIAL, t, text=text, source="app")
    return out


def dismiss(
    rng: np.random.Generator, pop: Population, cat: Catalogue, budget: int, end: int
) -> Drafts:
    """``budget`` dismissals, of items from departments the person dislikes or ignores."""
    who = _spread(rng, pop.activity, budget)
    away = (1.0 - pop.taste[who]) * np.where(pop.dislike[who], _DISLIKE_BIAS, 1.0)
    away[pop.favourite[who]] = 0.0
    items = cat.pick(rng, choose_rows(rng, away))
    at = moments(rng, pop.starts[who], np.full(len(who), end), pop.offsets[who])
    out = Drafts()
    for person, t, item in zip(who.tolist(), at.tolist(), items.tolist(), strict=True):
        out.add(person, EventType.DISMISS, t, item=item, source=pop.people[person].device)
    return out


def _spread(rng: np.random.Generator, weights: FloatArray, budget: int) -> IntArray:
    """``budget`` person rows drawn with these weights, grouped by person."""
    if budget == 0 or not weights.any():
        return np.zeros(0, dtype=np.int64)
    counts = rng.multinomial(budget, weights / weights.sum())
    return np.repeat(np.arange(len(weights)), counts).astype(np.int64)
