"""Access: everything Tactful holds about a person, and why, as one JSON document.

The ``data`` section is every row naming the person in every personal-data table, straight
from the store's declarations (``Stores.export_subject``), so a new table is exported without
anyone listing it. Around it: the folded consent state, the live inferences (stored ones
and those computed from behaviour when read), the data inventory, and the audit records
about the person. After erasure only the tombstone notice is left.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from tactful.consent.ledger import fold
from tactful.consent.policy import ConsentPolicy
from tactful.privacy.inventory import inventory
from tactful.privacy.keyring import Keyring
from tactful.settings import RetentionSettings
from tactful.store.ports import AuditRecord, Stores, Tombstone
from tactful.types import ConsentRecord, Signal, SubjectId

FORMAT = 1
Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def jsonable(value: Any) -> Any:
    """Plain JSON values: times as ISO 8601, enums by value, dataclasses and mappings as
    objects, every other collection as a list."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")  # as the rest of the API writes UTC
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a named tuple
        return jsonable(value._asdict())
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def tombstone_notice(subject: SubjectId, tombstone: Tombstone, now: datetime) -> dict[str, Any]:
    """All an export says about an erased person who has not come back."""
    return {
        "subject_id": subject,
        "generated_at": jsonable(now),
        "format": FORMAT,
        "erased": True,
        "tombstone": jsonable(tombstone),
        "notice": (
            f"Everything held about this person was erased on {jsonable(tombstone.erased_at)}. "
            "Only a tombstone is kept: a keyed hash of the id and the time of erasure, so that "
            "events sent for this id are refused until the person grants consent again."
        ),
    }


def audit_view(records: Sequence[AuditRecord]) -> list[dict[str, Any]]:
    """Audit records about the person, as they read them (who did what, when)."""
    return [
        {"seq": r.seq, "at": jsonable(r.entry.at), "action": r.entry.action,
         "actor": r.entry.actor, "detail": jsonable(r.entry.detail)}
        for r in records
    ]  # fmt: skip


def export_document(
    subject: SubjectId,
    rows: Rows,
    *,
    history: Sequence[ConsentRecord],
    computed: Sequence[Signal],
    holdings: Sequence[Any],
    audit: Sequence[AuditRecord],
    tombstone: Tombstone | None,
    now: datetime,
) -> dict[str, Any]:
    """The export; with a tombstone and no rows left, only the tombstone notice."""
    if tombstone is not None and not any(rows.values()):
        return tombstone_notice(subject, tombstone, now)
    state = fold(history)
    return {
        "subject_id": subject,
        "generated_at": jsonable(now),
        "format": FORMAT,
        "consents": {
            "current": {p.value: d.value for p, d in state.items()},
            "history": jsonable(history),
        },
        "data": {table: jsonable(list(found)) for table, found in sorted(rows.items())},
        "inferences": jsonable(list(computed)),
        "inventory": jsonable(list(holdings)),
        "audit": audit_view(audit),
        "tombstone": None if tombstone is None else jsonable(tombstone),
    }


def export(
    subject: SubjectId,
    *,
    stores: Stores,
    keyring: Keyring,
    signals: Sequence[Signal],
    policy: ConsentPolicy,
    retention: RetentionSettings,
    now: datetime,
) -> dict[str, Any]:
    """Read everything about the person and build the export (``signals``: their live
    inferences, which the caller computes with the catalogue)."""
    pseudonym = keyring.pseudonym(subject)
    tombstone = stores.tombstones.find([pseudonym]).get(pseudonym)
    rows = stores.export_subject(subject)
    history = stores.consents.history(subject)
    return export_document(
        subject,
        rows,
        history=history,
        computed=signals,
        holdings=inventory(rows, fold(history), policy, retention),
        audit=stores.audit.about(pseudonym),
        tombstone=tombstone,
        now=now,
    )
