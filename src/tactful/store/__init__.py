"""Storage ports (small Protocols) and the in-memory twin; SQL adapters live in ``tactful.sql``."""

from tactful.store.memory import MemoryStores
from tactful.store.memory_models import MemoryModelStore
from tactful.store.ports import (
    AddResult,
    ConsentStore,
    EventStore,
    ExposureStore,
    ItemStore,
    KeyStore,
    PreferenceStore,
    Stores,
)
from tactful.store.ports_models import ModelCodec, ModelStore

__all__ = [
    "AddResult",
    "ConsentStore",
    "EventStore",
    "ExposureStore",
    "ItemStore",
    "KeyStore",
    "MemoryModelStore",
    "MemoryStores",
    "ModelCodec",
    "ModelStore",
    "PreferenceStore",
    "Stores",
]
