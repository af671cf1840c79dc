"""Model artifacts: plain arrays (``.npz``, loaded with ``allow_pickle=False``) plus a JSON
manifest, kept in a ``ModelStore`` — on disk (``FileModelStore``) or in memory
(``MemoryModelStore``, the twin the contract tests pin down).

A version id is ``<model>-<UTC time>-<6 hex>``, e.g. ``itemknn-20261129T010203Z-3fa2c1``:
sortable by time, and the hex comes from a SHA-256 over the arrays, parameters and manifest
extras, so saving the same model twice in the same second gives the same id. The manifest
keeps the digest of the arrays, so a damaged artifact is caught on load. ``make_scorer``
builds a model from settings; the ``MODELS`` table maps manifest names back to classes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from tactful.errors import InvalidInput, NotFound, StoreError
from tactful.instants import require_aware
from tactful.recommend.blend import Blend
from tactful.recommend.content import Content
from tactful.recommend.ease import EASE
from tactful.recommend.factor import ALS, BPR
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.model import Model
from tactful.recommend.popularity import Popularity
from tactful.settings import RecommendSettings
from tactful.types import Item

FORMAT = 1
MODELS: Mapping[str, type[Model]] = {
    "popularity": Popularity,
    "itemknn": ItemKNN,
    "ease": EASE,
    "als": ALS,
    "bpr": BPR,
    "content": Content,
    "blend": Blend,
}
COLD_START = "cold_start"
_RESERVED = frozenset({"model", "version", "created_at", "data", "parameters", "digest", "format"})
_VERSION = re.compile(r"^(?P<name>[a-z0-9_]+)-(?P<at>\d{8}T\d{6}Z)-[0-9a-f]{6}$")


def model_class(name: str) -> type[Model]:
    """The class that loads artifacts saved under this model name."""
    try:
        return MODELS[name]
    except KeyError:
        raise NotFound(f"unknown model {name!r}; known: {', '.join(MODELS)}") from None


def make_scorer(name: str, settings: RecommendSettings, *, items: Sequence[Item] = ()) -> Model:
    """A fresh, unfitted model of this name with the settings' parameters. ``items`` (the
    catalogue) feeds the content-based models: ``content`` and ``cold_start``."""
    content = settings.cold_start_content_weight
    builders: dict[str, Callable[[], Model]] = {
        "popularity": Popularity,
        "itemknn": lambda: ItemKNN(neighbours=settings.knn_neighbours),
        "ease": lambda: EASE(l2=settings.ease_l2, dtype=settings.ease_dtype),
        "als": lambda: ALS(
            factors=settings.als_factors,
            regularization=settings.als_regularization,
            iterations=settings.als_iterations,
            alpha=settings.als_alpha,
            seed=settings.model_seed,
        ),
        "bpr": lambda: BPR(
            factors=settings.als_factors,
            learning_rate=settings.bpr_learning_rate,
            iterations=settings.bpr_iterations,
            seed=settings.model_seed,
        ),
        "content": lambda: Content(items=items),
        COLD_START: lambda: Blend(
            parts=[(Content(items=items), content), (Popularity(), 1.0 - content)]
        ),
    }
    if name not in builders:
        raise InvalidInput(
            f"unknown model {name!r}; expected one of {', '.join(builders)}", field="model"
        )
    return builders[name]()


def _utc(now: datetime) -> datetime:
    return require_aware(now, "now").astimezone(UTC)


def digest(name: str, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any]) -> str:
    """SHA-256 over the model name, every array (name, dtype, shape, bytes) and parameters."""
    h = hashlib.sha256(name.encode())
    for key in sorted(arrays):
        a = np.ascontiguousarray(arrays[key])
        h.update(f"|{key}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


def package(
    model: Model, manifest_extra: Mapping[str, Any] | None, now: datetime
) -> tuple[str, dict[str, np.ndarray], dict[str, Any]]:
    """The version id, arrays and manifest of a fitted model."""
    extra = dict(manifest_extra or {})
    clash = sorted(_RESERVED & set(extra))
    if clash:
        raise InvalidInput(f"manifest keys {clash} are reserved", field="manifest_extra")
    try:
        extra_json = json.dumps(extra, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"manifest extras must be JSON: {exc}", field="manifest_extra") from None
    at = _utc(now)
    arrays, params = model.to_arrays()
    full = digest(model.name, arrays, params)
    suffix = hashlib.sha256(f"{full}|{extra_json}".encode()).hexdigest()[:6]
    version = f"{model.name}-{at:%Y%m%dT%H%M%SZ}-{suffix}"
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "model": model.name,
        "version": version,
        "created_at": at.isoformat(),
        "data": model.counts_,
        "parameters": params,
        "digest": full,
        "metrics": None,
        **extra,
    }
    return version, arrays, manifest


def unpackage(arrays: Mapping[str, np.ndarray], manifest: Mapping[str, Any]) -> Model:
    """Rebuild a model from its arrays, checking them against the manifest's digest."""
    name, params = str(manifest["model"]), manifest["parameters"]
    if digest(name, arrays, params) != manifest["digest"]:
        raise StoreError(f"model artifact {manifest['version']} is damaged (digest mismatch)")
    return model_class(name).from_arrays(arrays, params)


