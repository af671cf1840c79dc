"""Model artifacts: plain arrays (``.npz``, loaded with ``allow_pickle=False``) plus a JSON
manifest — the codec for Tactful's models and the file-backed ``ModelStore``.

The version id's hex comes from a SHA-256 over the arrays, parameters and manifest extras,
so saving the same model twice in the same second gives the same id. The manifest keeps the
digest of the arrays, so a damaged artifact is caught on load. The port and its in-memory
twin live in ``tactful.store`` (``ModelStore``, ``MemoryModelStore(CODEC)``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from tactful.errors import InvalidInput, NotFound, StoreError
from tactful.instants import require_aware
from tactful.recommend.model import Model
from tactful.recommend.registry import model_class
from tactful.store.memory_models import MemoryModelStore
from tactful.store.ports_models import VERSION, sorted_versions

FORMAT = 1
_RESERVED = frozenset({"model", "version", "created_at", "data", "parameters", "digest", "format"})


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


class Codec:
    """``ModelCodec[Model]`` for every model in the registry."""

    def pack(
        self, model: Model, manifest_extra: Mapping[str, Any] | None, now: datetime
    ) -> tuple[str, dict[str, np.ndarray], dict[str, Any]]:
        return package(model, manifest_extra, now)

    def unpack(self, arrays: Mapping[str, np.ndarray], manifest: Mapping[str, Any]) -> Model:
        return unpackage(arrays, manifest)


CODEC = Codec()


def memory_models() -> MemoryModelStore[Model]:
    """An in-memory model store for Tactful's models (tests, the simulator)."""
    return MemoryModelStore(CODEC)


class FileModelStore:
    """``<directory>/<version>.npz`` and ``<version>.json``; the manifest is written last,
    so a version exists only once both files are complete."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def _paths(self, version: str) -> tuple[Path, Path]:
        if not VERSION.match(version):
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
        return sorted_versions([p.stem for p in saved], name)

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
