"""``tactful simulate``: compare policies (settings files) by running simulated people
through the real application (docs/simulation.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tactful.cli.errors import reported
from tactful.simulate import Config
from tactful.simulate.report import CAVEAT, plot, table_rows, to_json
from tactful.simulate.simulation import simulate
from tactful.simulate.sweep import parse_sweep, sweep

console = Console()


def _table(result: dict[str, Any]) -> None:
    header, rows = table_rows(result)
    table = Table(title=f"seed {result['seed']}, {result['parameters']['runs']} run(s)")
    for k, name in enumerate(header):
        table.add_column(name, justify="left" if k == 0 else "right")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(CAVEAT)


def _sweep_table(report: dict[str, Any]) -> None:
    table = Table(title=f"sweep of {report['parameter']}")
    table.add_column("conclusion")
    for v in report["values"]:
        table.add_column(f"{report['parameter']}={v}", justify="right")
    table.add_column("verdict")
    for c in report["conclusions"]:
        cells = [
            ("yes" if h else "no") + f" ({d:+.3g})"
            for h, d in zip(c["holds"], c["differences"], strict=True)
        ]
        table.add_row(c["statement"], *cells, c["verdict"])
    console.print(table)
    console.print(CAVEAT)


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate_command(
        *,
        policy: Annotated[
            list[str] | None,
            typer.Option("--policy", help="tactful, baseline or FILE.toml; repeat to compare"),
        ] = None,
        people: Annotated[int, typer.Option("--people", min=50)] = 1000,
        weeks: Annotated[int, typer.Option("--weeks", min=1)] = 26,
        seed: Annotated[int, typer.Option("--seed")] = 0,
        runs: Annotated[
            int, typer.Option("--runs", min=1, help="seeds seed, seed+1, ... for 95% intervals")
        ] = 1,
        population: Annotated[
            str, typer.Option("--population", help="demo, or a ratings FILE (MovieLens, Amazon)")
        ] = "demo",
        json_out: Annotated[Path | None, typer.Option("--json", help="write results here")] = None,
        plot_out: Annotated[Path | None, typer.Option("--plot", help="weekly curves PNG")] = None,
        sweep_spec: Annotated[
            str | None,
            typer.Option("--sweep", help="key=v1,v2,... : one behaviour parameter over values"),
        ] = None,
    ) -> None:
        """Run simulated people through the real application under each policy and compare
        purchases, messages, complaints, withdrawals, churn and trust."""
        with reported():
            config = Config(
                policies=tuple(policy or ("tactful", "baseline")),
                people=people,
                weeks=weeks,
                seed=seed,
                runs=runs,
                population=population,
            )
            parsed = parse_sweep(sweep_spec) if sweep_spec is not None else None
            columns = (TextColumn("simulating"), BarColumn(), MofNCompleteColumn())
            with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
                task = bar.add_task("simulate", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                if parsed is None:
                    out: dict[str, Any] = simulate(config, progress)
                else:
                    out = sweep(config, parsed[0], parsed[1], progress)
            if parsed is None:
                _table(out)
                if plot_out is not None:
                    plot(out, plot_out)
            else:
                _sweep_table(out)
                if plot_out is not None:
                    plot(out["results"][0], plot_out)
            if json_out is not None:
                json_out.write_bytes(to_json(out))
