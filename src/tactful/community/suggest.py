"""Which communities a person might like, and why: first from the values they declared,
then from the interests their behaviour shows (only with ``personalization``; the caller
passes none otherwise, and none learnt from sensitive items)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from tactful.records import Community
from tactful.types import Reason


@dataclass(frozen=True, slots=True)
class Suggestion:
    community: Community
    reasons: tuple[Reason, ...]


def _declared(community: Community, values: Collection[str]) -> list[Reason]:
    mine = {v.lower(): v for v in values}
    return [
        Reason("declared_value", f"You told us you care about {mine[v.lower()]}")
        for v in community.values
        if v.lower() in mine
    ]


def _inferred(community: Community, interests: Collection[str]) -> list[Reason]:
    mine = {x.lower() for x in interests}
    values = [
        Reason("interest", f"What you do with us shows you care about {v}")
        for v in community.values
        if v.lower() in mine
    ]
    return values + [
        Reason("interest", f"You've shown an interest in {t}")
        for t in community.categories
        if t.lower() in mine
    ]


def suggest(
    communities: Sequence[Community],
    *,
    joined: Collection[str],
    values: Collection[str],
    interests: Collection[str] = (),
    limit: int = 5,
) -> list[Suggestion]:
    """Communities not joined yet that match a declared value (first) or an inferred
    interest, each with its reasons; at most ``limit``."""
    declared: list[Suggestion] = []
    inferred: list[Suggestion] = []
    for c in communities:
        if c.community_id in joined:
            continue
        mine = _declared(c, values)
        if mine:
            declared.append(Suggestion(c, tuple(mine)))
            continue
        shown = _inferred(c, interests)
        if shown:
            inferred.append(Suggestion(c, tuple(shown)))
    return [*declared, *inferred][:limit]
