"""Rectification of inferences: a person removes an inferred signal and it stops
influencing them.

- Interests and values are computed from behaviour whenever they are read, so removing one
  stores a correction (the same kind, value 0, under ``personalization``): a stored signal
  wins over a computed one, and a zero interest explains, lifts and matches nothing.
- Stored inferences (mood, distress, life events) are deleted together with the texts they
  were read from (their evidence), so the next re-derivation cannot bring them back.

Preferences and other declared data are corrected by replacing them (``PUT .../preferences``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tactful.errors import NotFound
from tactful.signals.profile import INTEREST, VALUE
from tactful.store.consented import put_consented
from tactful.store.ports import Stores
from tactful.types import Purpose, Signal, SubjectId

COMPUTED = (INTEREST, VALUE)
"""Kinds computed from behaviour that a person can correct."""


@dataclass(frozen=True, slots=True)
class Correction:
    kind: str
    signals_deleted: int
    events_deleted: int
    corrected: bool
    """Whether a zero-valued correction now overrides the computed value."""


def remove_signal(subject: SubjectId, kind: str, *, stores: Stores, now: datetime) -> Correction:
    """Delete a stored inference (and its evidence) or override a computed one; an unknown
    kind that is not computed is ``NotFound``."""
    stored = [s for s in stores.signals.for_subject(subject) if s.kind == kind]
    computed = any(kind.startswith(p) and len(kind) > len(p) for p in COMPUTED)
    if not stored and not computed:
        raise NotFound(f"no signal {kind!r} for this person", field="signal")
    evidence = {eid for s in stored if not s.kind.startswith(COMPUTED) for eid in s.evidence}
    events = stores.events.delete_ids(subject, evidence) if evidence else 0
    deleted = stores.signals.delete(subject, kinds=[kind])
    corrected = computed and bool(
        put_consented(
            stores.signals,
            [Signal(subject, kind, 0.0, Purpose.PERSONALIZATION, now, detail={"corrected": True})],
        )
    )  # without personalization nothing is computed, and a withdrawal deletes the override
    return Correction(kind, deleted, events, corrected)
