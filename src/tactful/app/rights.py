"""Privacy rights: the audit log, export, erasure, rectification, retention, subject tokens,
and what consent decisions mean for data already held."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace as dc_replace
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tactful.app.exposures import ExposureLog
from tactful.app.live import LiveModels
from tactful.app.training import TrainReport
from tactful.consent.policy import ConsentPolicy
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
from tactful.recommend.model import Model
from tactful.settings import Settings
from tactful.signals.profile import Profile
from tactful.store import ModelStore
from tactful.store.ports import AuditEntry, Stores
from tactful.types import ConsentRecord, Decision, Purpose, Scope, SubjectId


class RightsMixin:
    """Privacy use cases for ``tactful.app.Tactful``."""

    settings: Settings
    stores: Stores
    models: ModelStore[Model]
    clock: Callable[[], datetime]
    policy: ConsentPolicy
    live: LiveModels
    exposures: ExposureLog

    if TYPE_CHECKING:

        def profile(self, subject: SubjectId) -> Profile: ...

        def train(self, *, actor: Actor = SYSTEM) -> TrainReport: ...

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
