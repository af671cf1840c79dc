"""The model-artifact port: fitted models kept as plain arrays plus a JSON manifest.

The store knows nothing of model classes: it is generic over the model type ``M`` and keeps
what a ``ModelCodec[M]`` packs (``tactful.recommend.artifacts.CODEC`` for Tactful's models).
A version id is ``<model>-<UTC time>-<6 hex>``, e.g. ``itemknn-20261129T010203Z-3fa2c1``:
sortable by time; the codec chooses the hex.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

import numpy as np

M = TypeVar("M")

VERSION = re.compile(r"^(?P<name>[a-z0-9_]+)-(?P<at>\d{8}T\d{6}Z)-[0-9a-f]{6}$")
"""The shape of a version id; anything else is no version (``NotFound`` on load)."""


def sorted_versions(versions: Sequence[str], name: str | None) -> list[str]:
    """Versions of this model (or all), oldest first: by time, then in the order given
    (the order they were saved in; two trainings can share a second)."""
    keyed = []
    for v in versions:
        m = VERSION.match(v)
        if m and (name is None or m["name"] == name):
            keyed.append((m["at"], v))
    return [v for _, v in sorted(keyed, key=lambda pair: pair[0])]


class ModelCodec(Protocol[M]):
    """Turns a fitted model into its version id, arrays and manifest, and back."""

    def pack(
        self, model: M, manifest_extra: Mapping[str, Any] | None, now: datetime
    ) -> tuple[str, dict[str, np.ndarray], dict[str, Any]]: ...

    def unpack(self, arrays: Mapping[str, np.ndarray], manifest: Mapping[str, Any]) -> M: ...


class ModelStore(Protocol[M]):
    def save(
        self, model: M, manifest_extra: Mapping[str, Any] | None = None, *, now: datetime
    ) -> str:
        """Store a fitted model; returns its version id."""
        ...

    def load(self, version: str) -> tuple[M, dict[str, Any]]:
        """The model and its manifest; ``NotFound`` if there is no such version."""
        ...

    def latest(self, name: str | None = None) -> str | None:
        """The newest version (of this model name), or None."""
        ...

    def versions(self, name: str | None = None) -> list[str]:
        """Every version (of this model name), oldest first."""
        ...

    def delete(self, version: str) -> bool:
        """Remove a version (e.g. one that still holds an erased subject's rows)."""
        ...
