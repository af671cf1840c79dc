"""Consent over what the stores read and write: the adapters return a person's rows as
stored, and this is the one place that decides what a purpose may see of them, and which
derived signals may be written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import overload

from tactful.consent.ledger import is_granted
from tactful.store.ports import ConsentState, ContactView, SignalStore, SubjectView
from tactful.types import Purpose, Signal, SubjectId


@overload
def consented_view(view: SubjectView, purpose: Purpose) -> SubjectView: ...


@overload
def consented_view(view: ContactView, purpose: Purpose) -> ContactView: ...


def consented_view(view: SubjectView | ContactView, purpose: Purpose) -> SubjectView | ContactView:
    """The view as ``purpose`` may use it: with the person's events (and, when serving,
    their recent exposures) only while ``purpose`` is granted. Consents, preferences,
    signals (each filtered by its own purpose where used) and decisions stay."""
    if is_granted(view.consents, purpose):
        return view
    if isinstance(view, SubjectView):
        return replace(view, events=(), exposures=(), exposure_ids=())
    return replace(view, events=())


def consented_views(
    views: Mapping[SubjectId, ContactView], purpose: Purpose
) -> dict[SubjectId, ContactView]:
    """``consented_view`` for each person of a batch read."""
    return {s: consented_view(v, purpose) for s, v in views.items()}


def put_consented(store: SignalStore, batch: Sequence[Signal]) -> int:
    """Store the signals whose purpose their person has granted, as consent stands inside
    the write (read under the person's lock), so a withdrawal that has returned always wins
    against a signal write in flight (a fatigue signal, a correction, a lifted request);
    returns how many were stored."""

    def admit(state: ConsentState) -> list[Signal]:
        return [s for s in batch if is_granted(state.get(s.subject_id, {}), s.purpose)]

    return store.put(batch, admit=admit)
