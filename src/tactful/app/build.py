"""The one place the application is composed: ``build(settings, stores, models, clock)``
creates each service with only the ports, settings and collaborators it needs, and wires
the reactions across areas (after ingest; after consent decisions; after an outcome)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tactful.app.access import Access
from tactful.app.arrivals import NewArrivals
from tactful.app.cache import ServingCache
from tactful.app.catalogue import Catalogue
from tactful.app.center import PreferenceCenter
from tactful.app.communities import Communities
from tactful.app.consents import Consents
from tactful.app.console import Console
from tactful.app.contact import Contact
from tactful.app.exposures import ExposureLog
from tactful.app.handoffs import Handoffs
from tactful.app.ingestion import Ingestion
from tactful.app.insights import Insights
from tactful.app.jobs import InlineRunner, JobRunner, ThreadRunner
from tactful.app.live import LiveModels
from tactful.app.profiles import Profiles
from tactful.app.recommendations import Recommendations
from tactful.app.requests import StatedRequests
from tactful.app.rights import Rights, Tombstones, Withdrawals
from tactful.app.trail import AuditTrail
from tactful.app.training import Training, engine_for
from tactful.app.training_jobs import TrainingJobs
from tactful.consent.policy import ConsentPolicy
from tactful.curate import build_pipeline
from tactful.privacy.anchor import FileAnchor, host_name
from tactful.privacy.keyring import Keyring
from tactful.recommend.model import Model
from tactful.settings import Settings
from tactful.store import ModelStore
from tactful.store.ports import Stores


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True, eq=False)
class Tactful:
    """The application: a plain holder of its services (see docs/architecture.md)."""

    settings: Settings
    stores: Stores
    clock: Callable[[], datetime]
    access: Access
    catalogue: Catalogue
    ingestion: Ingestion
    consents: Consents
    profiles: Profiles
    recommendations: Recommendations
    training: Training
    training_jobs: TrainingJobs
    """Training as background jobs (the REST API); ``training.train`` runs it at once."""
    rights: Rights
    contact: Contact
    handoffs: Handoffs
    requests: StatedRequests
    """Requests stated in words: in force, and their undo."""
    communities: Communities
    """Communities operators define and people join (docs/communities.md)."""
    center: PreferenceCenter
    """The person's own page (``/me``) over the services above."""
    insights: Insights
    """Connection health, fairness and alerts (docs/insights.md)."""
    console: Console
    """The operator console's own reads (``/console``, docs/console.md)."""
    exposures: ExposureLog
    live: LiveModels
    """The models each worker serves (loaded once, swapped when a newer one is saved)."""
    models: ModelStore[Model]
    """The saved model artifacts."""
    keyring: Keyring
    policy: ConsentPolicy

    def close(self) -> None:
        """Stop a running training job (waiting a little), write queued exposures and close
        the stores."""
        self.training_jobs.close()
        self.exposures.close()
        self.stores.close()


def audit_anchor(settings: Settings) -> FileAnchor:
    """Where the audit chain is anchored outside the database (``privacy.audit_anchor``)."""
    chosen = settings.privacy.audit_anchor
    if chosen:
        return FileAnchor(Path(chosen))
    # One file per host in a model_dir several hosts may share; verify reads them all.
    folder = settings.model_dir / "audit"
    return FileAnchor(folder / f"anchor-{host_name()}.json", peers="anchor*.json")


