"""Community evidence on scored candidates: content tied to a community the person joined
is lifted and says so; an item at least k members engaged with says how many did.

Nothing here comes from a community below its threshold k (see ``anonymity``): such a
community adds no candidates, no lift and no reasons.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from tactful.records import Community
from tactful.types import Evidence, Item, ItemId, ItemKind, Scored

TIE = "community_tie"
POPULAR = "community_popular"
ADDED_SHARE = 0.5
"""Tied content the model did not score joins at this share of the lowest score."""


@dataclass(frozen=True, slots=True)
class Joined:
    """A community the person joined, with its member count and the items at least k of
    its (eligible) members engaged with (``anonymity.engaged_counts``)."""

    community: Community
    members: int
    engaged: Mapping[ItemId, int] = field(default_factory=dict)

    @property
    def visible(self) -> bool:
        return self.members >= self.community.min_members


def tied(item: Item, community: Community) -> bool:
    """Content about one of the community's values or categories."""
    return _about(item, community.topics)


def _about(item: Item, topics: frozenset[str]) -> bool:
    if item.kind is not ItemKind.CONTENT:
        return False
    return any(x.lower() in topics for x in (*item.values, *item.categories))


def of_kinds(
    scored: Scored, catalogue: Mapping[ItemId, Item], kinds: Collection[ItemKind]
) -> Scored:
    """Only the candidates of these kinds, in their order."""
    keep = [k for k, i in enumerate(scored.items) if i in catalogue and catalogue[i].kind in kinds]
    items = tuple(scored.items[k] for k in keep)
    return Scored(
        items,
        tuple(scored.scores[k] for k in keep),
        {i: scored.evidence[i] for i in items if i in scored.evidence},
    )


def _evidence(item: Item, joined: Sequence[tuple[Joined, frozenset[str]]]) -> list[Evidence]:
    out: list[Evidence] = []
    for j, topics in joined:
        if _about(item, topics):
            out.append(Evidence(TIE, 1.0, None, j.community.name))
        n = j.engaged.get(item.item_id, 0)
        if n >= j.community.min_members:
            out.append(Evidence(POPULAR, float(n), None, j.community.name))
    return out


def community_evidence(
    scored: Scored,
    *,
    catalogue: Mapping[ItemId, Item],
    joined: Sequence[Joined],
    kinds: Collection[ItemKind],
    boost: float,
) -> Scored:
    """Candidates of ``kinds`` with community evidence: tied content the model missed is
    added, tied content is lifted by ``boost``, best first again."""
    scored = of_kinds(scored, catalogue, kinds)
    visible = [(j, j.community.topics) for j in joined if j.visible]
    if not visible:
        return scored
    scores = dict(zip(scored.items, scored.scores, strict=True))
    floor = min(scored.scores, default=1.0) * ADDED_SHARE
    if ItemKind.CONTENT in kinds:
        for item in catalogue.values():
            fresh = item.kind is ItemKind.CONTENT and item.available and item.item_id not in scores
            if fresh and any(_about(item, topics) for _, topics in visible):
                scores[item.item_id] = floor
    evidence = {i: tuple(e) for i, e in scored.evidence.items()}
    for item_id in list(scores):
        found = _evidence(catalogue[item_id], visible)
        if not found:
            continue
        evidence[item_id] = (*evidence.get(item_id, ()), *found)
        if any(e.kind == TIE for e in found):
            scores[item_id] *= 1.0 + boost
    ranked = sorted(scores, key=lambda i: -scores[i])
    return Scored(
        tuple(ranked),
        tuple(scores[i] for i in ranked),
        {i: evidence[i] for i in ranked if i in evidence},
    )
