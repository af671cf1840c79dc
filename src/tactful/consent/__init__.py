"""Consent: the purpose map and the append-only ledger that folds into current state."""

from tactful.consent.ledger import current, fold, granted_purposes, is_granted, record
from tactful.consent.policy import (
    CATEGORY_PURPOSES,
    EVENT_CATEGORY,
    ConsentPolicy,
    category_of,
)
from tactful.consent.views import consented_view, consented_views

__all__ = [
    "CATEGORY_PURPOSES",
    "EVENT_CATEGORY",
    "ConsentPolicy",
    "category_of",
    "consented_view",
    "consented_views",
    "current",
    "fold",
    "granted_purposes",
    "is_granted",
    "record",
]
