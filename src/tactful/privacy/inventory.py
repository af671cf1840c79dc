"""The data inventory: per category of data held about a person, what it is, for which
purposes, since when and until when (retention). Built from the exported rows, so whatever
a table holds is in the inventory too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tactful.consent.policy import ConsentPolicy, category_of
from tactful.settings import RetentionSettings
from tactful.types import DataCategory, Decision, EventType, Purpose

Rows = Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Holding:
    """One line of the inventory. ``purposes`` may use the data; ``used_for`` are the ones
    the person has granted now. ``until`` is when the newest of it is deleted at the latest
    (None: kept until changed or erased)."""

    category: str
    table: str
    records: int
    kinds: Mapping[str, int]
    purposes: tuple[str, ...]
    used_for: tuple[str, ...]
    since: datetime | None
    until: datetime | None
    retention: str


def retention_days(settings: RetentionSettings) -> dict[DataCategory, int]:
    """Days each event category is kept (declared data has no TTL: it is the person's own)."""
    return {
        DataCategory.BEHAVIORAL: settings.behavioral_days,
        DataCategory.TRANSACTIONAL: settings.transactional_days,
        DataCategory.FEEDBACK: settings.feedback_days,
        DataCategory.TEXT: settings.text_days,
        DataCategory.LOCATION: settings.location_days,
        DataCategory.SOCIAL: settings.social_days,
    }


def _times(rows: Rows, column: str) -> list[datetime]:
    return [r[column] for r in rows if isinstance(r.get(column), datetime)]


def _granted(purposes: Iterable[str], state: Mapping[Purpose, Decision]) -> tuple[str, ...]:
    return tuple(p for p in purposes if state.get(Purpose(p)) is Decision.GRANTED)


def _events(
    rows: Rows, state: Mapping[Purpose, Decision], policy: ConsentPolicy, days: int, cat: str
) -> Holding:
    purposes = tuple(sorted(p.value for p in policy.purposes_for(DataCategory(cat))))
    times = _times(rows, "occurred_at")
    return Holding(
        category=cat,
        table="events",
        records=len(rows),
        kinds=dict(sorted(Counter(str(r["type"]) for r in rows).items())),
        purposes=purposes,
        used_for=_granted(purposes, state),
        since=min(times, default=None),
        until=max(times) + timedelta(days=days) if times else None,
        retention=f"each event is deleted {days} days after it happened",
    )


def _event_holdings(
    rows: Rows,
    state: Mapping[Purpose, Decision],
    policy: ConsentPolicy,
    settings: RetentionSettings,
) -> list[Holding]:
    by_category: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        by_category.setdefault(category_of(EventType(r["type"])).value, []).append(r)
    days = retention_days(settings)
    return [
        _events(group, state, policy, days[DataCategory(cat)], cat)
        for cat, group in sorted(by_category.items())
    ]


def _signals(rows: Rows, state: Mapping[Purpose, Decision]) -> Holding:
    purposes = tuple(sorted({str(r["purpose"]) for r in rows}))
    expiries = _times(rows, "expires_at")
    forever = any(r.get("expires_at") is None for r in rows)
    return Holding(
        category="inferred",
        table="signals",
        records=len(rows),
        kinds=dict(sorted(Counter(str(r["kind"]).split(":")[0] for r in rows).items())),
        purposes=purposes,
        used_for=_granted(purposes, state),
        since=min(_times(rows, "created_at"), default=None),
        until=None if forever else max(expiries, default=None),
        retention="each inference expires on its own date and goes with its purpose's consent",
    )


@dataclass(frozen=True, slots=True)
class _Kept:
    """How a table without a TTL is described: kept until changed or erased."""

    category: str
    why: str
    time_column: str
    retention: str


KEPT: Mapping[str, _Kept] = {
    "preferences": _Kept(
        "declared", "what you stated it for", "updated_at",
        "kept until you change it or ask for erasure",
    ),
    "consents": _Kept(
        "consent", "proof of your consent decisions", "at",
        "kept as proof of your decisions until erasure",
    ),
    "community_members": _Kept(
        "community memberships", "community", "joined_at",
        "kept until you leave, withdraw community or ask for erasure",
    ),
}  # fmt: skip


def _kept(table: str, rows: Rows) -> Holding:
    how = KEPT.get(table) or _Kept(table, "see docs/privacy.md", "", "kept until erasure")
    times = _times(rows, how.time_column)
    return Holding(
        category=how.category,
        table=table,
        records=len(rows),
        kinds={},
        purposes=(how.why,),
        used_for=(how.why,),
        since=min(times, default=None),
        until=None,
        retention=how.retention,
    )


def _exposures(rows: Rows, state: Mapping[Purpose, Decision], days: int) -> Holding:
    purposes = (Purpose.ANALYTICS.value, Purpose.PERSONALIZATION.value)
    times = _times(rows, "at")
    return Holding(
        category="recommendations shown",
        table="exposures",
        records=len(rows),
        kinds={},
        purposes=purposes,
        used_for=_granted(purposes, state),
        since=min(times, default=None),
        until=max(times) + timedelta(days=days) if times else None,
        retention=f"each is deleted {days} days after it was shown",
    )


def inventory(
    tables: Mapping[str, Rows],
    state: Mapping[Purpose, Decision],
    policy: ConsentPolicy,
    settings: RetentionSettings,
) -> list[Holding]:
    """One holding per category of data held (tables without rows are left out)."""
    out: list[Holding] = []
    for table, rows in sorted(tables.items()):
        if not rows:
            continue
        if table == "events":
            out += _event_holdings(rows, state, policy, settings)
        elif table == "signals":
            out.append(_signals(rows, state))
        elif table == "exposures":
            out.append(_exposures(rows, state, settings.exposures_days))
        else:
            out.append(_kept(table, rows))
    return out
