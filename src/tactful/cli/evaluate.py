"""``tactful evaluate``: offline accuracy and beyond-accuracy evaluation of the models."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tactful.cli.errors import reported
from tactful.errors import InvalidInput
from tactful.insights.evaluation.loaders import (
    Format,
    Ratings,
    load_fixed_split,
    load_item_attributes,
    load_ratings,
)
from tactful.insights.evaluation.runner import ModelSpec, Result, Setup, evaluate_models
from tactful.insights.evaluation.search import Budget
from tactful.insights.evaluation.splits import Split, SplitKind

console = Console()
Lineup = Callable[[], Mapping[str, ModelSpec]]
DEFAULT_MODELS = "pop,itemknn,ease,als,bpr,content,blend"
HEADERS = {"train_seconds": "train s", "popularity_rank": "pop rank"}


class DataFormat(StrEnum):
    MOVIELENS = "movielens"
    MOVIELENS_CSV = "movielens-csv"
    AMAZON_JSON = "amazon-json"


class SplitChoice(StrEnum):
    RANDOM = "random"
    TEMPORAL = "temporal"


FORMAT_OF: dict[DataFormat, Format] = {
    DataFormat.MOVIELENS: "movielens",
    DataFormat.MOVIELENS_CSV: "movielens-csv",
    DataFormat.AMAZON_JSON: "amazon-json",
}
SPLIT_OF: dict[SplitChoice, SplitKind] = {
    SplitChoice.RANDOM: "random",
    SplitChoice.TEMPORAL: "temporal",
}


def _default_lineup() -> Mapping[str, ModelSpec]:
    from tactful.insights.evaluation.lineup import default_lineup

    return default_lineup()


def _guess_format(path: Path) -> DataFormat:
    name = path.name.lower()
    if name.endswith(".csv"):
        return DataFormat.MOVIELENS_CSV
    if name.endswith((".json", ".json.gz", ".jsonl", ".jsonl.gz")):
        return DataFormat.AMAZON_JSON
    if name.endswith(".data"):
        return DataFormat.MOVIELENS
    raise typer.BadParameter(
        f"cannot tell the format of {path.name}; pass one of "
        + ", ".join(f.value for f in DataFormat),
        param_hint="'--format'",
    )


def _chosen(
    models: str | None, lineup: Mapping[str, ModelSpec], has_attributes: bool
) -> list[ModelSpec]:
    """The named specs; by default every default model the data can feed."""
    if models is None:
        names = [n for n in DEFAULT_MODELS.split(",") if n in lineup]
        skipped = [n for n in names if lineup[n].needs_attributes and not has_attributes]
        if skipped:
            console.print(f"skipping {', '.join(skipped)}: no item attributes next to --data")
        return [lineup[n] for n in names if n not in skipped]
    names = [m.strip() for m in models.split(",") if m.strip()]
    if not names:
        raise typer.BadParameter("name at least one model", param_hint="'--models'")
    unknown = [n for n in names if n not in lineup]
    if unknown:
        raise typer.BadParameter(
            f"unknown model {unknown[0]!r}; choose from {', '.join(lineup)}",
            param_hint="'--models'",
        )
    needy = [n for n in names if lineup[n].needs_attributes and not has_attributes]
    if needy:
        raise typer.BadParameter(
            f"{needy[0]!r} needs item attributes (movies.csv or u.item next to --data)",
            param_hint="'--models'",
        )
    return [lineup[n] for n in dict.fromkeys(names)]


def _cell(value: object) -> str:
    """Scores with four decimals; seconds, novelty and ranks (above 1) with two."""
    if not isinstance(value, int | float):
        return "-"
    return f"{value:.4f}" if abs(value) < 1 else f"{value:.2f}"


def _table(results: Sequence[Result], title: str, columns: Sequence[str], k: int) -> Table:
    table = Table(title=title)
    table.add_column("model", style="bold")
    for column in columns:
        table.add_column(HEADERS.get(column, column), justify="right")
    for result in results:
        row = result.to_row(k)
        cells = [_cell(row.get(c)) for c in columns]
        table.add_row(result.model, *cells)
    return table


def _by_activity(results: Sequence[Result], k: int) -> Table:
    """NDCG and recall per activity tercile of the test users (fewest interactions first)."""
    table = Table(title="quality per activity tercile (test users by training interactions)")
    table.add_column("model", style="bold")
    names = [n for n in ("low", "mid", "high") if any(n in r.by_activity for r in results)]
    for name in names:
        users = next(
            (int(r.by_activity[name]["users"]) for r in results if name in r.by_activity), 0
        )
        table.add_column(f"{name} ndcg@{k} ({users} users)", justify="right")
        table.add_column(f"{name} recall@{k}", justify="right")
    for r in results:
        cells = []
        for name in names:
            part = r.by_activity.get(name, {})
            cells += [_cell(part.get("ndcg")), _cell(part.get("recall"))]
        table.add_row(r.model, *cells)
    return table


def _print(results: Sequence[Result], k: int, title: str) -> None:
    """Two narrow tables (accuracy, then beyond accuracy) and the parameters used."""
    accuracy = [f"ndcg@{k}", f"recall@{k}", f"precision@{k}", f"map@{k}", f"hr@{k}"]
    console.print(_table(results, title, [*accuracy, "train_seconds"], k))
    beyond = ["coverage", "diversity", "novelty", "popularity_rank", "gini"]
    console.print(_table(results, "beyond accuracy", beyond, k))
    console.print(_by_activity(results, k))
    for result in results:
        params = " ".join(f"{key}={value}" for key, value in result.params.items())
        console.print(f"[bold]{result.model}[/bold] {params or '(no parameters)'}{_stop(result)}")


def _stop(result: Result) -> str:
    """How tuning ended, when it ended at an edge it could not pass."""
    if result.stopped in ("budget", "bounds") and result.edges:
        reason = "budget spent" if result.stopped == "budget" else "at the bound"
        return f" (tuning stopped, {reason}, at the edge: {', '.join(result.edges)})"
    if result.stopped:
        return f" ({len(result.trials)} points tried)"
    return ""


def _describe(
    data: Path, fmt: DataFormat, ratings: Ratings, setup: Setup, tune: bool
) -> dict[str, Any]:
    return {
        "data": str(data),
        "format": fmt.value,
        "users": ratings.n_users,
        "items": ratings.n_items,
        "ratings": len(ratings),
        "tuned": tune,
        **setup.to_dict(),
    }


def _output(
    results: Sequence[Result], protocol: Mapping[str, Any], json_out: Path | None, plot: Path | None
) -> None:
    """Print the tables, then write the JSON report and the chart if asked."""
    k = int(protocol["k"])
    title = f"{Path(protocol['data']).name}: {protocol['users']} users, {protocol['items']} items"
    _print(results, k, f"{title}, k={k}")
    if json_out is not None:
        report = {"protocol": dict(protocol), "results": [r.to_row(k) for r in results]}
        json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        console.print(f"wrote {json_out}")
    if plot is not None:
        from tactful.insights.evaluation.chart import plot_results

        plot_results(results, k, plot, title=f"{title}, k={k}")
        console.print(f"wrote {plot}")


def register(app: typer.Typer, *, lineup: Lineup | None = None) -> None:
    """Add ``evaluate`` to the app; ``lineup`` replaces the models (tests use tiny ones)."""
    get_lineup = lineup or _default_lineup

    @app.command("evaluate")
    def evaluate(
        *,
        data: Annotated[
            Path | None, typer.Option("--data", help="ratings file, split by --split")
        ] = None,
        train: Annotated[
            Path | None,
            typer.Option("--train", help="a fixed split: the training ratings (with --test)"),
        ] = None,
        test: Annotated[
            Path | None, typer.Option("--test", help="a fixed split: the held-out ratings")
        ] = None,
        fmt: Annotated[
            DataFormat | None, typer.Option("--format", help="default: from the file name")
        ] = None,
        split: Annotated[
            SplitChoice,
            typer.Option("--split", help="how --data is split (and validation carved for --tune)"),
        ] = SplitChoice.RANDOM,
        test_fraction: Annotated[
            float, typer.Option("--test-fraction", help="share of each user's ratings held out")
        ] = 0.25,
        seed: Annotated[int, typer.Option("--seed")] = 42,
        k: Annotated[int, typer.Option("--k", min=1, help="list length")] = 10,
        models: Annotated[
            str | None,
            typer.Option("--models", help=f"comma-separated [default: {DEFAULT_MODELS}]"),
        ] = None,
        tune: Annotated[
            bool,
            typer.Option(
                "--tune", help="search on a validation split: the grid, then past its edges"
            ),
        ] = False,
        tune_budget: Annotated[
            float,
            typer.Option(
                "--tune-budget",
                min=1.0,
                help="seconds each model's search may take before it stops extending",
            ),
        ] = 600.0,
        json_out: Annotated[Path | None, typer.Option("--json", help="write results here")] = None,
        plot: Annotated[Path | None, typer.Option("--plot", help="write a PNG chart here")] = None,
    ) -> None:
        """Evaluate models offline: full ranking, every held-out rating relevant. Give one
        ratings file (--data, split here) or a fixed split (--train and --test)."""
        if not 0.0 < test_fraction < 1.0:
            raise typer.BadParameter("must be between 0 and 1", param_hint="'--test-fraction'")
        with reported():  # paths are reported on one unwrapped line, so they stay whole
            sources = _sources(data, train, test)
            for option, out in (("--json", json_out), ("--plot", plot)):
                if out is not None and not out.parent.is_dir():
                    raise InvalidInput(f"no folder {out.parent}", field=option)
            chosen_format = fmt or _guess_format(sources[0])
            ratings, fixed = _load(sources, FORMAT_OF[chosen_format])
            items = load_item_attributes(sources[0], FORMAT_OF[chosen_format])
            specs = _chosen(models, get_lineup(), bool(items))
            setup = Setup(
                split=SPLIT_OF[split],
                test_fraction=test_fraction,
                seed=seed,
                k=k,
                budget=Budget(seconds=tune_budget),
            )
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
            with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
                results = evaluate_models(
                    ratings, specs, setup=setup, tuned=tune, items=items, progress=bar, fixed=fixed
                )
            protocol = _describe(sources[0], chosen_format, ratings, setup, tune)
            if fixed is not None:
                protocol |= _fixed_protocol(sources, fixed)
            _output(results, protocol, json_out, plot)


def _sources(data: Path | None, train: Path | None, test: Path | None) -> tuple[Path, ...]:
    """``(data,)`` or ``(train, test)``, each an existing file."""
    if data is not None and (train is not None or test is not None):
        raise InvalidInput("give --data, or --train and --test, not both", field="--data")
    if data is None and (train is None or test is None):
        missing = "--test" if train is not None else "--train" if test is not None else "--data"
        raise InvalidInput("give --data, or --train and --test", field=missing)
    named = (("--data", data),) if data is not None else (("--train", train), ("--test", test))
    for option, path in named:
        assert path is not None
        if not path.is_file():
            raise InvalidInput(f"{path} is not a file", field=option)
    return tuple(p for _, p in named if p is not None)


def _load(sources: tuple[Path, ...], fmt: Format) -> tuple[Ratings, Split | None]:
    if len(sources) == 1:
        return load_ratings(sources[0], fmt), None
    train, test = load_fixed_split(sources[0], sources[1], fmt)
    return train, Split(train, test)


def _fixed_protocol(sources: tuple[Path, ...], fixed: Split) -> dict[str, Any]:
    """What a fixed split changes in the protocol: the files, not a fraction or seed."""
    both = np.unique(np.concatenate([fixed.train.users, fixed.test.users]))
    return {
        "split": "fixed",
        "train": str(sources[0]),
        "test": str(sources[1]),
        "test_fraction": None,
        "users": len(both),
        "ratings": len(fixed.train) + len(fixed.test),
        "train_ratings": len(fixed.train),
        "test_ratings": len(fixed.test),
    }
