"""Recommendations for one person: prepared (consent, history, scores, signals), curated by
the guards, explained, and logged as an exposure when the person's consent allows it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from datetime import datetime

from tactful.app import meters
from tactful.app.arrivals import NewArrivals
from tactful.app.cache import ServingCache, recommend_cached
from tactful.app.catalogue import Catalogue
from tactful.app.exposures import ExposureLog
from tactful.app.live import LiveModels
from tactful.app.serving import PRODUCTS, Prepared, Recommendation, prepare
from tactful.app.training import FALLBACK, served
from tactful.community import Joined
from tactful.consent.policy import ConsentPolicy
from tactful.curate import Guard
from tactful.errors import InvalidInput, NotFound
from tactful.explain.why import Why
from tactful.explain.why import why as explain_why
from tactful.settings import Settings
from tactful.store.ports import Stores
from tactful.types import Exposure, HeldBack, Item, ItemId, ItemKind, RequestContext, SubjectId

JoinedOf = Callable[[SubjectId], tuple[Joined, ...]]


def _none(subject: SubjectId) -> tuple[Joined, ...]:
    return ()


def item_kinds(kinds: Collection[str] | str | None) -> frozenset[ItemKind]:
    """The kinds a list recommends (``product`` when not said), from a list or a comma-
    separated text (``?kinds=content,product``); ``InvalidInput`` naming ``kinds``."""
    if kinds is None:
        return PRODUCTS
    names = kinds.split(",") if isinstance(kinds, str) else list(kinds)
    out: set[ItemKind] = set()
    for name in (n.strip() for n in names):
        try:
            out.add(ItemKind(name))
        except ValueError:
            allowed = ", ".join(k.value for k in ItemKind)
            raise InvalidInput(
                f"unknown kind {name!r}; expected one of {allowed}", field="kinds"
            ) from None
    return frozenset(out) or PRODUCTS


def _joined_key(joined: Sequence[Joined]) -> tuple[object, ...]:
    """What of the person's communities a cached entry depends on."""
    return tuple((j.community, j.members, tuple(sorted(j.engaged.items()))) for j in joined)


def request_context(context: RequestContext | str | None) -> RequestContext:
    """Where a list is shown; ``home`` when not said (the safe default: a hard time shows
    no proactive items), or ``InvalidInput`` naming ``context``."""
    if context is None:
        return RequestContext.HOME
    try:
        return RequestContext(context)
    except ValueError:
        names = ", ".join(c.value for c in RequestContext)
        raise InvalidInput(
            f"unknown context {context!r}; expected one of {names}", field="context"
        ) from None


class Recommendations:
    """Serves curated, explained lists and the full "why" of one item."""

    def __init__(
        self,
        stores: Stores,
        models: LiveModels,
        catalogue: Catalogue,
        policy: ConsentPolicy,
        settings: Settings,
        *,
        guards: Sequence[Guard],
        cache: ServingCache,
        exposures: ExposureLog,
        arrivals: NewArrivals,
        clock: Callable[[], datetime],
        communities: JoinedOf = _none,
    ) -> None:
        self._stores = stores
        self._models = models
        self._catalogue = catalogue
        self._policy = policy
        self._settings = settings
        self._guards = tuple(guards)
        self._cache = cache
        self._exposures = exposures
        self._arrivals = arrivals
        self._clock = clock
        self._communities = communities

    def recommend(
        self,
        subject: SubjectId,
        *,
        limit: int = 10,
        context: RequestContext | str | None = None,
        preview: bool = False,
        logged_as: str | None = None,
        kinds: Collection[str] | str | None = None,
    ) -> Recommendation:
        """At most ``min(limit, budget)`` items with reasons, and what was held back, for
        where the list is shown (``context``: home, the default, email, search, browse).
        The response is logged as an exposure unless it is a ``preview``; see ``_log``;
        ``logged_as`` names the exposure's context when it is not ``context`` itself (the
        person's own page, ``preference_center``, curates as ``home``). ``kinds``: what
        to recommend, ``product`` (the default), ``content`` or both."""
        request = request_context(context)
        wanted = item_kinds(kinds)
        now = self._clock()
        catalogue = self._catalogue.current()
        rec = recommend_cached(
            subject,
            cache=self._cache,
            versions=(
                self._catalogue.version,
                self._models.versions(self._serving()),
                tuple(sorted(wanted)),
            ),
            stores=self._stores,
            log=self._exposures,
            prepare=lambda: self._prepare(
                subject,
                now,
                limit,
                catalogue,
                request,
                kinds=wanted,
                joined=lambda: self._communities(subject),
            ),
            settings=self._settings,
            now=now,
            limit=limit,
            request=request,
        )
        if not preview:
            self._log(rec, now, logged_as or request.value)
            meters.held_back(rec.held_back)
        return rec

    def why(
        self,
        subject: SubjectId,
        item_id: ItemId,
        *,
        limit: int = 10,
        context: RequestContext | str | None = None,
        kinds: Collection[str] | str | None = None,
    ) -> Why:
        """The full evidence behind one item for one person; nothing is logged as shown."""
        request = request_context(context)
        catalogue = self._catalogue.current()
        if item_id not in catalogue:
            raise NotFound(f"no item {item_id!r}", field="item_id")
        wanted = item_kinds(kinds) | {catalogue[item_id].kind}
        prepared = self._prepare(
            subject,
            self._clock(),
            limit,
            catalogue,
            request,
            kinds=frozenset(wanted),
            joined=lambda: self._communities(subject),
        )
        return explain_why(
            item_id,
            prepared.scored,
            prepared.ctx,
            self._guards,
            model_version=prepared.model.version if prepared.model is not None else None,
            weights=self._settings.recommend.event_weights,
            rating_scale=self._settings.recommend.rating_scale,
        )

    def _serving(self) -> tuple[str, str]:
        """The models a list is scored with: the serving one (see ``served``), and the
        popular fallback."""
        return served(self._models, self._settings.recommend.model), FALLBACK

    @property
    def cache(self) -> ServingCache:
        return self._cache

    def _prepare(
        self,
        subject: SubjectId,
        now: datetime,
        limit: int,
        catalogue: dict[ItemId, Item],
        request: RequestContext,
        *,
        kinds: frozenset[ItemKind] = PRODUCTS,
        joined: Callable[[], Sequence[Joined]] = tuple,
    ) -> Prepared:
        return prepare(
            subject,
            stores=self._stores,
            models=self._models,
            catalogue=catalogue,
            settings=self._settings,
            policy=self._policy,
            now=now,
            limit=limit,
            log=self._exposures,
            arrivals=self._arrivals,
            request=request,
            kinds=kinds,
            joined=joined,
        )

    def _log(self, rec: Recommendation, now: datetime, context: str | None) -> None:
        """A row naming the person only if they granted ``personalization`` or
        ``analytics``; otherwise the response is only counted, without their id."""
        if not rec.logged:
            self._exposures.tally(now)
            return
        self._exposures.record(
            Exposure(
                subject_id=rec.subject_id,
                items=tuple(r.item.item_id for r in rec.items),
                reasons={r.item.item_id: r.reasons for r in rec.items},
                model_version=rec.model_version,
                at=now,
                context=context,
                personalized=rec.personalized,
                held_back=held_back_counts(rec.held_back),
            )
        )


def held_back_counts(held: Sequence[HeldBack]) -> dict[str, int]:
    """Items held back per guard kind (kinds that held nothing back are left out)."""
    counts: Counter[str] = Counter()
    for h in held:
        counts[h.kind] += h.count
    return {kind: n for kind, n in counts.items() if n > 0}
