"""The consent ledger: an append-only history per subject and purpose.

The current state is a fold over the history (latest decision wins, ties broken by order of
recording), so withdrawal is simply a newer ``denied`` record and takes effect everywhere the
state is read. Absent history means ``unset``, and unset means no.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from tactful.errors import InvalidInput
from tactful.instants import require_aware
from tactful.types import ConsentRecord, Decision, Purpose, SubjectId


def fold(history: Iterable[ConsentRecord]) -> dict[Purpose, Decision]:
    """Current decision per purpose; every purpose appears, unset unless recorded."""
    state = dict.fromkeys(Purpose, Decision.UNSET)
    latest: dict[Purpose, datetime] = {}
    for rec in history:
        seen = latest.get(rec.purpose)
        if seen is None or rec.at >= seen:
            latest[rec.purpose] = rec.at
            state[rec.purpose] = rec.decision
    return state


def current(history: Iterable[ConsentRecord]) -> Mapping[Purpose, Decision]:
    """Alias of :func:`fold` that reads better at call sites."""
    return fold(history)


def granted_purposes(state: Mapping[Purpose, Decision]) -> frozenset[Purpose]:
    return frozenset(p for p, d in state.items() if d is Decision.GRANTED)


def is_granted(state: Mapping[Purpose, Decision], purpose: Purpose) -> bool:
    return state.get(purpose, Decision.UNSET) is Decision.GRANTED


def record(
    subject: SubjectId,
    purpose: str,
    decision: str,
    *,
    at: datetime,
    source: str = "api",
    policy_version: str = "1",
    index: int | None = None,
) -> ConsentRecord:
    """Build a validated consent record; bad values raise ``InvalidInput`` naming the field."""
    where = "" if index is None else f"decisions[{index}]."
    try:
        p = Purpose(purpose)
    except ValueError:
        names = ", ".join(x.value for x in Purpose)
        raise InvalidInput(
            f"unknown purpose {purpose!r}; expected one of {names}", field=f"{where}purpose"
        ) from None
    try:
        d = Decision(decision)
    except ValueError:
        raise InvalidInput(
            f"unknown decision {decision!r}; expected granted or denied",
            field=f"{where}decision",
        ) from None
    if d is Decision.UNSET:
        raise InvalidInput(
            "a decision is recorded as granted or denied; to withdraw, record denied",
            field=f"{where}decision",
        )
    require_aware(at, f"{where}at")
    return ConsentRecord(subject, p, d, at, source or "api", policy_version or "1")
