"""Requests stated in words, as signals that last until the person says otherwise.

Each request a text states becomes a ``request:<name>`` signal (``request:stop_messages``,
``request:mute:baby`` ...) under ``emotional_context``, value 1, with no expiry, the phrase
and when it was noticed. Unlike mood, a request does not fade: re-deriving keeps the
previous request signals even when their text has left the reading window, and only these
change it:

- an undo (``lifted``): the signal stays with value 0 and ``lifted_at``, so the same old text
  cannot bring it back; a newer text stating it again does;
- a later "you can email me again" (``resume_messages``) lifts stop and fewer requests
  noticed before it.

Pure: texts, readings and previous signals are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from tactful.signals.requests import Request, RequestKind
from tactful.signals.topics import Vocabulary, topics_of
from tactful.types import Event, Purpose, Signal, SubjectId

REQUEST = "request:"
RESUMABLE = (RequestKind.STOP_MESSAGES.value, RequestKind.FEWER_MESSAGES.value)


def is_request(signal: Signal) -> bool:
    return signal.kind.startswith(REQUEST)


def request_name(signal: Signal) -> str:
    """``stop_messages``, ``mute:baby`` ...: the signal's kind without its prefix."""
    return signal.kind.removeprefix(REQUEST)


def _at(signal: Signal, key: str) -> datetime:
    found = signal.detail.get(key)
    return datetime.fromisoformat(found) if isinstance(found, str) else signal.created_at


def changed_at(signal: Signal) -> datetime:
    """When the request was last stated or lifted."""
    return _at(signal, "lifted_at" if signal.value <= 0 else "noticed_at")


def _named(request: Request, vocabulary: Vocabulary | None) -> Request:
    """A mute's words mapped to the catalogue's category when the catalogue names one
    ("no more baby stuff" -> ``baby``; "stop showing me tents" -> ``camping``)."""
    if request.kind is not RequestKind.MUTE or vocabulary is None or not request.category:
        return request
    word = request.category
    exact = next((c for c in vocabulary if c.lower() == word), None)
    found = (
        (exact,)
        if exact
        else topics_of(word, vocabulary) or topics_of(request.evidence, vocabulary)
    )
    return replace(request, category=found[0]) if found else request


def stated(
    subject: SubjectId,
    texts: Sequence[tuple[Event, Sequence[Request]]],
    *,
    now: datetime,
    vocabulary: Vocabulary | None = None,
) -> list[Signal]:
    """One signal per request name, from the newest text stating it; a resume lifts the
    stop and fewer requests stated before it."""
    out: dict[str, Signal] = {}
    for event, requests in sorted(texts, key=lambda t: t[0].occurred_at):
        for request in requests:
            if request.kind is RequestKind.RESUME_MESSAGES:
                for name in RESUMABLE:
                    if name in out:
                        out[name] = lift(out[name], at=event.occurred_at, by="resume")
                continue
            named = _named(request, vocabulary)
            out[named.name] = Signal(
                subject,
                REQUEST + named.name,
                1.0,
                Purpose.EMOTIONAL_CONTEXT,
                now,
                detail={
                    "request": named.kind.value,
                    "category": named.category,
                    "phrase": named.evidence,
                    "noticed_at": event.occurred_at.isoformat(),
                },
                evidence=(event.event_id,),
            )
    return list(out.values())


def lift(signal: Signal, *, at: datetime, by: str) -> Signal:
    """The request undone at ``at`` (``by``: ``person``, ``operator`` or ``resume``)."""
    return replace(
        signal, value=0.0, detail={**signal.detail, "lifted_at": at.isoformat(), "by": by}
    )


def carry(previous: Iterable[Signal], derived: Sequence[Signal]) -> list[Signal]:
    """Merge the request signals just derived with the stored ones: per name, the newer
    change wins (an undo after the text beats it; a newer text beats an older undo); stored
    requests whose text has left the reading window are kept."""
    out = {s.kind: s for s in previous if is_request(s)}
    for s in derived:
        held = out.get(s.kind)
        if held is None or changed_at(s) > changed_at(held):
            out[s.kind] = s
    return sorted(out.values(), key=lambda s: s.kind)


def active(signals: Iterable[Signal]) -> tuple[Signal, ...]:
    """The requests in force (not lifted)."""
    return tuple(s for s in signals if is_request(s) and s.value > 0)