def _sorted(versions: Sequence[str], name: str | None) -> list[str]:
    """Versions of this model (or all), oldest first: by time, then in the order given
    (the order they were saved in; two trainings can share a second)."""
    keyed = []
    for v in versions:
        m = _VERSION.match(v)
        if m and (name is None or m["name"] == name):
            keyed.append((m["at"], v))
    return [v for _, v in sorted(keyed, key=lambda pair: pair[0])]


class ModelStore(Protocol):
    def save(
        self, model: Model, manifest_extra: Mapping[str, Any] | None = None, *, now: datetime
    ) -> str:
        """Store a fitted model; returns its version id."""
        ...

    def load(self, version: str) -> tuple[Model, dict[str, Any]]:
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


class MemoryModelStore:
    """The in-memory twin: artifacts are kept as arrays and rebuilt on every load."""

    def __init__(self) -> None:
        self._saved: dict[str, tuple[dict[str, np.ndarray], dict[str, Any]]] = {}

    def save(
        self, model: Model, manifest_extra: Mapping[str, Any] | None = None, *, now: datetime
    ) -> str:
        version, arrays, manifest = package(model, manifest_extra, now)
        copies = {k: np.array(v, copy=True) for k, v in arrays.items()}
        self._saved[version] = (copies, json.loads(json.dumps(manifest)))
        return version

    def load(self, version: str) -> tuple[Model, dict[str, Any]]:
        if version not in self._saved:
            raise NotFound(f"no model version {version!r}")
        arrays, manifest = self._saved[version]
        return unpackage(arrays, manifest), json.loads(json.dumps(manifest))

    def latest(self, name: str | None = None) -> str | None:
        found = self.versions(name)
        return found[-1] if found else None

    def versions(self, name: str | None = None) -> list[str]:
        return _sorted(list(self._saved), name)

    def delete(self, version: str) -> bool:
        return self._saved.pop(version, None) is not None


class FileModelStore:
    """``<directory>/<version>.npz`` and ``<version>.json``; the manifest is written last,
    so a version exists only once both files are complete."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def _paths(self, version: str) -> tuple[Path, Path]:
        if not _VERSION.match(version):
            raise NotFound(f"no model version {version!r}")
        return self.directory / f"{version}.npz", self.directory / f"{version}.json"

    def save(
        self, model: Model, manifest_extra: Mapping[str, Any] | None = None, *, now: datetime
    ) -> str:
        version, arrays, manifest = package(model, manifest_extra, now)
        npz, meta = self._paths(version)
        if meta.exists():
            return version
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            buffer = io.BytesIO()
            savez: Callable[..., None] = np.savez  # keyword names are the array names
            savez(buffer, **arrays)
            _write(npz, buffer.getvalue())
            _write(meta, json.dumps(manifest, indent=2, sort_keys=True).encode())
        except OSError as exc:
            raise StoreError(f"cannot write model {version}: {exc}") from exc
        return version

    def load(self, version: str) -> tuple[Model, dict[str, Any]]:
        npz, meta = self._paths(version)
        if not meta.exists():
            raise NotFound(f"no model version {version!r}")
        try:
            manifest = json.loads(meta.read_text(encoding="utf-8"))
            with np.load(npz, allow_pickle=False) as stored:
                arrays = {key: stored[key] for key in stored.files}
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read model {version}: {exc}") from exc
        return unpackage(arrays, manifest), manifest

    def latest(self, name: str | None = None) -> str | None:
        found = self.versions(name)
        return found[-1] if found else None

    def versions(self, name: str | None = None) -> list[str]:
        if not self.directory.is_dir():
            return []
        saved = sorted(self.directory.glob("*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name))
        return _sorted([p.stem for p in saved], name)

    def delete(self, version: str) -> bool:
        npz, meta = self._paths(version)
        existed = meta.exists()
        meta.unlink(missing_ok=True)
        npz.unlink(missing_ok=True)
        return existed


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so readers never see half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
