"""``tactful simulate`` end to end on a tiny population."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tactful.cli import simulate as simulate_cli
from tactful.cli.main import app
from tactful.simulate.metrics import METRICS

runner = CliRunner()
TINY = ["simulate", "--people", "50", "--weeks", "1", "--seed", "4"]


def test_simulate_prints_the_table_and_writes_json_and_a_plot(tmp_path: Path) -> None:
    out, png = tmp_path / "sim.json", tmp_path / "sim.png"
    result = runner.invoke(
        app,
        [
            *TINY,
            "--policy",
            "tactful",
            "--policy",
            "baseline",
            "--json",
            str(out),
            "--plot",
            str(png),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "tactful - baseline" in result.output and "not a forecast" in result.output
    data = json.loads(out.read_text())
    assert data["seed"] == 4
    assert set(data["policies"]["baseline"]["summary"]) == set(METRICS)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_team_policy_file_and_a_sweep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the module's console may have been built (at 80 columns) before COLUMNS could apply
    monkeypatch.setattr(simulate_cli.console, "width", 250)
    team = tmp_path / "quiet.toml"
    team.write_text("[engage]\npromotional_per_week = 1\n")
    out = tmp_path / "sweep.json"
    args = [*TINY, "--policy", str(team), "--policy", "baseline", "--json", str(out)]
    result = runner.invoke(app, [*args, "--sweep", "open_decay=0.5,0.95"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "quiet keeps more people than baseline" in result.output
    data = json.loads(out.read_text())
    assert data["parameter"] == "open_decay" and data["values"] == [0.5, 0.95]


def test_bad_input_exits_2_naming_the_field(tmp_path: Path) -> None:
    result = runner.invoke(app, [*TINY, "--policy", "generous"])
    assert result.exit_code == 2
    assert "policy" in result.output
    result = runner.invoke(app, [*TINY, "--sweep", "courage=1,2"])
    assert result.exit_code == 2 and "unknown parameter" in result.output
