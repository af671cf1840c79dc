"""Candidates from plain mappings (the library and CLI path): validated, fields named."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tactful.engage import parse_candidate
from tactful.errors import InvalidInput
from tactful.records import Channel, MessageKind, Urgency

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
GOOD = {"message_id": "m1", "kind": "promotional", "channel": "push", "topic": "running"}


def test_defaults_and_types() -> None:
    c = parse_candidate(GOOD, now=NOW)
    assert (c.kind, c.channel, c.urgency, c.at) == (
        MessageKind.PROMOTIONAL,
        Channel.PUSH,
        Urgency.NORMAL,
        NOW,
    )
    later = parse_candidate({**GOOD, "at": "2026-06-01T23:30:00+02:00", "urgency": "low"}, now=NOW)
    assert later.at == datetime(2026, 6, 1, 23, 30, tzinfo=timezone(timedelta(hours=2)))
    assert later.urgency is Urgency.LOW
    assert parse_candidate({**GOOD, "topic": None}, now=NOW).topic is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "spam"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"urgency": "asap"}, "urgency"),
        ({"message_id": ""}, "message_id"),
        ({"message_id": "x" * 201}, "message_id"),
        ({"topic": ""}, "topic"),
        ({"at": "2026-06-01T12:00:00"}, "at"),
        ({"at": "yesterday"}, "at"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_values_name_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_candidate({**GOOD, **change}, now=NOW)
    assert err.value.field == field
