"""Curate: guards over the scored list, run as a plain list (see ``pipeline``)."""

from tactful.curate.context import Context, keep
from tactful.curate.guards import REGISTRY, Guard
from tactful.curate.pipeline import Curated, build_pipeline, curate

__all__ = ["REGISTRY", "Context", "Curated", "Guard", "build_pipeline", "curate", "keep"]
