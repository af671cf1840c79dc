"""Who writes to the demo shop, about what, and when: most texts come from people who granted
``emotional_context`` (so the demo has signals to show), reviews follow a purchase by days,
and support messages cluster in the last few months."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tactful.demo.catalogue import Catalogue
from tactful.demo.people import BoolArray, IntArray, Population
from tactful.demo.texts import TEMPLATES, compose
from tactful.demo.timeline import DAY, Drafts, moments
from tactful.types import EventType

_FROM_GRANTED = 0.85
_SUPPORT_WINDOW = 120 * DAY
_REVIEW_DELAY = (1 * DAY, 14 * DAY)
_SOURCES = {EventType.FEEDBACK_TEXT: "review", EventType.SUPPORT_MESSAGE: "support"}

Purchases = Mapping[int, Sequence[tuple[int, int]]]
"""Person row -> their purchases as (item position, epoch seconds)."""


def correspond(
    rng: np.random.Generator,
    pop: Population,
    cat: Catalogue,
    budget: int,
    *,
    granted: BoolArray,
    eligible: BoolArray,
    purchases: Purchases,
    end: int,
) -> Drafts:
    """``budget`` texts by ``eligible`` people, mostly those who ``granted`` emotional context."""
    who = _authors(rng, pop, budget, granted & eligible, ~granted & eligible)
    labels = list(TEMPLATES)
    shares = np.array([TEMPLATES[k][1] for k in labels])
    chosen = rng.choice(len(labels), size=len(who), p=shares / shares.sum())
    out = Drafts()
    for person, k in zip(who.tolist(), chosen.tolist(), strict=True):
        bought = purchases.get(person, ())
        write(rng, pop, cat, out, person=person, label=labels[k], bought=bought, end=end)
    return out


def write(
    rng: np.random.Generator,
    pop: Population,
    cat: Catalogue,
    out: Drafts,
    *,
    person: int,
    label: str,
    bought: Sequence[tuple[int, int]],
    end: int,
    text: str | None = None,
    at: int | None = None,
) -> None:
    """Draft one text written as ``label``: about something they bought if they bought anything,
    else about an item of their favourite department. ``text``/``at`` pin it for planted ones."""
    p = pop.people[person]
    kind = TEMPLATES[label][0]
    if bought:
        item, when = bought[int(rng.integers(len(bought)))]
    else:
        favourite = np.array([cat.departments.index(p.favourites[0])])
        item, when = int(cat.pick(rng, favourite)[0]), int(pop.starts[person])
    title = cat.items[item].title
    written = text or compose(rng, label, item=title, city=p.city, sport=p.persona.departments[0])
    if at is None:
        at = _when(rng, pop, person, kind=kind, bought_at=when if bought else None, end=end)
    about = item if title in written else -1
    out.add(person, kind, at, item=about, text=written, source=_SOURCES[kind], label=label)


def _authors(
    rng: np.random.Generator, pop: Population, n: int, first: BoolArray, second: BoolArray
) -> IntArray:
    """``n`` authors: a share ``_FROM_GRANTED`` from ``first``, the rest from ``second``."""
    pools = [np.flatnonzero(first), np.flatnonzero(second)]
    n_first = int(rng.binomial(n, _FROM_GRANTED))
    counts = [n_first, n - n_first]
    if not pools[1].size:
        counts = [n, 0]
    elif not pools[0].size:
        counts = [0, n]
    picks = []
    for pool, count in zip(pools, counts, strict=True):
        if count:
            w = np.sqrt(pop.activity[pool])
            picks.append(rng.choice(pool, size=count, p=w / w.sum()))
    return np.concatenate(picks).astype(np.int64) if picks else np.zeros(0, dtype=np.int64)


def _when(
    rng: np.random.Generator,
    pop: Population,
    person: int,
    *,
    kind: EventType,
    bought_at: int | None,
    end: int,
) -> int:
    """A review comes days after the purchase; other texts fall in the recent past."""
    if kind is EventType.FEEDBACK_TEXT and bought_at is not None:
        return min(bought_at + int(rng.integers(*_REVIEW_DELAY)), end)
    start = int(pop.starts[person])
    lo = max(start, end - _SUPPORT_WINDOW) if kind is EventType.SUPPORT_MESSAGE else start
    row = np.array([person])
    return int(moments(rng, np.array([lo]), np.array([end]), pop.offsets[row])[0])
