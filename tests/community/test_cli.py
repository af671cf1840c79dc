"""``tactful communities list | show ID`` on a temporary SQLite database."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tactful.cli.main import app
from tactful.records import Membership

runner = CliRunner()
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TACTFUL_DATABASE_URL", f"sqlite:///{tmp_path / 't.db'}")
    monkeypatch.setenv("TACTFUL_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("TACTFUL_CONFIG", str(tmp_path / "absent.toml"))
    return tmp_path


def define() -> None:
    from tactful.app.open import open_app
    from tactful.settings import Settings

    tactful = open_app(Settings())
    tactful.communities.define(
        [
            {"community_id": "trail", "name": "Trail Clean-ups", "values": ["environment"]},
            {"community_id": "repair", "name": "Repair and Reuse", "values": ["repairable"]},
        ]
    )
    tactful.stores.communities.join(Membership("ann", "trail", NOW))
    tactful.close()


def test_list_prints_every_community_with_exact_counts(env: Path) -> None:
    define()
    result = runner.invoke(app, ["communities", "list"])
    assert result.exit_code == 0, result.output
    assert "communities: 2" in result.output and "Trail Clean-ups" in result.output
    result = runner.invoke(app, ["communities", "list", "--json"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["community_id"], r["members"]) for r in rows] == [("repair", 0), ("trail", 1)]


def test_show_prints_one_and_unknown_ids_exit_4(env: Path) -> None:
    define()
    result = runner.invoke(app, ["communities", "show", "trail"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["min_members"] == 10
    assert runner.invoke(app, ["communities", "show", "nope"]).exit_code == 4


def test_recommend_takes_kinds_and_refuses_unknown_ones(env: Path) -> None:
    result = runner.invoke(app, ["recommend", "ann", "--kinds", "gadget"])
    assert result.exit_code == 2
    assert "kinds" in result.output
