"""The CLI end to end on a temporary SQLite database."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tactful.cli.main import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TACTFUL_DATABASE_URL", f"sqlite:///{tmp_path / 't.db'}")
    monkeypatch.setenv("TACTFUL_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("TACTFUL_CONFIG", str(tmp_path / "absent.toml"))
    return tmp_path


def test_keys_create_prints_only_the_key(env: Path) -> None:
    result = runner.invoke(app, ["keys", "create", "--scope", "admin", "--name", "ops"])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.strip().splitlines()
    assert line.startswith("tk_") and len(line) > 40


def test_keys_create_with_unknown_scope_exits_2(env: Path) -> None:
    result = runner.invoke(app, ["keys", "create", "--scope", "root"])
    assert result.exit_code == 2
    assert "unknown scope" in result.output


def _grant(subjects: list[str]) -> None:
    """Consents and a catalogue, written through the library API."""
    from tactful.app.open import open_app
    from tactful.settings import Settings
    from tactful.types import Item

    tactful = open_app(Settings())
    for s in subjects:
        tactful.consents.record(s, [{"purpose": "personalization", "decision": "granted"}])
    tactful.catalogue.upsert([Item(i, f"Thing {i.upper()}") for i in "xyz"])
    tactful.close()


def test_ingest_jsonl_and_csv_then_train_and_recommend(env: Path) -> None:
    _grant(["a", "b", "c"])
    rows = [
        {"event_id": f"e{i}", "subject_id": s, "type": "purchase", "item_id": it}
        for i, (s, it) in enumerate([("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("c", "x")])
    ]
    rows.append({"event_id": "bad", "subject_id": "zed", "type": "purchase", "item_id": "x"})
    jsonl = env / "events.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    result = runner.invoke(app, ["ingest", str(jsonl)])
    assert result.exit_code == 0, result.output
    assert "consent_required:personalization" in result.output
    csv = env / "more.csv"
    csv.write_text("event_id,subject_id,type,item_id,value\ne0,a,view,x,\ne9,c,rating,z,4.5\n")
    result = runner.invoke(app, ["ingest", str(csv)])
    assert result.exit_code == 0, result.output
    assert "│ 1        │ 1" in result.output  # 1 accepted, 1 duplicate (e0)
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["recommend", "c"])
    assert result.exit_code == 0, result.output
    assert "Because you bought Thing X" in result.output
    result = runner.invoke(app, ["recommend", "c", "--context", "search"])
    assert result.exit_code == 0, result.output
    assert "Because you bought Thing X" in result.output
    result = runner.invoke(app, ["recommend", "c", "--context", "sidebar"])
    assert result.exit_code == 2 and "home" in result.output  # the choices are listed


def test_ingest_missing_file_exits_2(env: Path) -> None:
    result = runner.invoke(app, ["ingest", str(env / "nope.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.output


@pytest.mark.parametrize("columns", ["40", "80"])
def test_an_error_line_keeps_a_long_path_whole(env: Path, columns: str) -> None:
    deep = env / ("a-folder-with-a-long-name-" * 4) / "events-[2026]-final.jsonl"
    result = runner.invoke(app, ["ingest", str(deep)], env={"COLUMNS": columns})
    assert result.exit_code == 2
    assert f"error (FILE): no such file: {deep}\n" in result.output  # one line, not markup


def test_ingest_names_the_line_and_the_parse_error_and_keeps_the_rest(env: Path) -> None:
    _grant(["a"])
    good = [
        {"event_id": f"e{i}", "subject_id": "a", "type": "view", "item_id": "x"} for i in range(3)
    ]
    trailing_comma = json.dumps(good[1])[:-1] + ',"x": 1,}'
    lines = [
        json.dumps(good[0]),
        "not json",
        "",  # blank lines are skipped but still counted
        "[1, 2]",
        trailing_comma,  # the parser points at the comma before the last brace
        '"just a string"',
        json.dumps(good[2]),
    ]
    path = env / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 0, result.output  # rejected rows are reported, not fatal
    assert "│ 2        │ 0          │ 4        │" in result.output
    assert result.stdout.splitlines()[-5:] == [
        "rejected rows (4 of 4 shown):",
        "  line 2: invalid:line: not JSON: invalid literal, expected 'null' (column 1)",
        "  line 4: invalid:event: each event must be a JSON object, got array",
        "  line 5: invalid:line: not JSON: trailing comma is not allowed "
        f"(column {len(trailing_comma) - 1})",
        "  line 6: invalid:event: each event must be a JSON object, got string",
    ]
    atomic = runner.invoke(app, ["ingest", "--atomic", str(path)])
    assert atomic.exit_code == 0 and "│ 0        │ 2          │ 4        │" in atomic.output


def test_csv_rejections_name_the_file_line(env: Path) -> None:
    _grant(["a"])
    path = env / "events.csv"
    path.write_text(
        'event_id,subject_id,type,item_id,text\nc1,a,view,x,\nc2,a,fly,x,\nc3,a,view,,"two\nlines"\n'
        "c4,a,view,y,\n"
    )
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 0, result.output
    tail = result.stdout.splitlines()[-2:]
    assert tail[0] == "  line 3 (c2): invalid:type: unknown event type 'fly'"
    assert tail[1].startswith("  line 5 (c3): invalid:")  # the record that ends on line 5
