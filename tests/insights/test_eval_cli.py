"""``tactful evaluate`` on a tiny generated MovieLens file, through Typer's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Self

import numpy as np
import pytest
import scipy.sparse as sp
import typer
from typer.testing import CliRunner

from tactful.cli.evaluate import register
from tactful.insights.evaluation.runner import ModelSpec, Params
from tactful.recommend.interactions import Interactions
from tactful.types import Item, ItemId


class Pop:
    """Most-rated first; ``items_`` are the training columns."""

    def __init__(self) -> None:
        self.items_: tuple[ItemId, ...] = ()

    def fit(self, interactions: Interactions) -> Self:
        self.items_ = interactions.items
        self.counts_ = np.asarray(interactions.matrix.sum(axis=0)).ravel()
        return self

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        return np.tile(self.counts_, (rows.shape[0], 1))


class Cooc(Pop):
    def fit(self, interactions: Interactions) -> Self:
        super().fit(interactions)
        self.sim_ = (interactions.matrix.T @ interactions.matrix).toarray()
        return self

    def score_batch(self, rows: sp.csr_matrix) -> np.ndarray:
        return np.asarray(rows @ self.sim_)


def _lineup() -> Mapping[str, ModelSpec]:
    def pop(params: Params, items: Sequence[Item]) -> Pop:
        return Pop()

    def cooc(params: Params, items: Sequence[Item]) -> Cooc:
        return Cooc()

    def genre(params: Params, items: Sequence[Item]) -> Pop:
        assert items, "the content stand-in must receive item attributes"
        return Pop()

    return {
        "pop": ModelSpec("pop", pop),
        "cooc": ModelSpec("cooc", cooc, defaults={"n": 1}, grid={"n": [1, 2]}),
        "content": ModelSpec("content", genre, needs_attributes=True),
    }


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app, lineup=_lineup)

    @app.command("noop")
    def noop() -> None:  # a second command keeps "evaluate" a named sub-command
        """Nothing."""

    return app


@pytest.fixture
def ratings(tmp_path: Path) -> Path:
    """Two communities of 12 users: the first rates items 1-6, the second 11-16."""
    lines = ["userId,movieId,rating,timestamp"]
    for u in range(24):
        base = 1 if u < 12 else 11
        lines += [f"{u},{base + i},4.0,{1000 + u * 10 + i}" for i in range(6)]
    path = tmp_path / "ratings.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def test_evaluate_writes_json_and_plot(app: typer.Typer, ratings: Path, tmp_path: Path) -> None:
    out, png = tmp_path / "r.json", tmp_path / "r.png"
    args = ["evaluate", "--data", str(ratings), "--models", "pop,cooc", "--k", "3"]
    result = CliRunner().invoke(
        app, [*args, "--tune", "--json", str(out), "--plot", str(png), "--test-fraction", "0.34"]
    )
    assert result.exit_code == 0, result.output
    assert "ndcg@3" in result.output
    report = json.loads(out.read_text())
    assert report["protocol"]["k"] == 3 and report["protocol"]["users"] == 24
    assert report["protocol"]["format"] == "movielens-csv"
    rows = {row["model"]: row for row in report["results"]}
    assert set(rows) == {"pop", "cooc"}
    # Two test items per user, both found by co-occurrence: recall@3 = 2 / min(3, 2).
    assert rows["cooc"]["recall@3"] == pytest.approx(1.0)
    assert rows["cooc"]["ndcg@3"] > rows["pop"]["ndcg@3"]
    assert [t["params"]["n"] for t in rows["cooc"]["tuning"]] == [1, 2]
    for key in ("precision@3", "map@3", "hr@3", "coverage", "diversity", "novelty", "gini"):
        assert key in rows["pop"]
    # Quality per activity tercile: 24 test users, 8 per tercile; co-occurrence finds all.
    terciles = rows["cooc"]["by_activity"]
    assert [t["users"] for t in terciles.values()] == [8, 8, 8]
    assert all(t["recall@3"] == pytest.approx(1.0) for t in terciles.values())
    assert "quality per activity tercile" in result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_content_needs_item_attributes(app: typer.Typer, ratings: Path) -> None:
    args = ["evaluate", "--data", str(ratings), "--models", "content"]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2
    assert "--models" in refused.output and "attributes" in refused.output
    (ratings.parent / "movies.csv").write_text(
        "movieId,title,genres\n" + "".join(f"{i},M{i},Drama\n" for i in range(1, 17))
    )
    assert CliRunner().invoke(app, args).exit_code == 0


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--models", "pop,nope"], "--models"),
        (["--test-fraction", "1.5"], "--test-fraction"),
        (["--format", "parquet"], "--format"),
        (["--split", "kfold"], "--split"),
        (["--k", "0"], "--k"),
        (["--json", "/no/such/dir/out.json"], "--json"),
    ],
)
def test_bad_arguments_exit_2_naming_the_option(
    app: typer.Typer, ratings: Path, extra: list[str], option: str
) -> None:
    result = CliRunner().invoke(app, ["evaluate", "--data", str(ratings), *extra])
    assert result.exit_code == 2
    assert option in result.output


def test_bad_file_exits_2_with_the_line(app: typer.Typer, tmp_path: Path) -> None:
    bad = tmp_path / "ratings.csv"
    bad.write_text("userId,movieId,rating,timestamp\n1,2,x,3\n")
    result = CliRunner().invoke(app, ["evaluate", "--data", str(bad), "--models", "pop"])
    assert result.exit_code == 2
    assert "ratings.csv:2" in result.output
    missing = CliRunner().invoke(app, ["evaluate", "--data", str(tmp_path / "none.csv")])
    assert missing.exit_code == 2 and "--data" in missing.output


def test_default_lineup_runs_real_models(ratings: Path, tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:
        """Nothing."""

    out = tmp_path / "real.json"
    args = ["evaluate", "--data", str(ratings), "--models", "pop,ease,itemknn", "--k", "2"]
    result = CliRunner().invoke(app, [*args, "--test-fraction", "0.34", "--json", str(out)])
    assert result.exit_code == 0, result.output
    rows = {row["model"]: row for row in json.loads(out.read_text())["results"]}
    assert rows["ease"]["params"] == {"l2": 500.0}
    assert rows["ease"]["ndcg@2"] == pytest.approx(1.0)
    assert rows["itemknn"]["precision@2"] == pytest.approx(1.0)
    assert rows["pop"]["ndcg@2"] < 1.0


def test_default_models_skip_those_the_data_cannot_feed(app: typer.Typer, ratings: Path) -> None:
    out = ratings.parent / "d.json"
    result = CliRunner().invoke(app, ["evaluate", "--data", str(ratings), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "skipping content" in result.output
    assert [row["model"] for row in json.loads(out.read_text())["results"]] == ["pop"]


@pytest.mark.parametrize("depth", [1, 5, 9])
def test_a_bad_file_under_a_long_path_is_named_on_one_line(
    app: typer.Typer, tmp_path: Path, depth: int
) -> None:
    folder = tmp_path / ("x" * (13 * depth))
    folder.mkdir()
    bad = folder / "ratings.csv"
    bad.write_text("userId,movieId,rating,timestamp\n1,2,x,3\n")
    result = CliRunner().invoke(app, ["evaluate", "--data", str(bad), "--models", "pop"])
    assert result.exit_code == 2
    assert f"{bad}:2: rating must be a number" in result.output
    missing = folder / "none.csv"
    result = CliRunner().invoke(app, ["evaluate", "--data", str(missing)])
    assert result.exit_code == 2
    assert f"error (--data): {missing} is not a file" in result.output


@pytest.fixture
def fixed(tmp_path: Path) -> tuple[Path, Path]:
    """The same two communities, split by hand: each user holds out two of their six items
    (which ones varies by user), so every held-out item is in other people's training part."""
    train, test = ["userId,movieId,rating,timestamp"], ["userId,movieId,rating,timestamp"]
    for u in range(24):
        base = 1 if u < 12 else 11
        held = {base + u % 3, base + u % 3 + 3}
        for i in range(6):
            (test if base + i in held else train).append(f"{u},{base + i},4.0,{1000 + i}")
    paths = tmp_path / "train.csv", tmp_path / "test.csv"
    for path, lines in zip(paths, (train, test), strict=True):
        path.write_text("\n".join(lines) + "\n")
    return paths


