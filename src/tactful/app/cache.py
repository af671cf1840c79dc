"""A worker's cache of prepared recommendations: reading a person's history and scoring it
is most of a request's work, and between two writes about them it gives the same answer.

An entry holds what ``prepare`` produced (scored candidates, the guards' context) and the
curated lists built from it. It is used only while all of these hold, so a cached answer
is the answer a fresh one would give:

- the person's stamp is the one it was built at. Every write to their events, consents,
  preferences, signals or community memberships changes the stamp, in the same
  transaction (database triggers, so no write path can forget it), and every request
  reads the stamp first; so ingest, consent changes, dismissals, new signals, joining or
  leaving a community and erasure take effect on the next request, in every worker;
- the serving models and the catalogue are the versions it was built with;
- no stored signal has expired and no pause has ended since (``Prepared.turns_at``);
- it is younger than ``recommend.cache_seconds``. Only slow drifts fall under this
  bound: interest weights decaying with time, cool-down windows running out, exposures
  leaving the retargeting window (each only ever keeps holding an item back a little
  longer), and other members of the person's communities engaging with an item or leaving
  (a "popular with N people" count is at most this old; it was at least k when computed).

Exposures change with every response, so they are read on every request, in the same
statement as the stamp: only those newer than the entry has seen (ids above the highest
seen, plus the last ``COMMIT_SLACK`` again, since concurrent writers on PostgreSQL may
commit ids out of order). A curated list is reused only for the same set of candidates the
retargeting cap holds back at that moment.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from tactful.app import meters
from tactful.app.exposures import ExposureLog, with_queued
from tactful.app.serving import Prepared, Recommendation, finish
from tactful.curate import Guard, Input
from tactful.curate.pipeline import curate
from tactful.settings import Settings
from tactful.signals.behaviour import count_unengaged
from tactful.signals.derive import RETARGETING_LOOKBACK, retargeting_since
from tactful.store.ports import Stores
from tactful.types import Exposure, HeldBack, ItemId, RequestContext, SubjectId

Rows = tuple[tuple[int, Exposure], ...]
ListKey = tuple[int, RequestContext, frozenset[ItemId]]
"""The request's limit and context (home, email, search, browse), and the candidates the
retargeting cap holds back."""
COMMIT_SLACK = timedelta(seconds=2)
"""Exposures logged this recently are read again on every request. Exposures are queued
and written within ``exposure_flush_seconds`` (0.2 s by default)."""
LISTS_KEPT = 8
"""Curated lists kept per person (different limits, contexts, or retargeting states)."""
ENTRY_INPUTS = frozenset(
    {Input.HISTORY, Input.PREFERENCES, Input.SIGNALS, Input.CATALOGUE, Input.MODEL}
)
"""What an entry's context holds for the entry's whole life: the person's stored state
(their stamp and ``Prepared.turns_at``), the catalogue and the model (``versions``). The
exposures, the clock, the limit, the request context and whatever else a request brings
change between requests."""


def once_per_entry(guards: Sequence[Guard]) -> int:
    """How many guards at the head of ``guards`` read nothing but ``ENTRY_INPUTS``: their
    output is the same for every request an entry serves, so the entry runs them once, when
    it is built. Only a head: every later guard runs on what the earlier ones produced."""
    n = 0
    while n < len(guards) and guards[n].reads <= ENTRY_INPUTS:
        n += 1
    return n


@dataclass(slots=True)
class Entry:
    """One person's prepared candidates and the lists curated from them."""

    prepared: Prepared
    stamp: int
    versions: Hashable
    """Model and catalogue versions it was built with."""
    until: datetime
    candidates: frozenset[ItemId]
    shown: dict[int, Exposure]
    """The recent exposures seen so far, by stored id."""
    mark: int = 0
    """The highest exposure id seen."""
    held: tuple[HeldBack, ...] = ()
    """What the guards run once per entry (``ServingCache.head``) held back from
    ``prepared.scored`` (already applied)."""
    lists: dict[ListKey, Recommendation] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def merge(
        self, newer: Rows, since: datetime, queued: tuple[Exposure, ...] = ()
    ) -> tuple[Exposure, ...]:
        """The newest ``RETARGETING_LOOKBACK`` exposures since ``since``, oldest first, as
        a fresh read would give them, from the stored ones seen before and ``newer``, and
        those still ``queued`` (not kept: they are read as stored rows once written)."""
        with self.lock:
            self.shown.update(newer)
            self.mark = max(self.mark, max((i for i, _ in newer), default=0))
            live = sorted((x.at, i) for i, x in self.shown.items() if x.at >= since)
            live = live[-RETARGETING_LOOKBACK:]
            self.shown = {i: self.shown[i] for _, i in live}
            stored = tuple(self.shown[i] for _, i in live)
        return with_queued(stored, queued, since=since, limit=RETARGETING_LOOKBACK)

    def fits(self, versions: Hashable, now: datetime) -> bool:
        return versions == self.versions and now < self.until

    def capped(self, exposures: tuple[Exposure, ...], now: datetime) -> frozenset[ItemId]:
        """The candidates the retargeting cap holds back at ``now`` given ``exposures``."""
        ctx = self.prepared.ctx
        window = timedelta(days=ctx.settings.retargeting_window_days)
        shows = count_unengaged(exposures, ctx.last_engaged, now=now, window=window)
        cap = ctx.settings.retargeting_max_shows
        return frozenset(i for i, n in shows.items() if n >= cap and i in self.candidates)

    def curate(
        self,
        key: ListKey,
        exposures: tuple[Exposure, ...],
        now: datetime,
        finish: Callable[[Prepared], Recommendation],
    ) -> Recommendation:
        """The list cached under ``key``, or ``finish`` of the prepared candidates re-set
        to this moment (then kept under ``key``)."""
        found = self.lists.get(key)
        if found is None:
            limit, request, _ = key
            ctx = self.prepared.ctx.moved(
                now=now, exposures=exposures, limit=limit, request=request
            )
            found = finish(replace(self.prepared, ctx=ctx))
            if len(self.lists) >= LISTS_KEPT:
                self.lists.pop(next(iter(self.lists)))
            self.lists[key] = found
        return found


