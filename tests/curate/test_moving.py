"""A move lifts the categories mapped to it, with a reason the person can read; not while
a hard time is live."""

from datetime import UTC, datetime

from tactful.curate import Context, build_pipeline, curate
from tactful.explain.reasons import explain
from tactful.settings import GuardSettings
from tactful.signals.profile import Profile
from tactful.types import Item, Preferences, Purpose, RequestContext, Scored, Signal

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
CATALOGUE = {
    "sock": Item("sock", "Merino Socks", ("running",)),
    "cap": Item("cap", "Running Cap", ("running",)),
    "coat": Item("coat", "Parka", ("winter clothing",)),
    "box": Item("box", "Storage Boxes", ("storage",)),
}
SCORED = Scored(("sock", "cap", "coat", "box"), (9.0, 8.0, 2.0, 1.0))


def event(kind: str) -> Signal:
    return Signal("u1", f"life_event:{kind}", 0.9, Purpose.EMOTIONAL_CONTEXT, NOW)


def profile(*kinds: str) -> Profile:
    found = tuple(event(k) for k in kinds)
    return Profile(signals=found, life_events=found)


def ctx(signals: Profile) -> Context:
    return Context(
        subject_id="u1",
        now=NOW,
        prefs=Preferences(),
        catalogue=CATALOGUE,
        history=(),
        limit=10,
        signals=signals,
        request=RequestContext.HOME,
        personalized=True,
        consented=True,
        settings=GuardSettings(move_boost=1.0),
    )


def test_a_move_lifts_winter_clothing_and_storage_with_a_reason() -> None:
    out = curate(SCORED, ctx(profile("relocation")), build_pipeline(["moving"]))
    assert out.scored.items[:2] == ("coat", "box")
    reasons = explain(out.scored, ctx(profile("relocation")))
    assert reasons["coat"][0].text == "Because you mentioned your move"


def test_a_move_alone_is_no_hard_time() -> None:
    assert not profile("relocation").quiet
    assert profile("relocation", "financial_hardship").why_quiet == ("financial_hardship",)


def test_no_lift_while_a_hard_time_is_live_or_without_a_move() -> None:
    for p in (profile("relocation", "financial_hardship"), profile(), profile("new_baby")):
        out = curate(SCORED, ctx(p), build_pipeline(["moving"]))
        assert out.scored == SCORED


def test_at_most_move_slots_items_are_lifted() -> None:
    from dataclasses import replace

    one = replace(ctx(profile("relocation")), settings=GuardSettings(move_slots=1))
    out = curate(SCORED, one, build_pipeline(["moving"]))
    assert out.scored.items[0] == "coat" and out.scored.items[-1] == "box"


def test_a_mover_gets_move_items_as_candidates_most_popular_first() -> None:
    from tactful.curate.moving import move_candidates

    ranked = ["sock", "box", "cap", "coat"]
    settings = GuardSettings(move_slots=1)
    assert move_candidates(profile("relocation"), CATALOGUE, ranked, settings) == ("box", "coat")
    assert move_candidates(profile("relocation"), CATALOGUE, ranked, settings, exclude={"box"}) == (
        "coat",
    )
    hard = profile("relocation", "job_loss")
    assert move_candidates(hard, CATALOGUE, ranked, settings) == ()
