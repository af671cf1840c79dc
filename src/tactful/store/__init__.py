"""Storage ports (small Protocols) and the in-memory twin; SQL adapters live in ``tactful.sql``."""

from tactful.store.memory import MemoryStores
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

__all__ = [
    "AddResult",
    "ConsentStore",
    "EventStore",
    "ExposureStore",
    "ItemStore",
    "KeyStore",
    "MemoryStores",
    "PreferenceStore",
    "Stores",
]
