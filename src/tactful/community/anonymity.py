"""The anonymity rule: a community shows statistics only when no person can be singled out.

A community with fewer than k members (its ``min_members``) yields no statistics and no
reasons at all; its member count shows as "fewer than k" to anyone but an operator with
the ``admin`` scope. A count of members who engaged with an item is shown only when it is
at least k, so it never hints at one person.
"""

from __future__ import annotations

from collections.abc import Mapping

from tactful.records import Community
from tactful.types import ItemId

FEWER = "fewer than {k}"


def shown_members(community: Community, count: int, *, admin: bool) -> int | str:
    """The member count as it may be shown: exact for admins or at k and above."""
    if admin or count >= community.min_members:
        return count
    return FEWER.format(k=community.min_members)


def engaged_counts(
    community: Community, engagement: Mapping[ItemId, int], *, members: int
) -> dict[ItemId, int]:
    """Of how many members engaged with each item (only those whose behaviour may be
    used), the items at least k did; nothing for a community below k members."""
    k = community.min_members
    if members < k:
        return {}
    return {item: n for item, n in engagement.items() if n >= k}
