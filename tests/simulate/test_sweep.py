"""Sensitivity: conclusions checked across a parameter's range."""

from typing import Any

import pytest

from tactful.errors import InvalidInput
from tactful.simulate import Config
from tactful.simulate.sweep import conclusions, parse_sweep, sweep


def test_parse_sweep() -> None:
    assert parse_sweep("open_decay=0.7, 0.9") == ("open_decay", ["0.7", "0.9"])
    for bad in ("open_decay", "open_decay=0.7", "=1,2"):
        with pytest.raises(InvalidInput) as err:
            parse_sweep(bad)
        assert err.value.field == "sweep"


def _result(first: dict[str, float], other: dict[str, float]) -> dict[str, Any]:
    base = {
        "churned": 0.0,
        "withdrawals": 0.0,
        "complaints": 0.0,
        "mean_trust": 0.5,
        "purchases": 0.0,
        "revenue": 0.0,
        "promotions_in_hard_times": 0.0,
    }
    return {
        "policies": {
            "a": {"summary": base | first},
            "b": {"summary": base | other},
        }
    }


def test_a_conclusion_holds_in_the_better_direction_only() -> None:
    out = {c["metric"]: c for c in conclusions(_result({"churned": 3}, {"churned": 5}))}
    assert out["churned"]["statement"] == "a keeps more people than b"
    assert out["churned"]["holds"] and out["churned"]["difference"] == -2
    assert not out["revenue"]["holds"]  # a tie is no win


def test_a_sweep_reports_each_conclusion_at_each_value() -> None:
    report = sweep(Config(people=50, weeks=1, seed=2), "campaign_per_week", ["1", "7"])
    assert report["parameter"] == "campaign_per_week" and report["values"] == [1, 7]
    assert len(report["results"]) == 2
    sent = [r["policies"]["baseline"]["summary"]["messages_sent"] for r in report["results"]]
    assert sent[1] > sent[0]
    for c in report["conclusions"]:
        assert len(c["holds"]) == 2
        assert c["verdict"] in {"holds throughout", "never holds", "flips"}


def test_a_sweep_needs_two_policies_and_a_known_parameter() -> None:
    with pytest.raises(InvalidInput, match="at least two"):
        sweep(Config(policies=("tactful",)), "open_decay", ["0.5", "0.9"])
    with pytest.raises(InvalidInput, match="unknown parameter"):
        sweep(Config(), "nerves", ["1", "2"])
