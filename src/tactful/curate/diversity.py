"""The diversity guard: the few items shown should not all be the same kind of thing.

Two greedy selectors over the best candidates (those above the score floor, at most
``POOL``), both tuned by ``diversity_lambda`` (1.0 = relevance only):

- ``mmr``: maximal marginal relevance in its max-sum form (Carbonell & Goldstein 1998;
  Gollapudi & Sharma 2009): each pick trades its relevance against its summed category
  similarity (cosine of the category sets) to what is already picked, plus (weight
  ``diversity_coverage``) an xQuAD-style bonus (Santos et al. 2010) for covering the
  person's own categories that no pick covers yet, which keeps the swaps on-taste;
- ``calibration``: calibrated recommendations (Steck 2018): each pick trades relevance
  against the KL divergence of the list's category mix from the person's own.

Relevance is a score's share of the best one, or of a reference (``ctx.diversity_reference``)
when the best falls short of it: a list the model is unsure about (all scores low) is
diversified more, while a confident one is treated as plain share-based MMR. The reference
is in the model's score units, so it is set as a multiple of the model's median best score
over the people it was trained on (``diversity_reference_scale``, 2.0 chosen by
``benchmarks/guards.py --tune``; training stores the median in the model's manifest),
or directly (``diversity_reference_score``); measures relative to each list alone (rank,
share, min-max or quantile normalised) lost half a point to a point more NDCG@10 for the same
diversity on validation, as a list's shape says little about how sure the model is. Only
the first ``budget`` places are chosen; they keep their incoming (score) order, since the
order changes NDCG but not the list's diversity. Nothing is held back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from tactful.curate.context import Context
from tactful.curate.guard import BUDGET_INPUTS, Guard, Input, above_floor, never_held
from tactful.types import Item, ItemId, Scored

POOL = 100
"""Candidates considered for the first places; the rest keep their order."""
SMOOTHING = 0.01
"""Steck's alpha: the list mix is blended with the target so the KL stays finite."""

Matrix = npt.NDArray[np.float64]


DENSE_CELLS = 4_000_000
"""A catalogue's whole items × categories matrix is kept when it has at most this many
cells (32 MB); larger ones are gathered per request from each item's columns."""


class CategoryTable:
    """One catalogue's categories as matrix columns (sorted by name), and each item's
    columns, found once per item rather than once per request: the guard reruns on every
    change of the retargeting cap, over the same candidates."""

    def __init__(self, catalogue: Mapping[ItemId, Item]) -> None:
        self.catalogue = catalogue
        names = sorted({c for it in catalogue.values() for c in it.categories})
        self.column = {c: j for j, c in enumerate(names)}
        self._columns: dict[ItemId, npt.NDArray[np.int64]] = {}
        self._row: dict[ItemId, int] | None = None
        self._dense: Matrix | None = None
        if (len(catalogue) + 1) * len(names) <= DENSE_CELLS:
            self._row = {i: r for r, i in enumerate(catalogue)}
            self._dense = self.ones_of([*catalogue, ""])  # the last row: no such item
            self._columns.clear()

    def columns(self, item_id: ItemId) -> npt.NDArray[np.int64]:
        found = self._columns.get(item_id)
        if found is None:
            item = self.catalogue.get(item_id)
            cats = sorted(set(item.categories)) if item is not None else []
            found = np.array([self.column[c] for c in cats], dtype=np.int64)
            self._columns[item_id] = found
        return found

    def ones(self, items: Sequence[ItemId]) -> Matrix:
        """Items × every category, 1 where the item has the category."""
        if self._dense is None or self._row is None:
            return self.ones_of(items)
        row, missing = self._row, len(self._dense) - 1
        found: Matrix = self._dense[[row.get(i, missing) for i in items]]
        return found

    def ones_of(self, items: Sequence[ItemId]) -> Matrix:
        cols = [self.columns(i) for i in items]
        m = np.zeros((len(items), len(self.column)))
        if cols:
            rows = np.repeat(np.arange(len(items)), [len(c) for c in cols])
            m[rows, np.concatenate(cols)] = 1.0
        return m


_TABLES: list[CategoryTable] = []
"""The table of the catalogue seen last (a new catalogue is a new mapping)."""


def category_table(catalogue: Mapping[ItemId, Item]) -> CategoryTable:
    table = _TABLES[0] if _TABLES else None
    if table is None or table.catalogue is not catalogue:
        table = CategoryTable(catalogue)
        _TABLES[:] = [table]
    return table


def unit_cosine(m: Matrix) -> Matrix:
    """Pairwise cosine similarity of the rows of a 0/1 matrix (0 for an empty row)."""
    norms = np.sqrt(m.sum(axis=1))
    unit = np.divide(m, norms[:, None], out=np.zeros_like(m), where=norms[:, None] > 0)
    sim: Matrix = unit @ unit.T
    return sim


def category_matrix(cats: Sequence[frozenset[str]], names: Sequence[str]) -> Matrix:
    """Items × categories, 1 where the item has the category."""
    index = {c: j for j, c in enumerate(names)}
    m = np.zeros((len(cats), len(names)))
    for i, found in enumerate(cats):
        for c in found:
            if c in index:
                m[i, index[c]] = 1.0
    return m


def cosine(cats: Sequence[frozenset[str]]) -> Matrix:
    """Pairwise cosine similarity of the items' category sets (0 for an item without any)."""
    return unit_cosine(category_matrix(cats, sorted(set().union(*cats))))


