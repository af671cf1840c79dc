"""How the console writes figures: rates as percentages, withheld figures as "withheld",
and the KPI tiles of the health and fairness pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tactful.web.pages.i18n import N_

WITHHELD = N_("withheld")
RATES = frozenset(
    {
        "withdrawal_rate",
        "dismissal_rate",
        "complaint_rate",
        "personalized_share",
        "catalogue_coverage",
        "ctr_7d",
    }
)
HEALTH_TILES = (
    ("people_active", N_("People active")),
    ("withdrawals", N_("Withdrawals")),
    ("withdrawal_rate", N_("Withdrawal rate")),
    ("exposures", N_("Exposures")),
    ("dismissal_rate", N_("Dismissal rate")),
    ("messages_sent", N_("Messages sent")),
    ("complaint_rate", N_("Complaint rate")),
    ("fatigued_people", N_("Fatigued people")),
    ("personalized_share", N_("Personalized share")),
)
FAIRNESS_TILES = (
    ("exposure_gini", N_("Exposure Gini")),
    ("catalogue_coverage", N_("Catalogue coverage")),
    ("popularity_lift", N_("Popularity lift")),
    ("sensitive_exposures", N_("Sensitive exposures")),
)


def figure(value: Any, key: str = "") -> str | None:
    """A figure as text; None when withheld (the template says so in its language)."""
    if value is None:
        return None
    if key in RATES and isinstance(value, (int, float)):
        return f"{value * 100:.1f} %"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def tiles(
    report: Mapping[str, Any], names: tuple[tuple[str, str], ...]
) -> list[tuple[str, str, str | None]]:
    """(key, label, figure) for each tile."""
    return [(key, label, figure(report.get(key), key)) for key, label in names]


def rows(mapping: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """A flat mapping as (name, figure) rows."""
    return [(str(k), figure(v, str(k))) for k, v in mapping.items()]
