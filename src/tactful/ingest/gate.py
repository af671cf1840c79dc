"""The consent gate: an event is kept only if a purpose the subject granted may use its
data category; otherwise it is rejected with the purpose it would need."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tactful.consent.ledger import granted_purposes
from tactful.consent.policy import ConsentPolicy, category_of
from tactful.types import Decision, Event, Purpose, SubjectId


@dataclass(frozen=True, slots=True)
class GateResult:
    allowed: tuple[Event, ...]
    rejected: tuple[tuple[Event, str], ...]


def gate(
    events: Sequence[Event],
    consents: Mapping[SubjectId, Mapping[Purpose, Decision]],
    policy: ConsentPolicy,
) -> GateResult:
    """Split events into those a granted purpose covers and those rejected with a reason
    ``consent_required:<purpose>``."""
    allowed: list[Event] = []
    rejected: list[tuple[Event, str]] = []
    granted_cache: dict[SubjectId, frozenset[Purpose]] = {}
    for e in events:
        granted = granted_cache.get(e.subject_id)
        if granted is None:
            granted = granted_purposes(consents.get(e.subject_id, {}))
            granted_cache[e.subject_id] = granted
        category = category_of(e.type)
        if policy.covering_purpose(category, granted) is not None:
            allowed.append(e)
        else:
            needed = policy.required_purpose(category)
            rejected.append((e, f"consent_required:{needed.value if needed else 'none'}"))
    return GateResult(tuple(allowed), tuple(rejected))
