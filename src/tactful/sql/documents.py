"""JSON documents for the values stored as one column: preferences and exposure reasons.

Reading is tolerant of missing keys (they take the ``Preferences`` defaults), so adding a
preference field later needs no data migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time
from typing import Any

from tactful.instants import require_aware
from tactful.types import ItemId, Preferences, QuietHours, Reason, Sensitivity

DOCUMENT_VERSION = 1
_DEFAULTS = Preferences()


def preferences_document(prefs: Preferences) -> dict[str, Any]:
    """The JSON document of a person's preferences (every field)."""
    quiet = prefs.quiet_hours
    pause = prefs.pause_until
    if pause is not None:
        require_aware(pause, "pause_until")
    return {
        "v": DOCUMENT_VERSION,
        "channels": list(prefs.channels),
        "max_messages_per_week": dict(prefs.max_messages_per_week),
        "quiet_hours": None
        if quiet is None
        else {"start": quiet.start.isoformat(), "end": quiet.end.isoformat()},
        "timezone": prefs.timezone,
        "max_recommendations": prefs.max_recommendations,
        "muted_categories": list(prefs.muted_categories),
        "preferred_categories": list(prefs.preferred_categories),
        "values": list(prefs.values),
        "allowed_sensitive": [s.value for s in prefs.allowed_sensitive],
        "pause_until": None if pause is None else pause.astimezone(UTC).isoformat(),
        "celebrations": prefs.celebrations,
    }


def preferences_from(doc: Mapping[str, Any]) -> Preferences:
    """Preferences back from their document; absent keys take the defaults."""
    quiet = doc.get("quiet_hours")
    pause = doc.get("pause_until")
    return Preferences(
        channels=tuple(doc.get("channels", _DEFAULTS.channels)),
        max_messages_per_week={
            str(k): int(v) for k, v in doc.get("max_messages_per_week", {}).items()
        },
        quiet_hours=None
        if quiet is None
        else QuietHours(time.fromisoformat(quiet["start"]), time.fromisoformat(quiet["end"])),
        timezone=str(doc.get("timezone", _DEFAULTS.timezone)),
        max_recommendations=_budget(doc.get("max_recommendations")),
        muted_categories=tuple(doc.get("muted_categories", ())),
        preferred_categories=tuple(doc.get("preferred_categories", ())),
        values=tuple(doc.get("values", ())),
        allowed_sensitive=tuple(Sensitivity(s) for s in doc.get("allowed_sensitive", ())),
        pause_until=None if pause is None else datetime.fromisoformat(pause).astimezone(UTC),
        celebrations=bool(doc.get("celebrations", _DEFAULTS.celebrations)),
    )


def _budget(found: Any) -> int | None:
    """The chosen budget; absent or null: the person never chose one."""
    return None if found is None else int(found)


def reasons_document(reasons: Mapping[ItemId, tuple[Reason, ...]]) -> dict[str, Any]:
    """Per-item reasons as JSON: ``{item: [{kind, text, items}, ...]}``."""
    return {
        item: [{"kind": r.kind, "text": r.text, "items": list(r.items)} for r in rs]
        for item, rs in reasons.items()
    }


def reasons_from(doc: Mapping[str, Any]) -> dict[ItemId, tuple[Reason, ...]]:
    return {
        item: tuple(Reason(r["kind"], r["text"], tuple(r.get("items", ()))) for r in rs)
        for item, rs in doc.items()
    }
