"""``tactful tokens create``, ``tactful audit verify`` and ``tactful retention run`` on a
temporary SQLite database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tactful.cli.main import app
from tactful.cli.privacy import parse_duration
from tactful.errors import InvalidInput, Unauthorized
from tactful.privacy import Keyring
from tactful.privacy.tokens import verify
from tactful.settings import Settings

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TACTFUL_DATABASE_URL", f"sqlite:///{tmp_path / 't.db'}")
    monkeypatch.setenv("TACTFUL_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("TACTFUL_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("TACTFUL_SECRET_KEY", "cli-test-secret")
    return tmp_path


def test_tokens_create_prints_a_token_for_that_person(env: Path) -> None:
    result = runner.invoke(app, ["tokens", "create", "alice", "--ttl", "2h"])
    assert result.exit_code == 0, result.output
    (token,) = result.stdout.strip().splitlines()
    now = datetime.now(UTC)
    assert verify(Keyring("cli-test-secret"), token, now=now) == "alice"
    with pytest.raises(Unauthorized, match="expired"):
        verify(Keyring("cli-test-secret"), token, now=now + timedelta(hours=2, minutes=1))


@pytest.mark.parametrize("ttl", ["soon", "90d", "0m"])
def test_tokens_create_refuses_bad_lifetimes(env: Path, ttl: str) -> None:
    result = runner.invoke(app, ["tokens", "create", "alice", "--ttl", ttl])
    assert result.exit_code == 2
    assert "ttl" in result.output


def test_durations() -> None:
    assert parse_duration("90s") == timedelta(seconds=90)
    assert parse_duration("15") == timedelta(minutes=15)
    assert parse_duration("7d") == timedelta(days=7)
    with pytest.raises(InvalidInput):
        parse_duration("1w")


def _activity() -> None:
    from tactful.app.open import open_app

    tactful = open_app(Settings())
    for s in ("a", "b", "c"):
        tactful.consents.record(s, [{"purpose": "personalization", "decision": "granted"}])
    tactful.close()


def test_audit_verify_exits_0_when_intact_and_1_naming_the_first_bad_record(env: Path) -> None:
    _activity()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact: 3 records" in ok.output
    with sqlite3.connect(env / "t.db") as db:
        db.execute("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2")
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1
    assert "first bad record 2" in bad.output and "altered" in bad.output


def test_audit_verify_with_another_secret_fails(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _activity()
    monkeypatch.setenv("TACTFUL_SECRET_KEY", "rotated")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "seal" in result.output


def test_retention_run_reports_counts_per_table(env: Path) -> None:
    from tactful.app.open import open_app

    tactful = open_app(Settings())
    tactful.consents.record("a", [{"purpose": "location", "decision": "granted"}])
    old = (datetime.now(UTC) - timedelta(days=45)).isoformat()
    row = {"event_id": "l1", "subject_id": "a", "type": "location", "occurred_at": old}
    assert tactful.ingestion.record([row]).accepted == 1
    tactful.close()
    result = runner.invoke(app, ["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "events" in result.output and "location" in result.output
    tactful = open_app(Settings())
    assert tactful.stores.events.count() == 0
    assert tactful.rights.verify_audit().intact
    tactful.close()


def test_audit_verify_detects_an_emptied_log_against_its_anchor(env: Path) -> None:
    """Emptying audit_log and audit_head together leaves nothing in the database to
    contradict; the head anchored in a file outside it does."""
    _activity()
    assert list((env / "models" / "audit").glob("anchor-*.json"))
    with sqlite3.connect(env / "t.db") as db:
        db.executescript("DELETE FROM audit_log; DELETE FROM audit_head")
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1, bad.output
    assert "first bad record 1" in bad.output and "anchor" in bad.output
