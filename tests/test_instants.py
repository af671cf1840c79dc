"""One time-zone check for every datetime the core takes in (``require_aware``)."""

from datetime import UTC, datetime, timedelta, timezone, tzinfo

import pytest

from tactful.consent import record
from tactful.engage.message import parse_candidate
from tactful.errors import InvalidInput
from tactful.instants import AWARE, require_aware
from tactful.store.memory import MemoryStores
from tactful.types import Purpose, Signal

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


class NoOffset(tzinfo):
    """A zone that knows no offset: such a datetime is naive for Python."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None


def test_an_aware_value_comes_back_unchanged() -> None:
    plus_two = datetime(2026, 3, 1, 14, tzinfo=timezone(timedelta(hours=2)))
    assert require_aware(plus_two, "at") is plus_two
    assert require_aware(T0, "at") == plus_two


@pytest.mark.parametrize(
    "value", [datetime(2026, 3, 1, 12), datetime(2026, 3, 1, tzinfo=NoOffset()), "2026-03-01Z"]
)
def test_naive_or_not_a_datetime_names_the_field(value: object) -> None:
    with pytest.raises(InvalidInput) as err:
        require_aware(value, "pause_until")  # type: ignore[arg-type]
    assert err.value.field == "pause_until"
    assert err.value.message == AWARE


def test_the_core_checks_name_their_own_field() -> None:
    naive = datetime(2026, 3, 1, 12)
    with pytest.raises(InvalidInput) as err:
        record("ann", "analytics", "granted", at=naive, index=2)
    assert (err.value.field, err.value.message) == ("decisions[2].at", AWARE)
    body = {"message_id": "m1", "kind": "service", "at": "2026-03-01T12:00:00"}
    with pytest.raises(InvalidInput) as err:
        parse_candidate(body, now=T0)
    assert (err.value.field, err.value.message) == ("at", AWARE)
    stores = MemoryStores()
    late = Signal("ann", "mood", 0.1, Purpose.EMOTIONAL_CONTEXT, T0, naive)
    with pytest.raises(InvalidInput) as err:
        stores.signals.put([late])
    assert err.value.field == "signals[0].expires_at"
    assert stores.signals.for_subject("ann") == []
