"""Privacy rights: export, erasure, rectification, retention and the audit check; and what
consent decisions mean for data already held (``Withdrawals``, a reaction of ``Consents``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from tactful.app.exposures import ExposureLog
from tactful.app.live import LiveModels
from tactful.app.profiles import Profiles
from tactful.app.trail import AuditTrail
from tactful.app.training import TrainReport
from tactful.consent.policy import ConsentPolicy
from tactful.privacy import erasure, rectification, retention, withdrawal
from tactful.privacy import export as privacy_export
from tactful.privacy.access import SYSTEM, Actor
from tactful.privacy.anchor import FileAnchor, against_anchor
from tactful.privacy.audit import Action, Chain, Verdict, verify
from tactful.privacy.erasure import Receipt
from tactful.privacy.export import jsonable
from tactful.privacy.keyring import Keyring
from tactful.privacy.rectification import Correction
from tactful.privacy.retention import RetentionReport
from tactful.recommend.model import Model
from tactful.settings import RetentionSettings
from tactful.store import ModelStore
from tactful.store.ports import Stores
from tactful.types import ConsentRecord, Decision, Purpose, SubjectId

Retrain = Callable[..., TrainReport]
"""Training's ``train(actor=...)``: retention retrains when it deleted training data."""


class Tombstones:
    """Which ids were erased (by keyed pseudonym, never stored in the clear)."""

    def __init__(self, stores: Stores, keyring: Keyring) -> None:
        self._stores = stores
        self._keyring = keyring

    def erased(self, subjects: Collection[SubjectId]) -> frozenset[SubjectId]:
        """One look-up for a whole batch of ids."""
        return erasure.blocked_ids(self._stores, self._keyring, set(subjects))


class Withdrawals:
    """Carries out new consent decisions (withdrawal deletes and forgets; a grant lifts a
    tombstone) and audits them."""

    def __init__(
        self,
        stores: Stores,
        models: ModelStore[Model],
        live: LiveModels,
        policy: ConsentPolicy,
        keyring: Keyring,
        *,
        trail: AuditTrail,
        clock: Callable[[], datetime],
    ) -> None:
        self._stores = stores
        self._models = models
        self._live = live
        self._policy = policy
        self._keyring = keyring
        self._trail = trail
        self._clock = clock

    def __call__(
        self,
        subject: SubjectId,
        records: Sequence[ConsentRecord],
        before: Mapping[Purpose, Decision],
        actor: Actor,
    ) -> None:
        after = self._stores.consents.current_many([subject])[subject]
        done = withdrawal.apply_decisions(
            subject,
            records,
            before=before,
            after=after,
            stores=self._stores,
            models=self._models,
            policy=self._policy,
            keyring=self._keyring,
            now=self._clock(),
        )
        if done.models_updated:
            self._live.invalidate()
        decisions = [{"purpose": r.purpose.value, "decision": r.decision.value} for r in records]
        detail = {"decisions": decisions, **jsonable(done)}
        self._trail.record(Action.CONSENT_RECORDED, actor, subject, detail)


class Rights:
    """A person's rights over their data, and the operator's duties (retention, audit)."""

    def __init__(
        self,
        stores: Stores,
        models: ModelStore[Model],
        live: LiveModels,
        policy: ConsentPolicy,
        *,
        keyring: Keyring,
        anchor: FileAnchor | None,
        settings: RetentionSettings,
        profiles: Profiles,
        exposures: ExposureLog,
        retrain: Retrain,
        trail: AuditTrail,
        clock: Callable[[], datetime],
    ) -> None:
        self._stores = stores
        self._models = models
        self._live = live
        self._policy = policy
        self._keyring = keyring
        self._anchor = anchor
        self._settings = settings
        self._profiles = profiles
        self._exposures = exposures
        self._retrain = retrain
        self._trail = trail
        self._clock = clock

    def export(self, subject: SubjectId, *, actor: Actor = SYSTEM) -> dict[str, Any]:
        """Everything held about a person, as JSON (see ``privacy.export``); audited."""
        self._exposures.flush()
        doc = privacy_export.export(
            subject,
            stores=self._stores,
            keyring=self._keyring,
            signals=self._profiles.profile(subject).signals,
            policy=self._policy,
            retention=self._settings,
            now=self._clock(),
        )
        self._trail.record(Action.SUBJECT_EXPORTED, actor, subject, {"erased": "notice" in doc})
        return doc

    def erase(self, subject: SubjectId, *, actor: Actor = SYSTEM) -> Receipt:
        """Erase a person everywhere, models included, and leave a tombstone."""
        self._exposures.flush()  # queued exposures of the person are written, then erased
        receipt = erasure.erase(
            subject,
            stores=self._stores,
            models=self._models,
            keyring=self._keyring,
            actor=actor,
            now=self._clock(),
        )
        self._live.invalidate()
        return receipt

    def remove_signal(self, subject: SubjectId, kind: str, *, actor: Actor = SYSTEM) -> Correction:
        """Remove an inferred signal so it stops influencing the person (rectification)."""
        done = rectification.remove_signal(subject, kind, stores=self._stores, now=self._clock())
        detail = {"signals_deleted": done.signals_deleted, "events_deleted": done.events_deleted}
        self._trail.record(Action.SIGNAL_CORRECTED, actor, subject, detail)
        return done

    def run_retention(self, *, actor: Actor = SYSTEM) -> RetentionReport:
        """Delete what outlived its TTL; retrain if models learned from deleted events."""
        report = retention.sweep(self._stores, self._settings, now=self._clock())
        if report.touches_training(self._policy) and self._models.versions():
            trained = self._retrain(actor=actor)
            versions = (trained.model_version, trained.fallback_version)
            retention.keep_only(self._models, set(versions))
            self._live.invalidate()
            report = replace(report, models_updated=versions)
        detail = {"deleted": report.deleted, "by_category": report.by_category}
        models = {"models": report.models_updated}
        self._trail.record(Action.RETENTION_RUN, actor, None, detail | models)
        return report

    def verify_audit(self) -> Verdict:
        """Check the whole audit chain and its sealed head, and that it still reaches
        the head anchored outside the database by this host and by every
        other host whose anchor lies beside it (``privacy.audit_anchor``)."""
        chain = Chain(self._keyring)
        log = self._stores.audit
        verdict = verify(log.records(), log.head(), chain)
        for _path, anchored in self._anchor.heads() if self._anchor is not None else ():
            verdict = against_anchor(verdict, anchored, log, chain)  # each host's anchor
        return verdict
