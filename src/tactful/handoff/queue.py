"""The hand-off queue as agents use it: list cases, read one, claim it, resolve it.

State changes are compare-and-set on the stored status, so two agents claiming the same
case at once get one success and one ``Conflict``, never two owners.
"""

from __future__ import annotations

from datetime import datetime

from tactful.errors import Conflict, InvalidInput, NotFound
from tactful.handoff.case import claim, resolve
from tactful.records import Case, CaseStatus
from tactful.store.ports import HandoffStore

MAX_LIST = 1000


def case_of(store: HandoffStore, case_id: str) -> Case:
    found = store.get(case_id)
    if found is None:
        raise NotFound(f"no hand-off case {case_id!r}", field="case_id")
    return found


def cases(store: HandoffStore, status: str | None = None, *, limit: int = 100) -> list[Case]:
    """Cases of one status (or all), oldest opened first."""
    if not 1 <= limit <= MAX_LIST:
        raise InvalidInput(f"must be between 1 and {MAX_LIST}", field="limit")
    try:
        wanted = None if status is None else CaseStatus(status)
    except ValueError:
        names = ", ".join(s.value for s in CaseStatus)
        raise InvalidInput(f"unknown status {status!r}; expected {names}", field="status") from None
    return store.by_status(wanted, limit=limit)


def _save(store: HandoffStore, before: Case, after: Case) -> Case:
    if after == before:
        return before
    if not store.update(after, expected=before.status):
        raise Conflict(f"case {before.case_id} changed meanwhile; read it again", field="case_id")
    return after


def claim_case(store: HandoffStore, case_id: str, agent: str, *, now: datetime) -> Case:
    case = case_of(store, case_id)
    return _save(store, case, claim(case, agent, now=now))


def resolve_case(
    store: HandoffStore, case_id: str, outcome: str, *, now: datetime, agent: str | None = None
) -> Case:
    case = case_of(store, case_id)
    return _save(store, case, resolve(case, outcome, now=now, agent=agent))