def worker_name() -> str:
    """This worker, as job records name it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def build(
    settings: Settings,
    stores: Stores,
    models: ModelStore[Model],
    clock: Callable[[], datetime] = utcnow,
    *,
    policy: ConsentPolicy | None = None,
    background: bool = False,
    runner: JobRunner | None = None,
    anchor: FileAnchor | None = None,
) -> Tactful:
    """Compose the services over one set of stores (``anchor``: where the audit chain is
    anchored outside them; ``open_app`` passes ``audit_anchor(settings)``). ``background``
    starts the exposure writer thread and runs training jobs in threads (servers);
    otherwise exposures are written as they are logged and a training job runs when
    started (``InlineRunner``), unless another ``runner`` is given."""
    policy = policy or ConsentPolicy()
    keyring = Keyring(settings.secret_key.get_secret_value())
    trail = AuditTrail(stores.audit, keyring, anchor=anchor, clock=clock)
    live = LiveModels(models)
    catalogue = Catalogue(stores.items, clock=clock)
    exposures = ExposureLog(stores.exposures, interval=settings.exposure_flush_seconds)
    if background:
        exposures.start()
    guards = build_pipeline(settings.guards.order)
    cache = ServingCache(
        size=settings.recommend.cache_size, seconds=settings.recommend.cache_seconds, guards=guards
    )
    requests = StatedRequests(stores, trail=trail, clock=clock)
    profiles = Profiles(stores, catalogue, policy, settings, clock=clock, requests=requests)
    handoffs = Handoffs(stores, settings, clock=clock)
    tombstones = Tombstones(stores, keyring)
    contact = Contact(
        stores,
        catalogue,
        policy,
        settings,
        after_outcome=handoffs.review,
        erased=tombstones.erased,
        clock=clock,
    )
    training = Training(
        stores,
        models,
        live,
        policy,
        settings.recommend,
        trail=trail,
        clock=clock,
        engine=engine_for(settings.training),
    )
    withdrawals = Withdrawals(stores, models, live, policy, keyring, trail=trail, clock=clock)
    access = Access(
        stores.keys,
        keyring,
        trail,
        settings.privacy,
        key_cache_seconds=settings.key_cache_seconds,
        clock=clock,
    )
    ingestion = Ingestion(
        stores.events,
        stores.consents,
        stores.items,
        policy,
        accept_unknown_items=settings.ingest.accept_unknown_items,
        erased=tombstones.erased,
        after=(profiles.refresh, handoffs.after_ingest, contact.after_ingest),
        max_batch=settings.max_batch_events,
        future_tolerance=timedelta(seconds=settings.future_tolerance_seconds),
        clock=clock,
    )
    communities = Communities(stores, catalogue.current, policy, settings, clock=clock, trail=trail)
    consents = Consents(
        stores.consents,
        stores.preferences,
        after=withdrawals,
        erased=tombstones.erased,
        clock=clock,
    )
    recommendations = Recommendations(
        stores,
        live,
        catalogue,
        policy,
        settings,
        guards=guards,
        cache=cache,
        exposures=exposures,
        arrivals=NewArrivals(catalogue, live, settings.recommend),
        clock=clock,
        communities=communities.evidence_for,
    )
    training_jobs = TrainingJobs(
        training,
        runner or (ThreadRunner() if background else InlineRunner()),
        stores.jobs,
        clock=clock,
        owner=worker_name(),
    )
    rights = Rights(
        stores,
        models,
        live,
        policy,
        keyring=keyring,
        anchor=anchor,
        settings=settings.retention,
        profiles=profiles,
        exposures=exposures,
        retrain=training.train,
        trail=trail,
        clock=clock,
    )
    center = PreferenceCenter(
        stores=stores,
        catalogue=catalogue,
        consents=consents,
        profiles=profiles,
        recommendations=recommendations,
        contact=contact,
        rights=rights,
        ingestion=ingestion,
        requests=requests,
        clock=clock,
        communities=communities,
    )
    insights = Insights(stores, settings, clock=clock, before_read=exposures.flush)
    console = Console(
        stores, models, live, rights=rights, trail=trail, settings=settings, clock=clock
    )
    return Tactful(
        settings=settings,
        stores=stores,
        clock=clock,
        access=access,
        catalogue=catalogue,
        ingestion=ingestion,
        consents=consents,
        profiles=profiles,
        recommendations=recommendations,
        training=training,
        training_jobs=training_jobs,
        rights=rights,
        contact=contact,
        handoffs=handoffs,
        requests=requests,
        communities=communities,
        center=center,
        insights=insights,
        console=console,
        exposures=exposures,
        live=live,
        models=models,
        keyring=keyring,
        policy=policy,
    )
