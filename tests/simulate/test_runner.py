"""A small simulation end to end: both policies through the real application."""

from dataclasses import replace
from typing import Any

import pytest

from tactful.errors import InvalidInput
from tactful.simulate import Config, simulate
from tactful.simulate.metrics import METRICS
from tactful.simulate.report import markdown, to_json

SMALL = Config(people=60, weeks=2, seed=5)


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return simulate(SMALL)


def test_the_result_has_the_documented_shape(result: dict[str, Any]) -> None:
    assert set(result) == {"seed", "parameters", "policies", "comparison"}
    assert result["seed"] == 5 and result["parameters"]["people"] == 60
    assert list(result["policies"]) == ["tactful", "baseline"]
    for policy in result["policies"].values():
        assert {"settings", "summary", "weeks"} <= set(policy)
        assert list(policy["summary"]) == list(METRICS)
        assert len(policy["weeks"]) == 2 and all(list(w) == list(METRICS) for w in policy["weeks"])
        assert policy["summary"]["lists_shown"] > 0 and policy["summary"]["messages_sent"] > 0
    assert list(result["comparison"]) == ["tactful - baseline"]
    assert result["parameters"]["policies"] == ["tactful", "baseline"]  # JSON keys are sorted


def test_the_real_guards_held_back_items_and_their_counts_are_in_the_exposure_log(
    result: dict[str, Any],
) -> None:
    tactful = result["policies"]["tactful"]["held_back"]
    baseline = result["policies"]["baseline"]["held_back"]
    assert tactful["budget"] > 0 and tactful["sensitive"] > 0
    assert "sensitive" not in baseline and "creepiness_cooldown" not in baseline


def test_the_real_contact_rules_decided_the_messages(result: dict[str, Any]) -> None:
    tactful = result["policies"]["tactful"]["decisions"]
    baseline = result["policies"]["baseline"]["decisions"]
    assert any(k.startswith("suppress:consent") for k in tactful)  # consent was asked
    assert any(k.split(":")[1] in {"frequency_cap", "quiet_hours", "fatigue"} for k in tactful)
    assert not any(k.split(":")[1] in {"frequency_cap", "quiet_hours", "fatigue"} for k in baseline)
    sent = lambda d: sum(v for k, v in d.items() if k.startswith(("send", "defer")))  # noqa: E731
    assert sent(baseline) > sent(tactful)


def test_the_same_seed_gives_byte_identical_json(result: dict[str, Any]) -> None:
    assert to_json(simulate(SMALL)) == to_json(result)


def test_another_seed_gives_another_run(result: dict[str, Any]) -> None:
    other = simulate(Config(people=60, weeks=2, seed=6, policies=("tactful",)))
    assert other["policies"]["tactful"]["weeks"] != result["policies"]["tactful"]["weeks"]


def test_the_table_lists_every_metric(result: dict[str, Any]) -> None:
    table = markdown(result)
    assert all(f"| {m} |" in table for m in METRICS)


def test_several_runs_give_95_percent_intervals() -> None:
    out = simulate(Config(people=50, weeks=1, seed=1, runs=2))
    diff = out["comparison"]["tactful - baseline"][0]
    assert diff["low"] is not None and diff["low"] <= diff["difference"] <= diff["high"]


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (Config(people=10), "people"),
        (Config(weeks=0), "weeks"),
        (Config(policies=()), "policy"),
        (Config(policies=("tactful", "tactful")), "policy"),
        (Config(population="nowhere.csv"), "population"),
    ],
)
def test_bad_configs_are_refused_naming_the_field(config: Config, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        simulate(config)
    assert err.value.field == field


@pytest.mark.slow
def test_policies_in_two_processes_give_the_same_bytes() -> None:
    config = Config(people=50, weeks=1, seed=9)
    ticks: list[int] = []
    parallel = simulate(replace(config, workers=2), lambda done, total: ticks.append(done))
    assert to_json(parallel) == to_json(simulate(config))
    assert sorted(ticks) == [1, 2]
