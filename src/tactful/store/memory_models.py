"""The in-memory twin of ``ModelStore``: artifacts are kept as copied arrays and a JSON
round-tripped manifest, and rebuilt by the codec on every load, as a file store would."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Generic

import numpy as np

from tactful.errors import NotFound
from tactful.store.ports_models import M, ModelCodec, sorted_versions


class MemoryModelStore(Generic[M]):
    def __init__(self, codec: ModelCodec[M]) -> None:
        self._codec = codec
        self._saved: dict[str, tuple[dict[str, np.ndarray], dict[str, Any]]] = {}

    def save(
        self, model: M, manifest_extra: Mapping[str, Any] | None = None, *, now: datetime
    ) -> str:
        version, arrays, manifest = self._codec.pack(model, manifest_extra, now)
        copies = {k: np.array(v, copy=True) for k, v in arrays.items()}
        self._saved[version] = (copies, json.loads(json.dumps(manifest)))
        return version

    def load(self, version: str) -> tuple[M, dict[str, Any]]:
        if version not in self._saved:
            raise NotFound(f"no model version {version!r}")
        arrays, manifest = self._saved[version]
        return self._codec.unpack(arrays, manifest), json.loads(json.dumps(manifest))

    def latest(self, name: str | None = None) -> str | None:
        found = self.versions(name)
        return found[-1] if found else None

    def versions(self, name: str | None = None) -> list[str]:
        return sorted_versions(list(self._saved), name)

    def delete(self, version: str) -> bool:
        return self._saved.pop(version, None) is not None
