"""Curate: guards over the scored list, run as a plain list (see ``pipeline``)."""

from tactful.curate.context import Context, keep
from tactful.curate.guard import Guard, Input
from tactful.curate.guards import REGISTRY
from tactful.curate.pipeline import Curated, build_pipeline, curate

__all__ = [
    "REGISTRY",
    "Context",
    "Curated",
    "Guard",
    "Input",
    "build_pipeline",
    "curate",
    "keep",
]
