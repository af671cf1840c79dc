"""``tactful handoffs list`` and ``show`` on a temporary SQLite database."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tactful.cli.main import app
from tactful.records import Case, CaseStatus

runner = CliRunner()
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TACTFUL_DATABASE_URL", f"sqlite:///{tmp_path / 't.db'}")
    monkeypatch.setenv("TACTFUL_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("TACTFUL_CONFIG", str(tmp_path / "absent.toml"))
    return tmp_path


def open_cases() -> None:
    from tactful.app.open import open_app
    from tactful.settings import Settings

    tactful = open_app(Settings())
    brief = {"summary": "They asked for a person.", "approach": "Reply personally."}
    for i, subject in enumerate(["ann", "bob"]):
        tactful.stores.handoffs.open(
            Case(f"hc{i}", subject, "explicit_request", NOW, CaseStatus.OPEN, brief)
        )
    tactful.handoffs.claim("hc1", "ana")
    tactful.close()


def test_list_shows_open_cases_by_default(env: Path) -> None:
    open_cases()
    result = runner.invoke(app, ["handoffs", "list"])
    assert result.exit_code == 0, result.output
    assert "hc0" in result.output and "ann" in result.output
    assert "hc1" not in result.output  # claimed
    result = runner.invoke(app, ["handoffs", "list", "--status", "all", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["case_id"], r["status"], r["claimed_by"]) for r in rows] == [
        ("hc0", "open", None),
        ("hc1", "claimed", "ana"),
    ]


def test_show_prints_the_brief_and_unknown_cases_exit_4(env: Path) -> None:
    open_cases()
    result = runner.invoke(app, ["handoffs", "show", "hc0"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["brief"]["approach"] == "Reply personally."
    assert runner.invoke(app, ["handoffs", "show", "nope"]).exit_code == 4
    assert runner.invoke(app, ["handoffs", "list", "--status", "lost"]).exit_code == 2
