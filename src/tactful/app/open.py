"""Opening the application from settings: the edge where adapters are chosen."""

from __future__ import annotations

from tactful.app.build import Tactful, build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings


def open_app(settings: Settings, *, background: bool = False) -> Tactful:
    """SQL stores at ``settings.database_url`` (migrated) and models in ``model_dir``."""
    from tactful.sql import open_stores

    stores = open_stores(settings.database_url)
    return build(settings, stores, FileModelStore(settings.model_dir), background=background)
