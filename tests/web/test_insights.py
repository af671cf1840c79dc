"""``GET /v1/insights/health|fairness|alerts`` on memory, SQLite and PostgreSQL, over the
hand-computed fixture (tests/insights/fixture.py) stored through the ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tactful.app import build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import InsightsSettings, Settings
from tactful.store import MemoryStores, Stores
from tests.insights.fixture import END, load
from tests.web.conftest import Api, Clock, _api


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def insights_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    settings = Settings(model_dir=tmp_path / "models", insights=InsightsSettings(min_people=2))
    stores: Stores
    if request.param == "memory":
        stores = MemoryStores()
    else:
        from tactful.sql import open_stores

        stores = open_stores(request.getfixturevalue("backend_url")(request.param))
    load(stores)
    clock = Clock()
    clock.now = END
    app = build(settings, stores, FileModelStore(tmp_path / "models"), clock=clock)
    yield _api(app, clock)
    app.close()


def test_health_over_stored_rows(insights_api: Api) -> None:
    r = insights_api.client.get("/v1/insights/health?days=14", headers=insights_api.read)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["window"] == {"start": "2026-03-02T00:00:00Z", "end": "2026-03-16T00:00:00Z"}
    kpis = body["kpis"]
    assert (kpis["people_active"], kpis["withdrawals"], kpis["withdrawal_rate"]) == (3, 2, 0.666667)
    assert kpis["consent_rate"]["analytics"] == 0.666667
    assert (kpis["exposures"], kpis["dismissals"], kpis["dismissal_rate"]) == (4, 2, 0.5)
    assert (kpis["messages_sent"], kpis["complaints"], kpis["complaint_rate"]) == (5, 1, 0.2)
    assert kpis["messages_per_person_week"] == {"p50": 1.25, "p95": 1.475, "max": 1.5}
    assert kpis["suppressed_by_reason"] == {"consent": 1, "quiet_hours": 2}
    assert kpis["fatigued_people"] == 1
    assert kpis["handoffs"] == {
        "opened": 3,
        "resolved": 2,
        "open_now": 2,
        "median_hours_to_resolve": 36.0,
    }
    assert kpis["held_back_by_kind"] == {"budget": 3, "sensitive": 1}
    assert kpis["personalized_share"] == 0.5
    assert kpis["anonymous_responses"] == 7
    assert body["series"]["messages_sent"] == [
        {"week": "2026-W10", "value": 3},
        {"week": "2026-W11", "value": 2},
    ]


def test_fairness_and_alerts_over_stored_rows(insights_api: Api) -> None:
    r = insights_api.client.get("/v1/insights/fairness?days=14", headers=insights_api.read)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["exposure_gini"], body["catalogue_coverage"]) == (0.333333, 0.8)
    assert body["popularity_lift"] == -0.25
    assert body["sensitive_exposures"] == 2
    assert body["groups"]["value:repairable"]["ctr_7d"] == 0.333333
    r = insights_api.client.get("/v1/insights/alerts", headers=insights_api.read)
    assert r.status_code == 200, r.text
    alerts = {a["name"]: a for a in r.json()["alerts"]}
    assert set(alerts) == {
        "withdrawal_rate_rise",
        "messages_p95",
        "complaint_rate",
        "dismissal_rate",
        "sensitive_exposures",
    }
    assert r.json()["crossed"] == ["dismissal_rate"]  # W11: 1 dismissal in 2 exposures


def test_scope_and_bad_days(insights_api: Api) -> None:
    client = insights_api.client
    assert client.get("/v1/insights/health").status_code == 401
    r = client.get("/v1/insights/health?days=0", headers=insights_api.read)
    assert r.status_code == 422
    assert "days" in r.text
    assert (
        client.get("/v1/insights/fairness?days=400", headers=insights_api.read).status_code == 422
    )
