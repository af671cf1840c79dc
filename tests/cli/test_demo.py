"""``tactful demo``: the people worth a look on every run, and ``--reset`` rebuilds the shop."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tactful.cli.main import app
from tactful.demo import generate

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TACTFUL_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("TACTFUL_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("TACTFUL_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("COLUMNS", "60")
    return tmp_path


def _events(subject: str | None = None) -> int:
    from tactful.app.open import open_app
    from tactful.settings import Settings

    tactful = open_app(Settings())
    try:
        if subject is not None:
            return len(tactful.stores.events.for_subject(subject))
        return tactful.stores.events.count()
    finally:
        tactful.close()


@pytest.mark.slow
def test_a_second_run_reprints_the_people_and_reset_rebuilds(env: Path) -> None:
    first = runner.invoke(app, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "demo shop:" in first.output
    stored = _events()
    assert stored > 10_000

    again = runner.invoke(app, ["demo", "--no-serve"])
    assert again.exit_code == 0, again.output
    assert "demo shop:" not in again.output  # reused, not loaded again
    for output in (first.output, again.output):
        assert "people worth a look:" in output
        assert "u0002: hiker who wrote a distressed support message" in output
        assert "u0011" in output

    _opens_the_printed_page(first.output)

    # The tour's erasure (of anyone) is undone by a reset, and the models are rebuilt.
    from tactful.app.open import open_app
    from tactful.settings import Settings

    tactful = open_app(Settings())
    tactful.rights.erase("u0001")
    tactful.close()
    assert _events("u0001") == 0
    reset = runner.invoke(app, ["demo", "--no-serve", "--reset"])
    assert reset.exit_code == 0, reset.output
    assert "demo reset" in reset.output and "demo shop:" in reset.output
    assert _events("u0001") > 0  # no tombstone left to refuse them
    assert abs(_events() - stored) < stored // 100  # the shop is generated relative to now
    assert len(list((env / "models").glob("*.npz"))) == 2  # serving model and fallback


def test_the_people_worth_a_look_do_not_depend_on_the_day() -> None:
    from datetime import UTC, datetime

    import numpy as np

    a = generate(rng=np.random.default_rng(42), now=datetime(2026, 1, 1, tzinfo=UTC))
    b = generate(rng=np.random.default_rng(42), now=datetime(2026, 12, 3, tzinfo=UTC))
    assert dict(a.operator_subjects) == dict(b.operator_subjects)


def _opens_the_printed_page(output: str) -> None:
    """The preference-center link ``tactful demo`` prints signs u0001 in to their page."""
    from fastapi.testclient import TestClient

    from tactful.app.open import open_app
    from tactful.settings import Settings
    from tactful.web import create_app

    (line,) = [x for x in output.splitlines() if x.startswith("preference center of u0001")]
    link = line.split(": ", 1)[1]
    assert link.startswith("http://127.0.0.1:8000/me?token=ts_")
    tactful = open_app(Settings())
    try:
        client = TestClient(create_app(tactful.settings, tactful), follow_redirects=False)
        r = client.get(link.removeprefix("http://127.0.0.1:8000"))
        assert r.status_code == 303 and r.headers["location"] == "/me"
        page = client.get("/me")
        assert page.status_code == 200 and "Recommended for you" in page.text
    finally:
        tactful.close()
