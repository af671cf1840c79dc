"""The in-memory twin of the signal store: derived signals keyed by (subject, kind)."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from datetime import datetime

from tactful.errors import InvalidInput
from tactful.instants import require_aware
from tactful.store.memory_records import StampBook
from tactful.store.ports import Admit, ConsentState
from tactful.types import Purpose, Signal, SubjectId


def _check_signals(signals: Sequence[Signal], field: str = "signals") -> None:
    for i, sig in enumerate(signals):
        if not sig.kind:
            raise InvalidInput("a signal needs a kind", field=f"{field}[{i}].kind")
        require_aware(sig.created_at, f"{field}[{i}].created_at")
        if sig.expires_at is not None:
            require_aware(sig.expires_at, f"{field}[{i}].expires_at")


class MemorySignalStore:
    """Signals keyed by (subject, kind); a put replaces the kind's previous value."""

    def __init__(
        self,
        lock: threading.RLock,
        stamps: StampBook,
        consents: Callable[[Collection[SubjectId]], ConsentState],
    ) -> None:
        self._lock = lock
        self._stamps = stamps
        self._consents = consents
        self._rows: dict[SubjectId, dict[str, Signal]] = defaultdict(dict)

    def put(self, signals: Sequence[Signal], *, admit: Admit[Signal] | None = None) -> int:
        _check_signals(signals)
        with self._lock:  # the one lock: no consent change can land while admit decides
            if admit is not None:
                signals = list(admit(self._consents({s.subject_id for s in signals})))
            for sig in signals:
                self._rows[sig.subject_id][sig.kind] = sig
            self._stamps.written(s.subject_id for s in signals)
            return len({(s.subject_id, s.kind) for s in signals})

    def for_subject(self, subject: SubjectId, *, now: datetime | None = None) -> list[Signal]:
        with self._lock:
            rows = list(self._rows.get(subject, {}).values())
        live = [s for s in rows if now is None or s.expires_at is None or s.expires_at > now]
        return sorted(live, key=lambda s: s.kind)

    def delete(
        self,
        subject: SubjectId,
        *,
        kinds: Collection[str] | None = None,
        purpose: Purpose | None = None,
    ) -> int:
        with self._lock:
            rows = self._rows.get(subject, {})
            doomed = [
                k
                for k, s in rows.items()
                if (kinds is None or k in kinds) and (purpose is None or s.purpose is purpose)
            ]
            for k in doomed:
                del rows[k]
            if doomed:
                self._stamps.removed([subject])
            return len(doomed)

    def purge(self, *, before: datetime) -> int:
        with self._lock:
            gone = 0
            for subject, rows in self._rows.items():
                doomed = [k for k, s in rows.items() if s.expires_at and s.expires_at < before]
                for k in doomed:
                    del rows[k]
                if doomed:
                    self._stamps.removed([subject])
                gone += len(doomed)
            return gone

    def replace(
        self,
        subject: SubjectId,
        purpose: Purpose,
        signals: Sequence[Signal],
        *,
        admit: Admit[Signal] | None = None,
    ) -> int:
        _check_signals(signals)
        for i, sig in enumerate(signals):
            if sig.subject_id != subject or sig.purpose is not purpose:
                raise InvalidInput(
                    f"every signal must be {subject!r}'s, derived under {purpose.value}",
                    field=f"signals[{i}]",
                )
        with self._lock:  # the one lock: no consent change can land while admit decides
            if admit is not None:
                signals = admit(self._consents([subject]))
            deleted = self.delete(subject, purpose=purpose)
            self.put(signals)
            return deleted

    def erase_subject(self, subject: SubjectId) -> int:
        with self._lock:
            self._stamps.removed([subject])
            return len(self._rows.pop(subject, {}))
