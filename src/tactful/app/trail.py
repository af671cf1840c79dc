"""The audit trail: one append per action that matters, the subject only by pseudonym."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tactful.privacy.access import Actor
from tactful.privacy.anchor import FileAnchor
from tactful.privacy.audit import Chain
from tactful.privacy.keyring import Keyring
from tactful.store.ports import AuditEntry, AuditLog
from tactful.types import SubjectId


class AuditTrail:
    """Appends to the tamper-evident audit log (``privacy.audit``)."""

    def __init__(
        self,
        log: AuditLog,
        keyring: Keyring,
        *,
        anchor: FileAnchor | None = None,
        clock: Callable[[], datetime],
    ) -> None:
        self._log = log
        self._anchor = anchor
        self._keyring = keyring
        self._clock = clock

    def record(
        self,
        action: str,
        actor: Actor,
        subject: SubjectId | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append one record (``subject`` is written only as its pseudonym)."""
        pseudonym = None if subject is None else self._keyring.pseudonym(subject)
        entry = AuditEntry(action, self._clock(), actor.label, pseudonym, detail or {})
        chain = Chain(self._keyring)
        stored = self._log.append([entry], chain)
        if self._anchor is not None and stored:
            self._anchor.advance(chain.seal(stored[-1]))