def recommend_cached(
    subject: SubjectId,
    *,
    cache: ServingCache,
    versions: Hashable,
    stores: Stores,
    log: ExposureLog,
    prepare: Callable[[], Prepared],
    settings: Settings,
    now: datetime,
    limit: int,
    request: RequestContext = RequestContext.HOME,
) -> Recommendation:
    """``finish(prepare())`` with ``cache.guards``, from the cache when the person's entry
    still holds: then one read (their stamp and recent exposures) replaces the history read
    and scoring, the work of the guards run once per entry is reused, and so is a list
    curated before when the retargeting cap holds back the same. Exposures still queued
    in ``log`` count as shown."""
    entry = cache.get(subject)
    shown: tuple[Exposure, ...] | None = None
    if entry is not None and entry.fits(versions, now):
        since = retargeting_since(now, settings)
        stamp, mark = entry.stamp, entry.mark
        newer, queued = log.around(
            subject,
            lambda: stores.exposures_if_unchanged(
                subject,
                stamp=stamp,
                exposures_since=since,
                exposure_limit=RETARGETING_LOOKBACK,
                after_id=mark,
                recent_since=now - COMMIT_SLACK,
            ),
        )
        shown = entry.merge(newer, since, queued) if newer is not None else None
    meters.cache_lookup(shown is not None)
    if entry is None or shown is None:
        prepared = prepare()
        entry = cache.put(subject, prepared, versions, now)
        if entry is None:
            return finish(prepared, prepared.ctx, cache.guards)
        shown = prepared.ctx.exposures
    if not entry.prepared.ctx.consented:
        shown = ()  # without personalization, past exposures are not used
    held, rest = entry.held, cache.rest
    return entry.curate(
        (limit, request, entry.capped(shown, now)),
        shown,
        now,
        lambda p: finish(p, p.ctx, rest, held=held),
    )


class ServingCache:
    """Least-recently-used entries, at most ``size`` people; thread-safe."""

    def __init__(self, *, size: int, seconds: float, guards: Sequence[Guard]) -> None:
        self.size = size
        self.ttl = timedelta(seconds=seconds)
        self.guards = tuple(guards)
        self.head = self.guards[: once_per_entry(self.guards)]
        """Run once per entry, when it is built."""
        self.rest = self.guards[len(self.head) :]
        """Run for every curated list."""
        self._entries: OrderedDict[SubjectId, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, subject: SubjectId) -> Entry | None:
        with self._lock:
            entry = self._entries.get(subject)
            if entry is not None:
                self._entries.move_to_end(subject)
            return entry

    def put(
        self, subject: SubjectId, prepared: Prepared, versions: Hashable, now: datetime
    ) -> Entry | None:
        """Cache what was just prepared; None when it cannot be (no stamp, or no cache)."""
        stamp = prepared.stamp
        if stamp is None or self.size <= 0 or self.ttl <= timedelta(0):
            self.drop(subject)
            return None
        until = now + self.ttl
        if prepared.turns_at is not None:
            until = min(until, prepared.turns_at)
        base = curate(prepared.scored, prepared.ctx, self.head)
        kept = replace(prepared, scored=base.scored, ctx=prepared.ctx.settled())
        candidates = frozenset(kept.scored.items)
        shown = dict(prepared.exposure_rows)
        mark = max(shown, default=0)
        entry = Entry(kept, stamp, versions, until, candidates, shown, mark, base.held_back)
        with self._lock:
            self._entries[subject] = entry
            self._entries.move_to_end(subject)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry

    def drop(self, subject: SubjectId) -> None:
        with self._lock:
            self._entries.pop(subject, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
