"""The anonymity rule: a community shows statistics only when no person can be singled out.

A community with fewer than k members (its ``min_members``) yields no statistics and no
reasons at all; its member count shows as "fewer than k" to anyone but an operator with
the ``admin`` scope. A count of members who engaged with an item is shown only when it is
at least k, so it never hints at one person.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from tactful.records import Community
from tactful.types import ItemId, SubjectId

FEWER = "fewer than {k}"


def shown_members(community: Community, count: int, *, admin: bool) -> int | str:
    """The member count as it may be shown: exact for admins or at k and above."""
    if admin or count >= community.min_members:
        return count
    return FEWER.format(k=community.min_members)


def engaged_counts(
    community: Community,
    engagement: Mapping[ItemId, Collection[SubjectId]],
    *,
    members: int,
    eligible: Collection[SubjectId],
) -> dict[ItemId, int]:
    """Items at least k members engaged with, and how many did, counting only ``eligible``
    members (those whose behaviour may be used); nothing for a community below k."""
    k = community.min_members
    if members < k:
        return {}
    allowed = set(eligible)
    out: dict[ItemId, int] = {}
    for item, who in engagement.items():
        n = len(allowed.intersection(who))
        if n >= k:
            out[item] = n
    return out
