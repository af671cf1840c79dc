"""Reasons agree with the decision: when several rules move a message, every reason that
names a time names ``send_at``; a suppressed message names no send time; counts read right
(issue 10, defect 10)."""

import re
from datetime import UTC, datetime, time

import pytest

from tactful.engage.decide import decide
from tactful.local_time import local_label
from tactful.phrasing import count, plural
from tactful.records import ContactDecision, MessageKind, Urgency, Verdict
from tactful.settings import EngageSettings
from tactful.types import Preferences, Purpose, QuietHours
from tests.engage.people import candidate, sent, signal, situation

LABEL = re.compile(r"\d\d:\d\d on \w{3} \d{1,2} \w{3}")
BERLIN = "Europe/Berlin"
NIGHT_OWL = Preferences(
    max_messages_per_week={"email": 1},
    preferred_categories=("running",),
    quiet_hours=QuietHours(time(22), time(7)),
    timezone=BERLIN,
)
THU_LATE = datetime(2026, 12, 3, 22, 30, tzinfo=UTC)  # 23:30 on Thu 3 Dec in Berlin
FRI_MORNING = datetime(2026, 12, 4, 6, tzinfo=UTC)  # 07:00 on Fri 4 Dec in Berlin
SCHEDULED = [sent(FRI_MORNING, verdict=Verdict.DEFER, n=1)]  # already takes Friday's slot


def times_named(d: ContactDecision) -> list[str]:
    return [m for r in d.reasons for m in LABEL.findall(r.text)]


def test_quiet_hours_then_the_budget_name_the_same_day() -> None:
    """The issue's case: out of the night to Fri 4 Dec, then a week on by the budget."""
    d = decide(candidate(at=THU_LATE), situation(prefs=NIGHT_OWL, history=SCHEDULED), "d1")
    assert d.verdict is Verdict.DEFER
    assert d.send_at == datetime(2026, 12, 11, 6, tzinfo=UTC)
    assert [r.kind for r in d.reasons][-2:] == ["quiet_hours", "frequency_cap"]
    assert times_named(d) == ["07:00 on Fri 11 Dec", "07:00 on Fri 11 Dec"]
    assert "Fri 4 Dec" not in " ".join(r.text for r in d.reasons)


def test_the_budget_then_quiet_hours_name_the_morning() -> None:
    """The budget frees a slot at 23:30 (in the night); quiet hours move it to 07:00."""
    last_week = [sent(datetime(2026, 11, 26, 22, 30, tzinfo=UTC))]
    at = datetime(2026, 12, 3, 12, tzinfo=UTC)
    d = decide(candidate(at=at), situation(prefs=NIGHT_OWL, history=last_week), "d1")
    assert d.send_at == FRI_MORNING
    assert [r.kind for r in d.reasons][-2:] == ["frequency_cap", "quiet_hours"]
    assert times_named(d) == ["07:00 on Fri 4 Dec", "07:00 on Fri 4 Dec"]


def test_a_digest_moved_by_quiet_hours_and_the_budget_names_its_final_time() -> None:
    low = candidate(at=THU_LATE, urgency=Urgency.LOW)
    d = decide(low, situation(prefs=NIGHT_OWL, history=SCHEDULED), "d1")
    assert d.digest_id == "dg_d1" and d.send_at == datetime(2026, 12, 11, 6, tzinfo=UTC)
    assert {r.kind for r in d.reasons} >= {"digest", "quiet_hours", "frequency_cap"}
    assert set(times_named(d)) == {"07:00 on Fri 11 Dec"} and len(times_named(d)) == 3
    assert "60 minutes" not in " ".join(r.text for r in d.reasons)


def test_a_digest_opened_late_in_the_evening_goes_out_after_the_night() -> None:
    evening = candidate(at=datetime(2026, 12, 3, 20, 30, tzinfo=UTC), urgency=Urgency.LOW)
    d = decide(evening, situation(prefs=NIGHT_OWL), "d1")  # 21:30 + 60 min is in the night
    assert d.send_at == FRI_MORNING
    assert times_named(d) == ["07:00 on Fri 4 Dec", "07:00 on Fri 4 Dec"]


def test_a_deferral_that_ends_suppressed_names_no_send_time() -> None:
    short = EngageSettings(max_defer_days=2)
    s = situation(prefs=NIGHT_OWL, history=SCHEDULED, settings=short)
    d = decide(candidate(at=THU_LATE), s, "d1")
    assert d.verdict is Verdict.SUPPRESS and d.send_at is None
    assert times_named(d) == []
    assert [r.kind for r in d.reasons] == ["consent", "relevance", "frequency_cap"]


@pytest.mark.parametrize(
    ("at", "history"),
    [
        (THU_LATE, SCHEDULED),
        (THU_LATE, []),
        (datetime(2026, 12, 3, 20, 30, tzinfo=UTC), SCHEDULED),
        (datetime(2026, 12, 3, 12, tzinfo=UTC), [sent(datetime(2026, 11, 26, 22, 30, tzinfo=UTC))]),
    ],
)
@pytest.mark.parametrize("urgency", [Urgency.LOW, Urgency.NORMAL])
def test_every_time_a_reason_names_is_send_at(
    at: datetime, history: list[ContactDecision], urgency: Urgency
) -> None:
    d = decide(candidate(at=at, urgency=urgency), situation(prefs=NIGHT_OWL, history=history), "d")
    assert d.send_at is not None
    assert times_named(d), d.reasons
    assert set(times_named(d)) == {local_label(d.send_at, BERLIN)}


def test_caps_of_one_read_in_the_singular() -> None:
    one = Preferences(max_messages_per_week={"email": 1}, preferred_categories=("running",))
    d = decide(candidate(), situation(prefs=one, history=[sent(candidate().at)]), "d1")
    assert d.reasons[-1].text.endswith("you asked for at most 1 email a week.")
    promo = EngageSettings(promotional_per_week=1)
    history = [sent(candidate().at, kind=MessageKind.COMMUNITY)]
    d = decide(candidate(), situation(history=history, settings=promo), "d2")
    assert d.reasons[-1].text.endswith("we send at most 1 offer or newsletter a week.")
    tired = signal("fatigue", 0.5, Purpose.MESSAGING, unwelcome_in_row=1)
    two = Preferences(max_messages_per_week={"email": 2}, preferred_categories=("running",))
    d = decide(candidate(), situation(prefs=two, history=history, signals=[tired]), "d3")
    assert "our last 1 message went unread" in d.reasons[-1].text


def test_count_and_plural() -> None:
    assert [count(n, "email") for n in (0, 1, 2)] == ["0 emails", "1 email", "2 emails"]
    assert count(1, "push notification") == "1 push notification"
    assert count(3, "text message") == "3 text messages"
    assert count(2, "offer or newsletter", "offers and newsletters") == "2 offers and newsletters"
    assert [plural(w) for w in ("day", "box", "story", "match")] == [
        "days",
        "boxes",
        "stories",
        "matches",
    ]