def relevance(scores: Sequence[float], reference: float | None = None) -> Matrix:
    """Scores as shares of the best one, in 0..1 (an unscored list counts as equal); with
    a ``reference``, shares of whichever is larger, so a list whose best score falls short
    of the reference (the model is unsure) counts as less relevant and is diversified more."""
    s = np.asarray(scores, dtype=np.float64)
    top = float(s.max(initial=0.0))
    if top <= 0:
        return np.ones_like(s)
    out: Matrix = np.clip(s / max(top, reference or 0.0), 0.0, None)
    return out


def mmr_order(rel: Matrix, sim: Matrix, k: int, lam: float) -> list[int]:
    """Greedy max-sum MMR: positions of the ``k`` picks, in pick order (ties to the
    better-ranked candidate)."""
    return covered_mmr_order(rel, sim, np.zeros((len(rel), 0)), np.zeros(0), k=k, lam=lam, mu=0.0)


def covered_mmr_order(
    rel: Matrix, sim: Matrix, shares: Matrix, intents: Matrix, *, k: int, lam: float, mu: float
) -> list[int]:
    """Greedy max-sum MMR plus ``mu`` times the xQuAD coverage bonus: an item earns the
    ``intents`` weight of each of its categories (``shares``: items × intent categories,
    an item's unit mass split over those it has) in proportion to how much of that category
    no pick covers yet."""
    open_ = np.ones(len(rel), dtype=bool)
    penalty = np.zeros(len(rel))
    uncovered = np.ones(shares.shape[1])
    picked: list[int] = []
    while len(picked) < min(k, len(rel)):
        bonus = shares @ (intents * uncovered)
        gain = np.where(open_, lam * rel - (1 - lam) * penalty + mu * bonus, -np.inf)
        best = int(np.argmax(gain))  # argmax returns the first of equal values
        picked.append(best)
        open_[best] = False
        penalty += sim[best]
        uncovered *= 1 - shares[best]
    return picked


def category_shares(cats: Sequence[frozenset[str]], names: Sequence[str]) -> Matrix:
    """Items × categories, each item's unit mass split evenly over its categories."""
    counts = category_matrix(cats, names)
    sizes = np.array([max(1, len(c)) for c in cats], dtype=np.float64)
    shares: Matrix = counts / sizes[:, None]
    return shares


def calibrated_order(
    rel: Matrix, cats: Sequence[frozenset[str]], k: int, lam: float, target: Mapping[str, float]
) -> list[int]:
    """Greedy calibration: each pick maximises ``lam * relevance - (1 - lam) * KL(p || q)``
    where ``p`` is the person's category mix and ``q`` the list's (smoothed)."""
    names = sorted(target)
    p = np.array([target[c] for c in names])
    shares = category_shares(cats, names)
    mix = np.zeros(len(names))
    open_ = np.ones(len(rel), dtype=bool)
    picked: list[int] = []
    while len(picked) < min(k, len(rel)):
        q = (1 - SMOOTHING) * (mix + shares) / (len(picked) + 1) + SMOOTHING * p
        kl = (p * np.log(p / q)).sum(axis=1)
        gain = np.where(open_, lam * rel - (1 - lam) * kl, -np.inf)
        best = int(np.argmax(gain))
        picked.append(best)
        open_[best] = False
        mix += shares[best]
    return picked


def _target(ctx: Context) -> dict[str, float]:
    """The person's category mix: their interest signals (which honour corrections), or
    their history when no signals were loaded."""
    interests = dict(ctx.signals.interests)
    if not interests:
        return ctx.history_mix
    total = sum(interests.values())
    return {c: v / total for c, v in interests.items()}


def _picks(scored: Scored, ctx: Context, n: int, k: int) -> list[int] | None:
    """Positions of the ``k`` chosen among the first ``n``, or None to leave the list."""
    g = ctx.settings
    table = category_table(ctx.catalogue)
    ones = table.ones(scored.items[:n])
    if not ones.any():
        return None
    rel = relevance(scored.scores[:n], ctx.diversity_reference)
    target = _target(ctx) if g.diversity_method == "calibration" or g.diversity_coverage else {}
    if g.diversity_method == "calibration":
        if not target:
            return None
        cats = [frozenset(it.categories) if (it := ctx.catalogue.get(i)) else frozenset()
                for i in scored.items[:n]]  # fmt: skip
        return calibrated_order(rel, cats, k, g.diversity_lambda, target)
    names = sorted(target)
    intents = np.array([target[c] for c in names], dtype=np.float64)
    # an item's mass split over the person's categories (none of the catalogue's: zero)
    counts = np.zeros((len(ones), len(names)))
    known = [(j, table.column[c]) for j, c in enumerate(names) if c in table.column]
    if known:
        counts[:, [j for j, _ in known]] = ones[:, [c for _, c in known]]
    shares = counts / np.maximum(1.0, counts.sum(axis=1))[:, None]
    lam, mu = g.diversity_lambda, g.diversity_coverage
    return covered_mmr_order(rel, unit_cosine(ones), shares, intents, k=k, lam=lam, mu=mu)


def _diversify(scored: Scored, ctx: Context) -> Scored:
    n = min(above_floor(scored, ctx), POOL)
    k = min(ctx.budget, n)
    if k <= 1 or ctx.settings.diversity_lambda >= 1:
        return scored
    picked = _picks(scored, ctx, n, k)
    if picked is None:
        return scored
    chosen = set(picked)
    order = sorted(picked) + [j for j in range(len(scored)) if j not in chosen]
    items: tuple[ItemId, ...] = tuple(scored.items[j] for j in order)
    return Scored(items, tuple(scored.scores[j] for j in order), scored.evidence)


DIVERSITY = Guard(
    "diversity",
    "",
    _diversify,
    BUDGET_INPUTS | {Input.CATALOGUE, Input.HISTORY, Input.MODEL},
    never_held,
)
