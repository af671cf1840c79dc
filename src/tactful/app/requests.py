"""Requests a person stated in words (``signals.asked``): which are in force, and undoing
one. Every change is audited: a request noticed (after ingest) and a request lifted."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from tactful.app.trail import AuditTrail
from tactful.consent.ledger import is_granted
from tactful.errors import NotFound
from tactful.privacy.access import SYSTEM, Actor
from tactful.privacy.audit import Action
from tactful.signals.asked import active, is_request, lift, request_name
from tactful.store.consented import put_consented
from tactful.store.ports import Stores
from tactful.types import Purpose, Signal, SubjectId


class StatedRequests:
    """The requests in force for a person, and their undo (the person's or an operator's)."""

    def __init__(self, stores: Stores, *, trail: AuditTrail, clock: Callable[[], datetime]) -> None:
        self._stores = stores
        self._trail = trail
        self._clock = clock

    def active(self, subject: SubjectId) -> list[Signal]:
        """The requests in force, only while ``emotional_context`` is granted."""
        state = self._stores.consents.current_many([subject])[subject]
        if not is_granted(state, Purpose.EMOTIONAL_CONTEXT):
            return []
        return list(active(self._stores.signals.for_subject(subject)))

    def lift(self, subject: SubjectId, name: str, *, actor: Actor = SYSTEM) -> Signal:
        """Undo the request ``name`` (``stop_messages``, ``mute:baby`` ...): it stops acting at
        once and the same text cannot bring it back (a newer one can); ``NotFound`` if no
        such request is in force."""
        missing = NotFound(f"no request {name!r} in force for this person", field="kind")
        found = next((s for s in self.active(subject) if request_name(s) == name), None)
        if found is None:
            raise missing
        lifted = lift(
            found, at=self._clock(), by="person" if actor.kind == "subject" else "operator"
        )
        if not put_consented(self._stores.signals, [lifted]):
            raise missing  # emotional_context was withdrawn meanwhile: the request is gone
        self._trail.record(Action.REQUEST_LIFTED, actor, subject, {"request": name})
        return lifted

    def snapshot(self, subjects: Iterable[SubjectId]) -> dict[SubjectId, set[str]]:
        """The names in force per person (what ``noticed`` compares against)."""
        return {s: {request_name(x) for x in self.active(s)} for s in subjects}

    def noticed(
        self,
        before: Mapping[SubjectId, set[str]],
        derived: Mapping[SubjectId, Sequence[Signal]],
    ) -> None:
        """Audit each request newly in force after a re-derivation, and each one the
        person's words lifted ("you can email me again"); only the request's name is
        written to the audit log, never the phrase."""
        for subject, signals in derived.items():
            now = {request_name(s) for s in signals if is_request(s) and s.value > 0}
            resumed = {
                request_name(s)
                for s in signals
                if is_request(s) and s.value <= 0 and s.detail.get("by") == "resume"
            }
            for name in sorted(now - before.get(subject, set())):
                self._trail.record(Action.REQUEST_NOTICED, SYSTEM, subject, {"request": name})
            for name in sorted(resumed & before.get(subject, set())):
                detail = {"request": name, "by": "resume"}
                self._trail.record(Action.REQUEST_LIFTED, SYSTEM, subject, detail)
