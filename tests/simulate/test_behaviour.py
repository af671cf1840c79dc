"""Each behaviour of a simulated person on fixed seeds, measured over many draws."""

import numpy as np
import pytest

from tactful.errors import InvalidInput
from tactful.simulate import SOURCES, Behaviour
from tactful.simulate.behaviour import (
    complaint_chance,
    draw_tolerances,
    draw_trust,
    open_chance,
    pick_chance,
    unsubscribe_chance,
    weekly_hazard,
)

B = Behaviour()
DRAWS = 20_000


def rate(p: float, seed: int = 0) -> float:
    return float((np.random.default_rng(seed).random(DRAWS) < p).mean())


def test_every_parameter_is_documented_with_a_source() -> None:
    documented = [p.name for p in SOURCES]
    assert documented == list(B.to_dict())
    assert all(p.meaning and p.source for p in SOURCES)


def test_choice_overload_a_list_past_tolerance_is_picked_from_less_often() -> None:
    assert pick_chance(6, 6.0, B) == B.pick_base
    assert pick_chance(3, 6.0, B) == B.pick_base
    assert pick_chance(24, 6.0, B) == pytest.approx(B.pick_base / 4)  # elasticity 1
    assert rate(pick_chance(24, 6.0, B)) < rate(pick_chance(6, 6.0, B))
    assert pick_chance(0, 6.0, B) == 0.0


def test_overload_elasticity_zero_means_no_overload() -> None:
    flat = B.with_value("overload_elasticity", "0")
    assert pick_chance(50, 6.0, flat) == pick_chance(5, 6.0, flat)


def test_message_fatigue_each_earlier_message_lowers_the_open_chance() -> None:
    chances = [open_chance(k, B) for k in range(6)]
    assert chances == sorted(chances, reverse=True)
    assert chances[2] == pytest.approx(B.open_base * B.open_decay**2)


def test_a_person_past_their_own_cap_unsubscribes_more_often_than_one_below_it() -> None:
    below = rate(unsubscribe_chance(1, 3.0, B), seed=1)  # the 2nd message, cap 3
    past = rate(unsubscribe_chance(5, 3.0, B), seed=1)  # the 6th message, cap 3
    assert past > 5 * below
    assert unsubscribe_chance(1, 3.0, B) == B.unsubscribe_base


def test_promotions_in_a_hard_time_are_complained_about_far_more_often() -> None:
    hard = rate(complaint_chance(promotional=True, hard_time=True, b=B), seed=2)
    calm = rate(complaint_chance(promotional=True, hard_time=False, b=B), seed=2)
    support = complaint_chance(promotional=False, hard_time=True, b=B)
    assert hard > 20 * max(calm, 1 / DRAWS)
    assert support == B.complaint_base


def test_distrust_raises_withdrawal_and_churn_hazards() -> None:
    assert weekly_hazard(0.2, 0.05) > weekly_hazard(0.8, 0.05) > weekly_hazard(1.0, 0.05) == 0
    assert weekly_hazard(1.0, 0.05, base=0.003) == 0.003


def test_draws_are_seeded_and_match_their_parameters() -> None:
    t1 = draw_tolerances(np.random.default_rng(3), 5000, B)
    t2 = draw_tolerances(np.random.default_rng(3), 5000, B)
    assert (t1 == t2).all() and t1.min() >= 1
    assert np.median(t1) == pytest.approx(B.tolerance_median, rel=0.05)
    trust = draw_trust(np.random.default_rng(3), 5000, B)
    assert trust.mean() == pytest.approx(B.trust_mean, abs=0.01)


def test_with_value_names_the_parameter_and_the_reason() -> None:
    assert B.with_value("retrain_weeks", "2").retrain_weeks == 2
    with pytest.raises(InvalidInput, match="unknown parameter 'patience'") as err:
        B.with_value("patience", "1")
    assert err.value.field == "sweep"
    with pytest.raises(InvalidInput, match="retrain_weeks must be a number"):
        B.with_value("retrain_weeks", "1.5")
    with pytest.raises(InvalidInput, match="must not be negative"):
        B.with_value("pick_base", "-1")


def test_distrust_raises_the_complaint_rate() -> None:
    wary = complaint_chance(promotional=True, hard_time=False, b=B, trust=0.2)
    usual = complaint_chance(promotional=True, hard_time=False, b=B, trust=B.trust_mean)
    trusting = complaint_chance(promotional=True, hard_time=False, b=B, trust=0.95)
    assert wary > usual > trusting
    assert usual == pytest.approx(B.complaint_base)
