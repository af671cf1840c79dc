"""Fairness on the hand-computed fixture (tests/insights/fixture.py)."""

from __future__ import annotations

import pytest

from tactful.insights.fairness import fairness_report, gini, percentiles
from tests.insights.fixture import WINDOW, rows


def test_gini_and_mid_rank_percentiles() -> None:
    assert gini([1, 1, 1, 1]) == 0.0
    assert gini([0, 0, 0, 4]) == 0.75  # (n - 1) / n when one item has everything
    assert gini([0, 0]) is None
    assert percentiles({"x": 0, "y": 0, "z": 5}) == {"x": 1 / 3, "y": 1 / 3, "z": 5 / 6}


def test_fairness_over_the_window() -> None:
    report = fairness_report(rows(), WINDOW, min_people=2)
    assert (report["exposures"], report["people"]) == (4, 3)
    # Slots per available item i1..i5: 2, 2, 1, 1, 0 -> G = 10 / (5 * 6).
    assert report["exposure_gini"] == pytest.approx(1 / 3, abs=1e-6)
    assert report["catalogue_coverage"] == 0.8
    # Shown slots average 0.583333, the click on i1 and purchase of i3 0.833333.
    assert report["popularity_lift"] == pytest.approx(-0.25, abs=1e-6)
    assert report["category_share"] == {
        "gifts": {"exposures": 0.333333, "catalogue": 0.4, "ratio": 0.833333},
        "health": {"exposures": 0.333333, "catalogue": 0.2, "ratio": 1.666667},
        "kitchen": {"exposures": 0.5, "catalogue": 0.6, "ratio": 0.833333},
    }
    # i2 (health) was shown to a and to c; neither allowed health items.
    assert report["sensitive_exposures"] == 2


def test_groups_by_activity_tercile_and_declared_value() -> None:
    groups = fairness_report(rows(), WINDOW, min_people=2)["groups"]
    withheld = {"exposures": None, "ctr_7d": None, "personalized_share": None}
    # Among the exposed whose analytics is granted (a, b; not c): a 3 events, b 3 (ties by
    # id) -> one person in each of the first two terciles, none in the third.
    assert groups["activity:low"] == {"people": 1, **withheld}
    assert groups["activity:mid"] == {"people": 1, **withheld}
    assert groups["activity:high"] == {"people": 0, **withheld}
    # a and b declared "repairable": 3 exposures; only a's Mar 10 one led to a click in 7 days.
    assert groups["value:repairable"] == {
        "people": 2,
        "exposures": 3,
        "ctr_7d": 0.333333,
        "personalized_share": 0.666667,
    }
    open_ = fairness_report(rows(), WINDOW, min_people=1)["groups"]
    # a: Mar 3 missed by 3 hours (the click came 7 days and 3 hours later), Mar 10 hit.
    assert open_["activity:low"] == {
        "people": 1,
        "exposures": 2,
        "ctr_7d": 0.5,
        "personalized_share": 1.0,
    }
    assert open_["activity:mid"] == {
        "people": 1,
        "exposures": 1,
        "ctr_7d": 0.0,
        "personalized_share": 0.0,
    }


def test_item_figures_are_withheld_when_few_people_were_shown_anything() -> None:
    report = fairness_report(rows(), WINDOW, min_people=4)
    assert report["exposure_gini"] is None
    assert report["catalogue_coverage"] is None
    assert report["popularity_lift"] is None
    assert report["category_share"]["kitchen"] == {
        "exposures": None,
        "catalogue": 0.6,
        "ratio": None,
    }
    assert report["sensitive_exposures"] == 2  # a safety check, always shown