def test_evaluate_on_a_fixed_split(
    app: typer.Typer, fixed: tuple[Path, Path], tmp_path: Path
) -> None:
    train, test = fixed
    reports = []
    for seed in ("1", "2"):  # the split is the files': no seed changes it
        out = tmp_path / f"fixed{seed}.json"
        args = ["evaluate", "--train", str(train), "--test", str(test), "--models", "pop,cooc"]
        result = CliRunner().invoke(app, [*args, "--k", "3", "--seed", seed, "--json", str(out)])
        assert result.exit_code == 0, result.output
        reports.append(json.loads(out.read_text()))
    protocol = reports[0]["protocol"]
    assert protocol["split"] == "fixed" and protocol["test_fraction"] is None
    assert protocol["train"] == str(train) and protocol["test"] == str(test)
    assert (protocol["train_ratings"], protocol["test_ratings"]) == (96, 48)
    assert protocol["users"] == 24 and protocol["items"] == 12
    rows = {row["model"]: row for row in reports[0]["results"]}
    assert rows["cooc"]["recall@3"] == pytest.approx(1.0)  # both held-out items, every user
    assert [r["ndcg@3"] for r in reports[0]["results"]] == [
        r["ndcg@3"] for r in reports[1]["results"]
    ]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--train", "{train}"], "--test"),
        (["--test", "{test}"], "--train"),
        (["--data", "{train}", "--train", "{train}", "--test", "{test}"], "--data"),
        (["--train", "{train}", "--test", "{missing}"], "--test"),
        ([], "--data"),
    ],
)
def test_a_fixed_split_needs_both_files_and_not_data(
    app: typer.Typer, fixed: tuple[Path, Path], args: list[str], option: str
) -> None:
    train, test = fixed
    paths = {"train": train, "test": test, "missing": train.parent / "none.csv"}
    result = CliRunner().invoke(app, ["evaluate", *(a.format(**paths) for a in args)])
    assert result.exit_code == 2
    assert option in result.output
