import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from tactful.cli.mood import register

runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Keeps Typer in multi-command mode so ``mood`` is addressed by name."""

    register(app)
    return app


def test_one_text_prints_one_json_object() -> None:
    result = runner.invoke(
        make_app(), ["mood", "My father passed away last week and I miss him terribly"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["valence"] < 0
    assert "negative" in out["sentiment"]
    assert out["distress"] is True
    assert set(out["emotions"]) == {
        "anger",
        "disgust",
        "fear",
        "joy",
        "sadness",
        "surprise",
        "neutral",
    }
    assert [e["kind"] for e in out["life_events"]] == ["bereavement"]
    assert 0 < out["life_events"][0]["confidence"] <= 1


def test_file_prints_one_json_line_per_text(tmp_path: Path) -> None:
    texts = tmp_path / "texts.txt"
    texts.write_text("I love this tent!\n\nI lost my job and can't pay rent\n", encoding="utf-8")
    result = runner.invoke(make_app(), ["mood", "--file", str(texts)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2  # the blank line is not a text
    assert "positive" in lines[0]["sentiment"] and lines[0]["life_events"] == []
    assert {e["kind"] for e in lines[1]["life_events"]} == {"job_loss", "financial_hardship"}


def test_missing_file_exits_2_with_a_message(tmp_path: Path) -> None:
    result = runner.invoke(make_app(), ["mood", "--file", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert result.stdout.strip() == ""


def test_text_and_file_together_or_neither_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(make_app(), ["mood"]).exit_code == 2
    both = runner.invoke(make_app(), ["mood", "hi", "--file", str(tmp_path / "x")])
    assert both.exit_code == 2


def test_requests_are_printed_with_their_evidence() -> None:
    result = runner.invoke(make_app(), ["mood", "Please stop sending me emails"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["requests"] == [
        {"kind": "stop_messages", "confidence": 0.9, "evidence": "stop sending me"}
    ]
