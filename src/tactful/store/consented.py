"""Consent over what the stores read: the adapters return a person's rows as stored, and
this is the one place that decides what a purpose may see of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import overload

from tactful.consent.ledger import is_granted
from tactful.store.ports import ContactView, SubjectView
from tactful.types import Purpose, SubjectId


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
