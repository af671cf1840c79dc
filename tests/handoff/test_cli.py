"""``tactful handoffs list | show | claim | resolve`` on a temporary SQLite database."""

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


LONG = ["hc_4f9a1c7e2b8d6a3f0e51", "hc_0b7e3d9c1a5f8e2d4c60"]  # ids as review opens them


def open_long_cases() -> None:
    from tactful.app.open import open_app
    from tactful.settings import Settings

    tactful = open_app(Settings())
    brief = {"approach": "Reply personally, without any offer, and ask how they are doing."}
    for case_id, subject in zip(
        LONG, ["customer-000000000042", "customer-000000000043"], strict=True
    ):
        tactful.stores.handoffs.open(
            Case(case_id, subject, "negative_feedback", NOW, CaseStatus.OPEN, brief)
        )
    tactful.close()


@pytest.mark.parametrize("columns", ["40", "80"])
def test_list_prints_whole_case_ids_at_any_width(env: Path, columns: str) -> None:
    open_long_cases()
    result = runner.invoke(app, ["handoffs", "list"], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for case_id in LONG:
        (row,) = [line for line in lines if case_id in line]
        assert row.startswith(case_id + "  ")  # whole, first, and pasteable as it is
        assert "customer-00000000004" in row and "ask how they are doing." in row
    assert "…" not in result.stdout


def test_claim_and_resolve_print_the_case_and_exit_0(env: Path) -> None:
    open_long_cases()
    claimed = runner.invoke(app, ["handoffs", "claim", LONG[0], "--agent", "ana"])
    assert claimed.exit_code == 0, claimed.output
    body = json.loads(claimed.stdout)
    assert (body["case_id"], body["status"], body["claimed_by"]) == (LONG[0], "claimed", "ana")
    again = runner.invoke(app, ["handoffs", "claim", LONG[0], "--agent", "ana"])
    assert again.exit_code == 0  # the same agent again changes nothing
    resolved = runner.invoke(
        app, ["handoffs", "resolve", LONG[0], "--outcome", "Called them; all well."]
    )
    assert resolved.exit_code == 0, resolved.output
    body = json.loads(resolved.stdout)
    assert (body["status"], body["outcome"], body["claimed_by"]) == (
        "resolved",
        "Called them; all well.",
        "ana",
    )
    listed = runner.invoke(app, ["handoffs", "list", "--status", "resolved", "--json"])
    assert [json.loads(x)["case_id"] for x in listed.stdout.splitlines()] == [LONG[0]]


def test_claim_and_resolve_errors_exit_with_the_mapped_codes(env: Path) -> None:
    from tactful.cli.errors import EXIT_CODES
    from tactful.errors import Conflict, InvalidInput, NotFound

    open_long_cases()
    for args in (["claim", "hc_nope", "--agent", "ana"], ["resolve", "hc_nope", "--outcome", "x"]):
        result = runner.invoke(app, ["handoffs", *args])
        assert result.exit_code == EXIT_CODES[NotFound] == 4, result.output
        assert "no hand-off case 'hc_nope'" in result.output
    assert runner.invoke(app, ["handoffs", "claim", LONG[1], "--agent", "ana"]).exit_code == 0
    taken = runner.invoke(app, ["handoffs", "claim", LONG[1], "--agent", "bo"])
    assert taken.exit_code == EXIT_CODES[Conflict] == 5
    assert "already claimed by ana" in taken.output
    done = ["handoffs", "resolve", LONG[1], "--outcome", "Sorted."]
    assert runner.invoke(app, done).exit_code == 0
    twice = runner.invoke(app, done)
    assert twice.exit_code == EXIT_CODES[Conflict]
    assert f"case {LONG[1]} is already resolved" in twice.output
    blank = runner.invoke(app, ["handoffs", "resolve", LONG[0], "--outcome", " "])
    assert blank.exit_code == EXIT_CODES[InvalidInput] and "(outcome)" in blank.output
