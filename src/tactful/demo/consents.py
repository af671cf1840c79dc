"""Consent histories of the demo customers: decisions at signup (most grant personalization,
fewer messaging or emotional context, few location or social), and a few later changes of
mind, so the ledger has history to fold."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType

import numpy as np

from tactful.demo.people import FloatArray, Person
from tactful.types import ConsentRecord, Decision, Purpose

POLICY_VERSION = "2026-01"

# (share granting, share denying) at signup; the rest leave the purpose undecided.
SIGNUP_RATES: Mapping[Purpose, tuple[float, float]] = MappingProxyType(
    {
        Purpose.PERSONALIZATION: (0.89, 0.08),
        Purpose.MESSAGING: (0.62, 0.25),
        Purpose.EMOTIONAL_CONTEXT: (0.41, 0.30),
        Purpose.LOCATION: (0.10, 0.45),
        Purpose.SOCIAL: (0.08, 0.45),
        Purpose.COMMUNITY: (0.12, 0.35),
        Purpose.ANALYTICS: (0.55, 0.20),
    }
)
_WARY = 0.5  # who denies personalization grants everything else half as often
_WITHDRAW_MESSAGING = 0.04
_LATE_EMOTIONAL_GRANT = 0.10


def decide(
    rng: np.random.Generator, people: tuple[Person, ...], *, start: datetime, now: datetime
) -> list[ConsentRecord]:
    """Every customer's consent history, oldest first per person; none for the undecided.
    Signup decisions come the moment they joined, before any of their events."""
    records: list[ConsentRecord] = []
    for person in people:
        u = rng.random(len(SIGNUP_RATES) + 2)
        if not person.decided:
            continue
        signup = signed_up(person, u[: len(SIGNUP_RATES)])
        records.extend(signup)
        state = {r.purpose: r.decision for r in signup}
        earliest = max(person.joined, start) + timedelta(days=1)
        at = earliest + (now - timedelta(hours=1) - earliest) * float(u[-1])
        if state.get(Purpose.MESSAGING) is Decision.GRANTED and u[-2] < _WITHDRAW_MESSAGING:
            records.append(_record(person, Purpose.MESSAGING, Decision.DENIED, at, "preferences"))
        elif Purpose.EMOTIONAL_CONTEXT not in state and u[-2] < _LATE_EMOTIONAL_GRANT:
            records.append(
                _record(person, Purpose.EMOTIONAL_CONTEXT, Decision.GRANTED, at, "preferences")
            )
    return records


def signed_up(person: Person, u: FloatArray) -> list[ConsentRecord]:
    """The decisions taken at signup from uniform draws ``u`` (one per purpose)."""
    out: list[ConsentRecord] = []
    wary = False
    for k, (purpose, (grant, deny)) in enumerate(SIGNUP_RATES.items()):
        granting = grant * _WARY if wary else grant
        if u[k] < granting:
            decision = Decision.GRANTED
        elif u[k] < granting + deny:
            decision = Decision.DENIED
        else:
            continue
        wary = wary or (purpose is Purpose.PERSONALIZATION and decision is Decision.DENIED)
        out.append(_record(person, purpose, decision, person.joined + timedelta(seconds=k)))
    return out


def _record(
    person: Person, purpose: Purpose, decision: Decision, at: datetime, source: str = "signup"
) -> ConsentRecord:
    return ConsentRecord(person.subject_id, purpose, decision, at, source, POLICY_VERSION)
