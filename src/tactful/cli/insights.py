"""``tactful insights health | fairness | alerts [--days N] [--json] [--plot FILE]``:
connection health, fairness on live exposures, and the alerts crossed now
(docs/insights.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from tactful.app import Tactful
from tactful.app.open import open_app
from tactful.cli.errors import reported
from tactful.insights import charts
from tactful.insights.window import MAX_DAYS
from tactful.settings import Settings

insights = typer.Typer(
    help="Insights: connection health, fairness and alerts.", no_args_is_help=True
)
DAYS = Annotated[
    int | None, typer.Option(min=1, max=MAX_DAYS, help="window in days (insights.default_days)")
]
AS_JSON = Annotated[bool, typer.Option("--json", help="print the report as JSON")]
PLOT = Annotated[
    Path | None, typer.Option("--plot", help="write a chart (.svg, .png or .pdf)", dir_okay=False)
]


def _read(call: Callable[[Tactful], Any]) -> Any:
    app = open_app(Settings())
    try:
        return call(app)
    finally:
        app.close()


def _value(v: Any) -> str:
    if v is None:
        return "withheld"
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, Mapping):
        return ", ".join(f"{k} {_value(x)}" for k, x in v.items()) or "-"
    return str(v)


def _table(rows: Mapping[str, Any]) -> str:
    width = max((len(k) for k in rows), default=0)
    return "\n".join(f"{k.ljust(width)}  {_value(v)}" for k, v in rows.items())


@insights.command("health")
def health(days: DAYS = None, as_json: AS_JSON = False, plot: PLOT = None) -> None:
    """Connection health: KPIs over the window (withheld under insights.min_people)."""
    with reported():
        report = _read(lambda app: app.insights.health(days))
        if plot is not None:
            charts.save(charts.series_figure(report), plot)
        if as_json:
            typer.echo(json.dumps(report, default=str, indent=2))
            return
        w = report["window"]
        typer.echo(f"connection health {w['start']:%Y-%m-%d} to {w['end']:%Y-%m-%d}")
        typer.echo(_table(report["kpis"]))


@insights.command("fairness")
def fairness(days: DAYS = None, as_json: AS_JSON = False, plot: PLOT = None) -> None:
    """Fairness on live exposures: concentration, popularity lift, categories, groups."""
    with reported():
        report = _read(lambda app: app.insights.fairness(days))
        if plot is not None:
            charts.save(charts.fairness_figure(report), plot)
        if as_json:
            typer.echo(json.dumps(report, default=str, indent=2))
            return
        w = report["window"]
        typer.echo(f"fairness {w['start']:%Y-%m-%d} to {w['end']:%Y-%m-%d}")
        top = {k: v for k, v in report.items() if k not in ("window", "category_share", "groups")}
        typer.echo(_table(top))
        typer.echo("category share (exposures / catalogue):")
        typer.echo(_table(report["category_share"]))
        typer.echo("groups:")
        typer.echo(_table(report["groups"]))


@insights.command("alerts")
def alerts(days: DAYS = None, as_json: AS_JSON = False, plot: PLOT = None) -> None:
    """The alerts (thresholds from settings); exit 0 whether or not one is crossed.
    ``--days`` and ``--plot`` chart the health series of that window beside them."""
    with reported():
        w, found = _read(lambda app: app.insights.alerts())
        if plot is not None:
            charts.save(charts.series_figure(_read(lambda app: app.insights.health(days))), plot)
        if as_json:
            doc = {
                "window": {"start": w.start, "end": w.end},
                "alerts": [a.to_dict() for a in found],
            }
            doc["crossed"] = [a.name for a in found if a.crossed]
            typer.echo(json.dumps(doc, default=str, indent=2))
            return
        for a in found:
            typer.echo(f"{'CROSSED' if a.crossed else 'ok':8} {a.name}: {a.reason}")


def register(app: typer.Typer) -> None:
    app.add_typer(insights, name="insights")
