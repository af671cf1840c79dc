"""``tactful insights health | fairness | alerts`` over the stored fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tactful.cli.main import app
from tactful.sql import open_stores
from tests.insights.fixture import load

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    url = f"sqlite:///{tmp_path / 'insights.db'}"
    stores = open_stores(url)
    load(stores)
    stores.close()
    monkeypatch.setenv("TACTFUL_DATABASE_URL", url)
    monkeypatch.setenv("TACTFUL_INSIGHTS__MIN_PEOPLE", "2")
    monkeypatch.setenv("TACTFUL_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("TACTFUL_CONFIG", str(tmp_path / "absent.toml"))
    return tmp_path


def test_health_as_json_with_a_plot(env: Path) -> None:
    plot = env / "health.svg"
    r = runner.invoke(app, ["insights", "health", "--days", "366", "--json", "--plot", str(plot)])
    assert r.exit_code == 0, r.output
    kpis = json.loads(r.output)["kpis"]
    assert (kpis["exposures"], kpis["dismissals"], kpis["people_active"]) == (4, 2, 3)
    assert plot.read_text().lstrip().startswith("<?xml")
    assert "people active" in plot.read_text()


def test_health_and_fairness_tables(env: Path) -> None:
    r = runner.invoke(app, ["insights", "health", "--days", "366"])
    assert r.exit_code == 0, r.output
    assert "exposures" in r.output and "held_back_by_kind" in r.output
    r = runner.invoke(app, ["insights", "fairness", "--days", "366", "--plot", str(env / "f.png")])
    assert r.exit_code == 0, r.output
    assert "sensitive_exposures  2" in r.output
    assert (env / "f.png").read_bytes()[:4] == b"\x89PNG"


def test_alerts_and_a_bad_window(env: Path) -> None:
    r = runner.invoke(app, ["insights", "alerts", "--json"])
    assert r.exit_code == 0, r.output
    names = [a["name"] for a in json.loads(r.output)["alerts"]]
    assert "complaint_rate" in names and "sensitive_exposures" in names
    bad = runner.invoke(app, ["insights", "health", "--days", "0"])
    assert bad.exit_code != 0
    assert "days" in bad.output
