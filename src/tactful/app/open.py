"""Opening the application from settings: the edge where adapters are chosen."""

from __future__ import annotations

from tactful.app.build import Tactful, audit_anchor, build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings


def open_app(settings: Settings, *, background: bool = False) -> Tactful:
    """SQL stores at ``settings.database_url`` (migrated), models in ``model_dir``, and the
    audit chain anchored at ``privacy.audit_anchor``."""
    from tactful.sql import open_stores

    stores = open_stores(settings.database_url, sqlite_cache_mib=settings.sqlite_cache_mib)
    models = FileModelStore(settings.model_dir)
    anchor = audit_anchor(settings)
    return build(settings, stores, models, background=background, anchor=anchor)
