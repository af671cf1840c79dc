"""Communities: operators define them; people join and leave by their own choice (with
``community`` granted); suggestions and the community evidence serving adds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from tactful.app.trail import AuditTrail
from tactful.community import (
    Joined,
    Suggestion,
    engaged_counts,
    parse_communities,
    shown_members,
    suggest,
)
from tactful.consent import is_granted
from tactful.consent.policy import ConsentPolicy
from tactful.engage.contact import interest_types
from tactful.engage.situation import inferred_interests
from tactful.errors import InvalidInput, NotFound
from tactful.privacy.access import SYSTEM, Actor
from tactful.privacy.audit import Action
from tactful.records import Community, Membership
from tactful.settings import Settings
from tactful.store.ports import Stores
from tactful.types import Decision, Item, ItemId, Purpose, Sensitivity, SubjectId

CatalogueOf = Callable[[], Mapping[ItemId, Item]]


@dataclass(frozen=True, slots=True)
class CommunityView:
    """A community with its member count as the reader may see it (``anonymity``)."""

    community: Community
    members: int | str


@dataclass(frozen=True, slots=True)
class PersonCommunities:
    joined: tuple[tuple[Membership, CommunityView], ...]
    suggested: tuple[Suggestion, ...]
    consented: bool
    """Whether the person granted ``community`` (without it: nothing joined or suggested)."""


class Communities:
    """Defines communities, keeps memberships, suggests, and reads the community evidence."""

    def __init__(
        self,
        stores: Stores,
        catalogue: CatalogueOf,
        policy: ConsentPolicy,
        settings: Settings,
        *,
        clock: Callable[[], datetime],
        trail: AuditTrail | None = None,
        engaged: EngagedCounts | None = None,
    ) -> None:
        self._stores = stores
        self._trail = trail
        self._catalogue = catalogue
        self._policy = policy
        self._settings = settings
        self._clock = clock
        self._engaged = engaged or EngagedCounts(settings.recommend.cache_seconds)

    def define(self, rows: Sequence[Mapping[str, Any]]) -> list[Community]:
        """Insert or replace communities (all or none); ``min_members`` defaults to
        ``community.min_members``."""
        found = parse_communities(rows, default_k=self._settings.community.min_members)
        self._stores.communities.upsert(found)
        return found

    def all(self, *, admin: bool) -> list[CommunityView]:
        counts = self._stores.communities.member_counts()
        return [
            CommunityView(c, shown_members(c, counts.get(c.community_id, 0), admin=admin))
            for c in self._stores.communities.all()
        ]

    def get(self, community_id: str, *, admin: bool) -> CommunityView:
        found = self._stores.communities.get(community_id)
        if found is None:
            raise NotFound(f"no community {community_id!r}", field="community_id")
        n = len(self._stores.communities.members(community_id))
        return CommunityView(found, shown_members(found, n, admin=admin))

    def join(self, subject: SubjectId, community_id: str, *, actor: Actor = SYSTEM) -> Membership:
        """Join a community: only with ``community`` granted (else ``InvalidInput`` with
        reason ``consent_required:community``); joining twice keeps the first membership.
        Audited (``community.joined``), like consent decisions."""

        def admit(state: Mapping[SubjectId, Mapping[Purpose, Decision]]) -> None:
            # Inside the write, under the person's lock: a withdrawal in flight wins.
            if not is_granted(state[subject], Purpose.COMMUNITY):
                raise InvalidInput(
                    "joining a community needs the community consent granted",
                    field="community_id",
                    reason="consent_required:community",
                )

        membership = Membership(subject, community_id, self._clock())
        joined = self._stores.communities.join(membership, admit=admit)
        self._audit(Action.COMMUNITY_JOINED, actor, subject, community_id)
        return joined

    def leave(self, subject: SubjectId, community_id: str, *, actor: Actor = SYSTEM) -> bool:
        """Leave a community (audited, ``community.left``, when there was a membership)."""
        if self._stores.communities.get(community_id) is None:
            raise NotFound(f"no community {community_id!r}", field="community_id")
        left = self._stores.communities.leave(subject, community_id)
        if left:
            self._audit(Action.COMMUNITY_LEFT, actor, subject, community_id)
        return left

    def _audit(self, action: Action, actor: Actor, subject: SubjectId, community_id: str) -> None:
        if self._trail is not None:
            self._trail.record(action, actor, subject, {"community_id": community_id})

    def of_subject(self, subject: SubjectId, *, limit: int = 5) -> PersonCommunities:
        """What the person joined and what they might like, each suggestion with its
        reasons: declared values first, then inferred interests (with ``personalization``,
        never from sensitive items). Without ``community`` granted: nothing."""
        state = self._stores.consents.current_many([subject])[subject]
        if not is_granted(state, Purpose.COMMUNITY):
            return PersonCommunities((), (), False)
        views = {v.community.community_id: v for v in self.all(admin=False)}
        mine = [m for m in self._stores.communities.memberships(subject) if m.community_id in views]
        prefs = self._stores.preferences.get(subject)
        found = suggest(
            [v.community for v in views.values()],
            joined={m.community_id for m in mine},
            values=prefs.values if prefs is not None else (),
            interests=self._interests(subject, state),
            limit=limit,
        )
        joined = tuple((m, views[m.community_id]) for m in mine)
        return PersonCommunities(joined, tuple(found), True)

    def _interests(self, subject: SubjectId, state: Mapping[Purpose, Any]) -> frozenset[str]:
        if not is_granted(state, Purpose.PERSONALIZATION):
            return frozenset()
        plain = {i: it for i, it in self._catalogue().items() if it.sensitive is Sensitivity.NONE}
        types = interest_types(self._settings, self._policy)
        events = self._stores.events.for_subject(subject, types=types)
        shown = inferred_interests(
            subject,
            behaviour=[e for e in events if e.item_id in plain],
            catalogue=plain,
            consents=state,
            now=self._clock(),
            settings=self._settings,
        )
        removed = {  # "that's not right": an interest the person removed is stored at 0
            sig.kind.partition(":")[2].lower()
            for sig in self._stores.signals.for_subject(subject)
            if sig.kind.startswith(("interest:", "value:")) and sig.value <= 0
        }
        return shown - removed

    def evidence_for(self, subject: SubjectId) -> tuple[Joined, ...]:
        """The communities the person joined, with the items at least k of their members
        engaged with. Member counts are read fresh (a community below k says nothing); the
        engaged counts, aggregates that name no one, are reused for up to
        ``recommend.cache_seconds`` per worker (``EngagedCounts``)."""
        mine = self._stores.communities.memberships(subject)
        if not mine:
            return ()
        counts = self._stores.communities.member_counts()
        out: list[Joined] = []
        for m in mine:
            c = self._stores.communities.get(m.community_id)
            if c is None:
                continue
            n = counts.get(c.community_id, 0)
            if n < c.min_members:
                out.append(Joined(c, n))
                continue
            engaged = self._engaged.get(c, partial(self._count_engaged, c))
            out.append(Joined(c, n, engaged_counts(c, engaged, members=n)))
        return tuple(out)

    def _count_engaged(self, c: Community) -> dict[ItemId, int]:
        """Per item, how many members engaged, counting those whose behaviour may be used
        (``personalization`` granted)."""
        members = self._stores.communities.members(c.community_id)
        states = self._stores.consents.current_many(members)
        eligible = {s for s, st in states.items() if is_granted(st, Purpose.PERSONALIZATION)}
        types = interest_types(self._settings, self._policy)
        return self._stores.communities.engagement(c.community_id, types=types, among=eligible)


class EngagedCounts:
    """Per community (as defined: a changed definition is a new key), its engaged counts,
    kept ``seconds`` by one worker's clock; thread-safe."""

    def __init__(self, seconds: float, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._monotonic = monotonic
        self._kept: dict[Community, tuple[float, dict[ItemId, int]]] = {}
        self._lock = threading.Lock()

    def get(
        self, community: Community, count: Callable[[], dict[ItemId, int]]
    ) -> dict[ItemId, int]:
        now = self._monotonic()
        with self._lock:
            found = self._kept.get(community)
        if found is not None and found[0] > now:
            return found[1]
        fresh = count()
        if self._seconds > 0:
            with self._lock:
                self._kept = {k: v for k, v in self._kept.items() if v[0] > now}
                self._kept[community] = (now + self._seconds, fresh)
        return fresh
