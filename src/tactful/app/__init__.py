"""The application: the one place that wires stores, models and policies into use cases.
The web API and the CLI are thin layers over these methods."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from tactful import auth
from tactful.app.exposures import ExposureLog
from tactful.app.live import LiveModels
from tactful.app.serving import Recommendation, Recommended, prepare, recommend_for
from tactful.app.training import TrainReport, train
from tactful.consent.ledger import fold, record
from tactful.consent.policy import ConsentPolicy
from tactful.curate import build_pipeline
from tactful.engage import (
    Candidate,
    ContactDecision,
    Milestone,
    celebration,
    contact,
    parse_candidate,
)
from tactful.errors import NotFound
from tactful.explain.why import Why
from tactful.explain.why import why as explain_why
from tactful.handoff import Case, queue, review
from tactful.ingest import IngestReport, ingest
from tactful.privacy import erasure, rectification, retention, tokens, withdrawal
from tactful.privacy import export as privacy_export
from tactful.privacy.access import SYSTEM, Actor, authorize_subject
from tactful.privacy.audit import Action, Chain, Verdict, verify
from tactful.privacy.erasure import Receipt
from tactful.privacy.export import jsonable
from tactful.privacy.keyring import Keyring
from tactful.privacy.rectification import Correction
from tactful.privacy.retention import RetentionReport
from tactful.privacy.tokens import SubjectToken
from tactful.recommend.registry import ModelStore
from tactful.settings import Settings
from tactful.signals.derive import current_signals, derive_on_write
from tactful.signals.profile import Profile, build_profile
from tactful.store.ports import AuditEntry, Stores
from tactful.types import (
    ApiKey,
    ConsentRecord,
    Decision,
    Event,
    Exposure,
    Item,
    ItemId,
    Preferences,
    Purpose,
    Scope,
    Signal,
    SubjectId,
)

__all__ = ["ConsentView", "Recommendation", "Recommended", "Tactful", "TrainReport", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ConsentView:
    current: dict[Purpose, Decision]
    history: tuple[ConsentRecord, ...]


class Tactful:
    """Use cases over one set of stores. ``clock`` is passed in so tests can fix time."""

    def __init__(
        self,
        settings: Settings,
        stores: Stores,
        models: ModelStore,
        *,
        clock: Callable[[], datetime] = utcnow,
        policy: ConsentPolicy | None = None,
        background: bool = False,
    ) -> None:
        self.settings = settings
        self.stores = stores
        self.models = models
        self.clock = clock
        self.policy = policy or ConsentPolicy()
        self.live = LiveModels(models)
        self.guards = build_pipeline(settings.guards.order)
        self.exposures = ExposureLog(stores.exposures, interval=settings.exposure_flush_seconds)
        if background:
            self.exposures.start()
        self._catalogue: dict[ItemId, Item] = {}
        self._catalogue_version: int | None = None
        self._catalogue_checked = float("-inf")
        self._catalogue_lock = threading.Lock()

    # -- ingest ---------------------------------------------------------------------------
    def record_events(self, rows: Sequence[Any], *, atomic: bool = False) -> IngestReport:
        report = ingest(
            rows,
            events=self.stores.events,
            consents=self.stores.consents,
            policy=self.policy,
            now=self.clock(),
            tolerance=timedelta(seconds=self.settings.future_tolerance_seconds),
            max_batch=self.settings.max_batch_events,
            atomic=atomic,
            blocked=self.erased_filter(rows),
        )
        self.derive_signals(report.stored)
        self.engage_after_ingest(report.stored)
        return report

    # -- catalogue ------------------------------------------------------------------------
    def upsert_items(self, items: Sequence[Item]) -> int:
        n = self.stores.items.upsert(items)
        self._catalogue_checked = float("-inf")
        return n

    def item(self, item_id: ItemId) -> Item:
        found = self.stores.items.get(item_id)
        if found is None:
            raise NotFound(f"no item {item_id!r}", field="item_id")
        return found

    def catalogue(self) -> dict[ItemId, Item]:
        """The cached catalogue; re-read when its version changes (checked every second)."""
        now = time.monotonic()
        if now - self._catalogue_checked < 1.0:
            return self._catalogue
        with self._catalogue_lock:
            version = self.stores.items.version()
            if version != self._catalogue_version:
                self._catalogue = {it.item_id: it for it in self.stores.items.all()}
                self._catalogue_version = version
            self._catalogue_checked = now
            return self._catalogue

    # -- consent and preferences ----------------------------------------------------------
    def record_consents(
        self, subject: SubjectId, decisions: Sequence[dict[str, Any]], *, actor: Actor = SYSTEM
    ) -> ConsentView:
        now = self.clock()
        records = [
            record(
                subject,
                str(d.get("purpose", "")),
                str(d.get("decision", "")),
                at=now,
                source=str(d.get("source") or "api"),
                policy_version=str(d.get("policy_version") or "1"),
                index=i,
            )
            for i, d in enumerate(decisions)
        ]
        before = self.stores.consents.current_many([subject])[subject]
        self.stores.consents.append(records)
        self.after_consents(subject, records, before, actor)
        return self.consents(subject)

    def consents(self, subject: SubjectId) -> ConsentView:
        history = self.stores.consents.history(subject)
        return ConsentView(fold(history), tuple(history))

    def set_preferences(self, subject: SubjectId, prefs: Preferences) -> Preferences:
        self.stores.preferences.put(subject, prefs, at=self.clock())
        return prefs

    def preferences(self, subject: SubjectId) -> Preferences:
        found = self.stores.preferences.get(subject)
        return found if found is not None else Preferences()

    # -- signals and the tact layer (issue 4) ---------------------------------------------
    def derive_signals(self, stored: Sequence[Event]) -> dict[SubjectId, list[Signal]]:
        """Re-derive mood and life events for everyone whose stored events held text."""
        return derive_on_write(stored, stores=self.stores, now=self.clock(), settings=self.settings)

    def profile(self, subject: SubjectId) -> Profile:
        """Every live signal about a person (stored, and computed from behaviour) and
        whether it is a hard time; ``profile.signals`` is what an export should include."""
        now = self.clock()
        found = current_signals(
            subject,
            stores=self.stores,
            catalogue=self.catalogue(),
            policy=self.policy,
            now=now,
            settings=self.settings,
        )
        return build_profile(
            found,
            now=now,
            prefs=self.stores.preferences.get(subject),
            distress_threshold=self.settings.signals.distress_threshold,
            min_confidence=self.settings.signals.life_event_min_confidence,
        )

    def why(self, subject: SubjectId, item_id: ItemId, *, limit: int = 10) -> Why:
        """The full evidence behind one item for one person; nothing is logged as shown."""
        catalogue = self.catalogue()
        if item_id not in catalogue:
            raise NotFound(f"no item {item_id!r}", field="item_id")
        prepared = prepare(
            subject,
            stores=self.stores,
            models=self.live,
            catalogue=catalogue,
            settings=self.settings,
            policy=self.policy,
            now=self.clock(),
            limit=limit,
        )
        return explain_why(
            item_id,
            prepared.scored,
            prepared.ctx,
            self.guards,
            model_version=prepared.model.version if prepared.model is not None else None,
            weights=self.settings.recommend.event_weights,
            rating_scale=self.settings.recommend.rating_scale,
        )

    # -- models and recommendations -------------------------------------------------------
    def train(self, *, actor: Actor = SYSTEM) -> TrainReport:
        report = train(
            self.stores, self.models, self.settings.recommend, self.policy, now=self.clock()
        )
        self.live.invalidate()
        self.audit(Action.MODEL_TRAINED, actor, None, jsonable(report))
        return report

    def recommend_for(
        self, subject: SubjectId, *, limit: int = 10, context: str | None = None
    ) -> Recommendation:
        now = self.clock()
        rec = recommend_for(
            subject,
            stores=self.stores,
            models=self.live,
            catalogue=self.catalogue(),
            guards=self.guards,
            settings=self.settings,
            policy=self.policy,
            now=now,
            limit=limit,
            context=context,
        )
        self.exposures.record(
            Exposure(
                subject_id=subject,
                items=tuple(r.item.item_id for r in rec.items),
                reasons={r.item.item_id: r.reasons for r in rec.items},
                model_version=rec.model_version,
                at=now,
                context=context,
                personalized=rec.personalized,
            )
        )
        return rec

    # -- privacy rights (issue 5) ---------------------------------------------------------
    @cached_property
    def keyring(self) -> Keyring:
        """Keys derived from ``settings.secret_key`` (pseudonyms, tokens, the audit seal)."""
        return Keyring(self.settings.secret_key.get_secret_value())

    def audit(
        self,
        action: str,
        actor: Actor,
        subject: SubjectId | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one record to the audit log (the subject only by pseudonym)."""
        pseudonym = None if subject is None else self.keyring.pseudonym(subject)
        entry = AuditEntry(action, self.clock(), actor.label, pseudonym, detail or {})
        self.stores.audit.append([entry], Chain(self.keyring))

    def export_subject(self, subject: SubjectId, *, actor: Actor = SYSTEM) -> dict[str, Any]:
        """Everything held about a person, as JSON (see ``privacy.export``); audited."""
        self.exposures.flush()
        doc = privacy_export.export(
            subject,
            stores=self.stores,
            keyring=self.keyring,
            signals=self.profile(subject).signals,
            policy=self.policy,
            retention=self.settings.retention,
            now=self.clock(),
        )
        self.audit(Action.SUBJECT_EXPORTED, actor, subject, {"erased": "notice" in doc})
        return doc

    def erase_subject(self, subject: SubjectId, *, actor: Actor = SYSTEM) -> Receipt:
        """Erase a person everywhere, models included, and leave a tombstone."""
        self.exposures.flush()  # queued exposures of the person are written, then erased
        receipt = erasure.erase(
            subject,
            stores=self.stores,
            models=self.models,
            keyring=self.keyring,
            actor=actor,
            now=self.clock(),
        )
        self.live.invalidate()
        return receipt

    def remove_signal(self, subject: SubjectId, kind: str, *, actor: Actor = SYSTEM) -> Correction:
        """Remove an inferred signal so it stops influencing the person (rectification)."""
        done = rectification.remove_signal(subject, kind, stores=self.stores, now=self.clock())
        detail = {"signals_deleted": done.signals_deleted, "events_deleted": done.events_deleted}
        self.audit(Action.SIGNAL_CORRECTED, actor, subject, detail)
        return done

    def run_retention(self, *, actor: Actor = SYSTEM) -> RetentionReport:
        """Delete what outlived its TTL; retrain if models learned from deleted events."""
        report = retention.sweep(self.stores, self.settings.retention, now=self.clock())
        if report.touches_training(self.policy) and self.models.versions():
            trained = self.train(actor=actor)
            versions = (trained.model_version, trained.fallback_version)
            retention.keep_only(self.models, set(versions))
            self.live.invalidate()
            report = dc_replace(report, models_updated=versions)
        detail = {"deleted": report.deleted, "by_category": report.by_category}
        self.audit(Action.RETENTION_RUN, actor, None, detail | {"models": report.models_updated})
        return report

    def verify_audit(self) -> Verdict:
        """Check the whole audit chain and its sealed head."""
        return verify(self.stores.audit.records(), self.stores.audit.head(), Chain(self.keyring))

    def issue_token(
        self, subject: SubjectId, *, ttl: timedelta | None = None, actor: Actor = SYSTEM
    ) -> SubjectToken:
        """A signed, expiring token that lets the person act on their own data only."""
        limits = self.settings.privacy
        token = tokens.issue(
            self.keyring,
            subject,
            now=self.clock(),
            ttl=ttl if ttl is not None else timedelta(minutes=limits.token_ttl_minutes),
            max_ttl=timedelta(days=limits.token_max_ttl_days),
        )
        self.audit(
            Action.TOKEN_ISSUED, actor, subject, {"expires_at": token.expires_at.isoformat()}
        )
        return token

    def authorize_subject(self, secret: str | None, scope: Scope, subject: SubjectId) -> Actor:
        """An operator key with ``scope``, or the person's own subject token."""
        return authorize_subject(
            self.stores.keys, self.keyring, secret, scope=scope, subject=subject, now=self.clock()
        )

    def note_read(self, actor: Actor, subject: SubjectId, resource: str) -> None:
        """Audit an operator's read of a person's data (people reading their own are not)."""
        if actor.operator:
            self.audit(Action.PERSONAL_DATA_READ, actor, subject, {"resource": resource})

    def erased_filter(self, rows: Sequence[Any]) -> Callable[[SubjectId], str | None]:
        """Ingest's ``blocked``: ``erased_subject`` for tombstoned ids (one look-up a batch)."""
        ids = {r.get("subject_id") for r in rows if isinstance(r, Mapping)}
        erased = erasure.blocked_ids(
            self.stores, self.keyring, {i for i in ids if isinstance(i, str)}
        )
        return lambda subject: erasure.ERASED if subject in erased else None

    def after_consents(
        self,
        subject: SubjectId,
        records: Sequence[ConsentRecord],
        before: Mapping[Purpose, Decision],
        actor: Actor,
    ) -> None:
        """Carry out what the decisions mean (withdrawal, tombstone) and audit them."""
        after = self.stores.consents.current_many([subject])[subject]
        done = withdrawal.apply_decisions(
            subject,
            records,
            before=before,
            after=after,
            stores=self.stores,
            models=self.models,
            policy=self.policy,
            keyring=self.keyring,
            now=self.clock(),
        )
        if done.models_updated:
            self.live.invalidate()
        decisions = [{"purpose": r.purpose.value, "decision": r.decision.value} for r in records]
        self.audit(
            Action.CONSENT_RECORDED, actor, subject, {"decisions": decisions, **jsonable(done)}
        )

    # -- operator keys --------------------------------------------------------------------
    def create_key(self, name: str, scopes: Sequence[str]) -> tuple[ApiKey, str]:
        return auth.create_key(
            self.stores.keys, name=name, scopes=auth.parse_scopes(scopes), now=self.clock()
        )

    def authorize(self, secret: str | None, scope: Scope) -> ApiKey:
        key = auth.authenticate(self.stores.keys, secret)
        auth.require(key, scope)
        return key

    # -- engage and human touch (issue 6) -------------------------------------------------
    def decide_contact(
        self, subject: SubjectId, candidate: Candidate | dict[str, Any]
    ) -> ContactDecision:
        """Decide whether, when and on which channel to send one message; stored."""
        if not isinstance(candidate, Candidate):
            candidate = parse_candidate(candidate, now=self.clock())
        return self.decide_contacts([(subject, candidate)])[0]

    def decide_contacts(
        self, batch: Sequence[tuple[SubjectId, Candidate]]
    ) -> list[ContactDecision]:
        """Decide a stream of candidates in order (few queries per chunk); all stored."""
        return contact.decide_contacts(
            batch,
            stores=self.stores,
            catalogue=self.catalogue(),
            settings=self.settings,
            policy=self.policy,
        )

    def contact_decisions(self, subject: SubjectId, *, limit: int = 100) -> list[ContactDecision]:
        return contact.decisions_of(self.stores, subject, limit=limit)

    def record_outcome(
        self, subject: SubjectId, decision_id: str, outcome: str, *, at: datetime | None = None
    ) -> ContactDecision:
        """What happened to a delivered message: updates fatigue, may open a hand-off."""
        done = contact.record_outcome(
            self.stores,
            subject,
            decision_id,
            contact.parse_outcome(outcome),
            at=contact.aware(at or self.clock()),
            settings=self.settings,
        )
        self.review_handoffs([subject])
        return done

    def milestones(self, subject: SubjectId) -> list[tuple[Milestone, ContactDecision | None]]:
        """The person's milestones, each with its celebration decision if there was one."""
        return celebration.milestones_of(self.stores, subject)

    def review_milestones(
        self, subjects: Sequence[SubjectId] | None = None
    ) -> dict[SubjectId, list[Milestone]]:
        """Record newly reached milestones (all people with relevant events by default,
        e.g. daily for anniversaries) and decide their celebrations."""
        found = (
            subjects if subjects is not None else celebration.candidates(self.stores, self.settings)
        )
        return celebration.review_all(
            found,
            stores=self.stores,
            catalogue=self.catalogue(),
            settings=self.settings,
            policy=self.policy,
            now=self.clock(),
        )

    def review_handoffs(self, subjects: Sequence[SubjectId]) -> list[Case]:
        """Open a hand-off case for each person a trigger fires for (none while one is open)."""
        now = self.clock()
        opened = (
            review.review_handoff(s, stores=self.stores, settings=self.settings, now=now)
            for s in sorted(set(subjects))
        )
        return [c for c in opened if c is not None]

    def engage_after_ingest(self, stored: Sequence[Event]) -> None:
        """Hand-off triggers for those who wrote; milestones for those who made progress."""
        now = self.clock()
        self.review_handoffs(review.writers(stored, self.settings, now=now))
        self.review_milestones(celebration.achievers(stored, self.settings, now=now))

    def handoffs(self, status: str | None = None, *, limit: int = 100) -> list[Case]:
        return queue.cases(self.stores.handoffs, status, limit=limit)

    def handoff(self, case_id: str) -> Case:
        return queue.case_of(self.stores.handoffs, case_id)

    def claim_handoff(self, case_id: str, agent: str) -> Case:
        return queue.claim_case(self.stores.handoffs, case_id, agent, now=self.clock())

    def resolve_handoff(self, case_id: str, outcome: str, *, agent: str | None = None) -> Case:
        return queue.resolve_case(
            self.stores.handoffs, case_id, outcome, now=self.clock(), agent=agent
        )

    def close(self) -> None:
        self.exposures.close()
        self.stores.close()
