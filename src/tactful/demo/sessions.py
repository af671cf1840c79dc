"""Browsing sessions, the bulk of the demo's events: a search now and then, views, a click,
the cart, a purchase (often with a companion from the same kit), a share, a rating days later.

Sessions follow each person's hidden taste: the department comes from their favourites most
of the time, the item sometimes from their values, and carting is far likelier inside a
favourite department, so purchases reveal the taste and kits give co-purchase structure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tactful.demo.catalogue import Catalogue
from tactful.demo.departments import VALUES
from tactful.demo.people import BoolArray, FloatArray, IntArray, Population
from tactful.demo.timeline import DAY, HOUR, Drafts, moments
from tactful.types import EventType

_CLICK = 0.55
_CART_OUTSIDE, _CART_FAVOURITE = 0.08, 0.35
_BUY = 0.65
_MATE = 0.45
_RATE = 0.35
_SEARCH = 0.3
_SHARE = 0.03
_BY_VALUE = 0.4
_MAX_EXTRA_VIEWS = 5
_STEPS = 16  # more than the longest session: search, 6 views, 3 funnel, 3 kit, share
_EVENTS_PER_SESSION = 3


@dataclass(frozen=True, eq=False)
class _Plan:
    """Everything drawn for a batch of sessions, one row per session."""

    who: IntArray
    anchor: IntArray
    value: IntArray
    start: IntArray
    extra: list[list[int]]
    funnel: BoolArray  # search, click, cart, buy, share, rate
    mate: IntArray
    gaps: IntArray
    delay: IntArray
    stars: FloatArray


def browse(
    rng: np.random.Generator, pop: Population, cat: Catalogue, budget: int, end: int
) -> Drafts:
    """Exactly ``budget`` session events, none after ``end`` (epoch seconds)."""
    out = Drafts()
    while len(out) < budget:
        batch = (budget - len(out)) // _EVENTS_PER_SESSION + 8
        _write(_plan(rng, pop, cat, batch, end), pop, cat, end, out)
    out.cut(budget)
    return out


def _plan(rng: np.random.Generator, pop: Population, cat: Catalogue, n: int, end: int) -> _Plan:
    who = rng.choice(len(pop.people), size=n, p=pop.activity)
    dept = choose_rows(rng, pop.taste[who])
    value = _values(rng, pop.value_mask[who])
    anchor = cat.pick(rng, dept, value)
    n_extra = np.minimum(rng.poisson(1.0, size=n), _MAX_EXTRA_VIEWS)
    extra = np.split(cat.pick(rng, np.repeat(dept, n_extra)), np.cumsum(n_extra)[:-1])
    favourite = pop.favourite[who, dept]
    u = rng.random((n, 8))
    click = u[:, 1] < _CLICK
    cart = click & (u[:, 2] < np.where(favourite, _CART_FAVOURITE, _CART_OUTSIDE))
    buy = cart & (u[:, 3] < _BUY)
    funnel = np.column_stack(
        [u[:, 0] < _SEARCH, click, cart, buy, u[:, 4] < _SHARE, buy & (u[:, 5] < _RATE)]
    )
    mate = np.where(buy & (u[:, 6] < _MATE), cat.mate(anchor, u[:, 7]), -1)
    matches = (cat.value_mask[anchor] & pop.value_mask[who]).any(axis=1)
    stars = np.where(favourite, 4.2, 3.4) + 0.5 * matches + rng.normal(0.0, 0.8, size=n)
    return _Plan(
        who=who,
        anchor=anchor,
        value=value,
        start=moments(rng, pop.starts[who], np.full(n, end - 2 * HOUR), pop.offsets[who]),
        extra=[e.tolist() for e in extra],
        funnel=funnel,
        mate=mate,
        gaps=rng.integers(15, 240, size=(n, _STEPS)),
        delay=rng.integers(2 * DAY, 12 * DAY, size=n),
        stars=np.clip(np.rint(stars), 1.0, 5.0),
    )


def choose_rows(rng: np.random.Generator, p: FloatArray) -> IntArray:
    """One column per row of the row-stochastic matrix ``p``, drawn with those weights."""
    cum = np.cumsum(p, axis=1)
    u = rng.random(len(p))[:, None] * cum[:, -1:]
    return np.asarray(np.minimum((u >= cum).sum(axis=1), p.shape[1] - 1), dtype=np.int64)


def _values(rng: np.random.Generator, mask: BoolArray) -> IntArray:
    """For some sessions, one of the person's values to shop by; -1 for the others."""
    count = mask.sum(axis=1)
    u = rng.random((len(mask), 2))
    nth = (u[:, 0] * count).astype(np.int64)
    which = (np.cumsum(mask, axis=1) > nth[:, None]).argmax(axis=1)
    return np.where((count > 0) & (u[:, 1] < _BY_VALUE), which, -1).astype(np.int64)


def _write(plan: _Plan, pop: Population, cat: Catalogue, end: int, out: Drafts) -> None:
    """Turn the plan into drafts, one session after the other, steps a few minutes apart."""
    device = [p.device for p in pop.people]
    who, start, delay = plan.who.tolist(), plan.start.tolist(), plan.delay.tolist()
    stars, gaps = plan.stars.tolist(), plan.gaps.tolist()
    for s, person in enumerate(who):
        t, source, query = start[s], device[person], _query(plan, cat, s)
        for k, (kind, item) in enumerate(_steps(plan, s)):
            text = query if kind is EventType.SEARCH else None
            out.add(person, kind, min(t, end), item=item, text=text, source=source)
            t += gaps[s][k]
        if plan.funnel[s, 5]:
            at = min(t + delay[s], end)
            item = int(plan.anchor[s])
            out.add(person, EventType.RATING, at, item=item, value=stars[s], source=source)


def _steps(plan: _Plan, s: int) -> list[tuple[EventType, int]]:
    search, click, cart, buy, share, _ = plan.funnel[s].tolist()
    anchor, mate = int(plan.anchor[s]), int(plan.mate[s])
    steps = [(EventType.SEARCH, -1)] if search else []
    steps += [(EventType.VIEW, anchor)] + [(EventType.VIEW, x) for x in plan.extra[s]]
    steps += [(EventType.CLICK, anchor)] if click else []
    steps += [(EventType.ADD_TO_CART, anchor)] if cart else []
    steps += [(EventType.PURCHASE, anchor)] if buy else []
    if mate >= 0:
        steps += [(EventType.VIEW, mate), (EventType.ADD_TO_CART, mate), (EventType.PURCHASE, mate)]
    steps += [(EventType.SHARE, anchor)] if share else []
    return steps


def _query(plan: _Plan, cat: Catalogue, s: int) -> str:
    """What the person typed: the product noun, with the value they shop by if any."""
    noun = cat.query[int(plan.anchor[s])]
    value = int(plan.value[s])
    return f"{VALUES[value]} {noun}" if value >= 0 else noun
