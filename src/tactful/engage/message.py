"""A candidate message: what the operator would like to send, before Tactful decides.

The kind says how much the person has to want it (transactional: they asked for it;
promotional: they did not), the channel where it would go, the topic what it is about, and
the urgency whether it may wait. Values are validated here so the library, the REST API
and the CLI refuse the same bad input with the same field names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from tactful.errors import InvalidInput
from tactful.instants import require_aware
from tactful.records import Channel, MessageKind, Urgency

# Kinds the person never asked for: they need the `messaging` consent and count against
# the contact budget. Supportive messages answer the person; transactional ones serve them.
UNSOLICITED = frozenset({MessageKind.PROMOTIONAL, MessageKind.COMMUNITY, MessageKind.CELEBRATION})
# Kinds under the global promotional cap (settings.engage.promotional_per_week).
MARKETING = frozenset({MessageKind.PROMOTIONAL, MessageKind.COMMUNITY})
# Kinds that may wait for a digest when their urgency is low.
DIGESTIBLE = UNSOLICITED


@dataclass(frozen=True, slots=True)
class Candidate:
    """A message the operator would like to send to one person at ``at``."""

    message_id: str
    kind: MessageKind
    channel: Channel
    at: datetime
    topic: str | None = None
    urgency: Urgency = Urgency.NORMAL
    supportive: bool = False
    """A community message meant to support (a low-urgency one so marked is not held by
    the emotional hold, e.g. a grief circle's meeting)."""


E = TypeVar("E", bound=StrEnum)


def _enum(cls: type[E], value: object, field: str) -> E:
    try:
        return cls(str(value))
    except ValueError:
        names = ", ".join(m.value for m in cls)
        raise InvalidInput(
            f"unknown {field} {value!r}; expected one of {names}", field=field
        ) from None


def _text(value: object, field: str, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise InvalidInput("must be a non-empty string of at most 200 characters", field=field)
    return value


def parse_candidate(body: Mapping[str, Any], *, now: datetime) -> Candidate:
    """A validated candidate from a plain mapping; ``at`` defaults to ``now``."""
    unknown = set(body) - {"message_id", "kind", "channel", "topic", "urgency", "at", "supportive"}
    if unknown:
        raise InvalidInput(f"unknown field {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    at = body.get("at") or now
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            raise InvalidInput(f"not an ISO 8601 time: {at!r}", field="at") from None
    at = require_aware(at, "at")
    supportive = body.get("supportive", False)
    if not isinstance(supportive, bool):
        raise InvalidInput("must be true or false", field="supportive")
    return Candidate(
        message_id=str(_text(body.get("message_id"), "message_id", required=True)),
        kind=_enum(MessageKind, body.get("kind"), "kind"),
        channel=_enum(Channel, body.get("channel"), "channel"),
        at=at,
        topic=_text(body.get("topic"), "topic", required=False),
        urgency=_enum(Urgency, body.get("urgency", "normal"), "urgency"),
        supportive=supportive,
    )
