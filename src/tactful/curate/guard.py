"""The shape every guard shares, and the small list operations guards are built from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from tactful.curate.context import Context
from tactful.types import Evidence, ItemId, Scored


class Input(StrEnum):
    """What a guard may read of its ``Context`` (besides the list it is given and the
    settings, which are fixed for the life of a pipeline)."""

    HISTORY = "history"
    """``history`` and everything derived from it (``purchased``, ``last_engaged`` ...)."""
    PREFERENCES = "preferences"
    """``prefs``."""
    SIGNALS = "signals"
    """``signals``: the person's live profile (mood, pause, interests ...)."""
    CATALOGUE = "catalogue"
    """``catalogue``."""
    MODEL = "model"
    """What the scoring model says of itself: ``score_scale``."""
    EXPOSURES = "exposures"
    """``exposures``: what the person was shown recently."""
    CLOCK = "clock"
    """``now``."""
    LIMIT = "limit"
    """``limit``: how many items the request asked for."""
    REQUEST = "request"
    """``request``: where the list is shown (home, email, search, browse)."""


@dataclass(frozen=True, slots=True)
class Guard:
    """A named step of the curation pipeline; called like ``Guard(scored, ctx) -> Scored``.

    ``text`` completes "N items ..." in the held-back summary, unless ``whole`` is set, in
    which case it is shown as it is (for gentle messages that should not count at people).
    ``text_for``, when given, words it for the context instead (reading only what ``reads``
    declares), e.g. "as you asked" only for a person who chose.
    ``reads`` declares every part of the context that ``apply`` and ``held`` read: a
    cache derives from it what it may reuse (``tactful.app.cache``), and the guard contract
    (``tests/curate/test_guard_contract.py``) holds every guard's output unchanged when
    anything it does not declare changes.
    """

    kind: str
    text: str
    apply: Callable[[Scored, Context], Scored]
    reads: frozenset[Input]
    held: Callable[[Scored, Scored, Context], int] | None = None
    """How many items to report as held back; default: how many the guard removed."""
    whole: bool = False
    text_for: Callable[[Context], str] | None = None

    def __call__(self, scored: Scored, ctx: Context) -> Scored:
        return self.apply(scored, ctx)

    def held_back(self, before: Scored, after: Scored, ctx: Context) -> int:
        if self.held is not None:
            return self.held(before, after, ctx)
        return len(before) - len(after)

    def describe(self, n: int, ctx: Context | None = None) -> str:
        """The held-back sentence for ``n`` items (worded for ``ctx`` when given)."""
        text = self.text if ctx is None or self.text_for is None else self.text_for(ctx)
        if self.whole:
            return text
        noun = "item" if n == 1 else "items"
        return f"{n} {noun} {text}."


def above_floor(scored: Scored, ctx: Context) -> int:
    """How many items score within the floor of the best one (all, if scores are not
    positive, as in an unscored fallback)."""
    top = max(scored.scores, default=0.0)
    if top <= 0:
        return len(scored)
    floor = ctx.settings.score_floor * top
    return sum(1 for s in scored.scores if s >= floor)


BUDGET_INPUTS = frozenset({Input.LIMIT, Input.PREFERENCES, Input.SIGNALS})
"""What ``Context.budget`` and ``asked_budget`` read, so what ``displaced`` reads."""


def never_held(before: Scored, after: Scored, ctx: Context) -> int:
    """For guards that only reorder or lift: they hold nothing back."""
    return 0


def displaced(before: Scored, after: Scored, ctx: Context) -> int:
    """How many items the person would have seen (the top of ``before`` within their own
    budget) are no longer among what they will see (the top of ``after``)."""
    would = set(before.items[: ctx.asked_budget])
    will = set(after.items[: ctx.budget])
    return len(would - will)


def rescore(
    scored: Scored,
    scores: Mapping[ItemId, float],
    extra: Mapping[ItemId, tuple[Evidence, ...]] | None = None,
) -> Scored:
    """The same items with new scores (missing ones keep theirs), re-sorted best first;
    ties keep their previous order. ``extra`` evidence is appended per item."""
    new = [scores.get(i, s) for i, s in zip(scored.items, scored.scores, strict=True)]
    order = sorted(range(len(new)), key=lambda k: -new[k])
    items = tuple(scored.items[k] for k in order)
    evidence = dict(scored.evidence)
    for item_id, more in (extra or {}).items():
        if more:
            evidence[item_id] = (*evidence.get(item_id, ()), *more)
    return Scored(
        items, tuple(new[k] for k in order), {i: evidence[i] for i in items if i in evidence}
    )
