"""The domain rules of preferences, checked once in the core (``validate_preferences``).

``CASES`` pairs each bad choice as REST receives it (JSON) with the same choice as a
Python caller builds it; tests/web/test_preferences_errors.py runs the same table through
REST and the Python API and expects the same field and reason."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any

import pytest

from tactful.errors import InvalidInput
from tactful.ingest import validate_preferences
from tactful.types import Preferences, QuietHours, Sensitivity

PLUS_ONE = timezone(timedelta(hours=1))
Case = tuple[dict[str, Any], dict[str, Any], str, str]
CASES: list[Case] = [
    ({"channels": ["pigeon"]}, {"channels": ("pigeon",)}, "channels[0]", "unknown channel"),
    (
        {"channels": ["email", "email"]},
        {"channels": ("email", "email")},
        "channels[1]",
        "listed twice",
    ),
    (
        {"max_messages_per_week": {"email": -1}},
        {"max_messages_per_week": {"email": -1}},
        "max_messages_per_week.email",
        "from 0 to 1000",
    ),
    (
        {"max_messages_per_week": {"pigeon": 1}},
        {"max_messages_per_week": {"pigeon": 1}},
        "max_messages_per_week.pigeon",
        "unknown channel",
    ),
    (
        {"quiet_hours": {"start": "22:00:00+01:00", "end": "07:00:00"}},
        {"quiet_hours": QuietHours(time(22, tzinfo=PLUS_ONE), time(7))},
        "quiet_hours.start",
        "without an offset",
    ),
    (
        {"quiet_hours": {"start": "22:00:00", "end": "22:00:00"}},
        {"quiet_hours": QuietHours(time(22), time(22))},
        "quiet_hours.end",
        "must differ from start",
    ),
    ({"timezone": "Mars/Olympus"}, {"timezone": "Mars/Olympus"}, "timezone", "unknown IANA"),
    ({"max_recommendations": 0}, {"max_recommendations": 0}, "max_recommendations", "1 to 20"),
    ({"max_recommendations": 21}, {"max_recommendations": 21}, "max_recommendations", "1 to 20"),
    (
        {"muted_categories": ["  "]},
        {"muted_categories": ("  ",)},
        "muted_categories[0]",
        "non-empty",
    ),
    (
        {"preferred_categories": ["running", ""]},
        {"preferred_categories": ("running", "")},
        "preferred_categories[1]",
        "non-empty",
    ),
    ({"values": ["x" * 201]}, {"values": ("x" * 201,)}, "values[0]", "at most 200"),
    (
        {"allowed_sensitive": ["none"]},
        {"allowed_sensitive": (Sensitivity.NONE,)},
        "allowed_sensitive[0]",
        "'none' is not",
    ),
    (
        {"allowed_sensitive": ["health", "gossip"]},
        {"allowed_sensitive": ("health", "gossip")},
        "allowed_sensitive[1]",
        "unknown sensitive category",
    ),
    (
        {"pause_until": "2026-07-01T00:00:00"},
        {"pause_until": datetime(2026, 7, 1)},
        "pause_until",
        "timezone-aware",
    ),
]


def _refusal(prefs: Preferences) -> tuple[str | None, str]:
    with pytest.raises(InvalidInput) as err:
        validate_preferences(prefs)
    return err.value.field, err.value.message


@pytest.mark.parametrize(("body", "kwargs", "field", "reason"), CASES, ids=[c[2] for c in CASES])
def test_a_bad_choice_names_the_field_and_the_reason(
    body: dict[str, Any], kwargs: dict[str, Any], field: str, reason: str
) -> None:
    got_field, message = _refusal(Preferences(**kwargs))
    assert got_field == field
    assert reason in message


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"channels": "email"}, "channels"),  # a string is not a list of channels
        ({"max_messages_per_week": ["email"]}, "max_messages_per_week"),
        ({"max_messages_per_week": {"sms": 2.5}}, "max_messages_per_week.sms"),
        ({"max_recommendations": True}, "max_recommendations"),
        ({"timezone": None}, "timezone"),
        ({"quiet_hours": (time(22), time(7))}, "quiet_hours"),
        ({"muted_categories": (3,)}, "muted_categories[0]"),
        ({"pause_until": "2026-07-01T00:00:00Z"}, "pause_until"),
        ({"celebrations": "yes"}, "celebrations"),
    ],
)
def test_wrong_types_from_python_callers_are_refused(kwargs: dict[str, Any], field: str) -> None:
    assert _refusal(Preferences(**kwargs))[0] == field


def test_good_choices_pass_and_come_back_in_stored_form() -> None:
    chosen = Preferences(
        channels=["push", "email"],  # type: ignore[arg-type]
        max_messages_per_week={"email": 0, "push": 1000},
        quiet_hours=QuietHours(time(22), time(7)),
        timezone="Europe/Berlin",
        max_recommendations=20,
        muted_categories=["camping"],  # type: ignore[arg-type]
        allowed_sensitive=("health", Sensitivity.FINANCE),  # type: ignore[arg-type]
        pause_until=datetime(2026, 7, 1, tzinfo=PLUS_ONE),
        celebrations=False,
    )
    got = validate_preferences(chosen)
    assert got == replace(
        chosen,
        channels=("push", "email"),
        muted_categories=("camping",),
        allowed_sensitive=(Sensitivity.HEALTH, Sensitivity.FINANCE),
    )
    assert all(type(s) is Sensitivity for s in got.allowed_sensitive)
    assert validate_preferences(Preferences()) == Preferences()
    assert got.pause_until == datetime(2026, 6, 30, 23, tzinfo=UTC)
