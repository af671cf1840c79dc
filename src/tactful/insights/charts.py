"""Charts of the health series and the fairness report, drawn by matplotlib on the server
(bare ``Figure`` + Agg canvas: no display, no pyplot state) as SVG or PNG, each with a text
alternative for people who do not see it."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

CHARTED = (
    "people_active",
    "exposures",
    "dismissal_rate",
    "withdrawal_rate",
    "messages_sent",
    "complaint_rate",
    "personalized_share",
    "mood_trend",
)
"""The weekly series the health chart shows, in this order."""
TITLES = {k: k.replace("_", " ") for k in CHARTED}
STYLE: Any = {"svg.fonttype": "none", "svg.hashsalt": "tactful"}


def _points(series: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[float]]:
    weeks = [str(p["week"]) for p in series]
    values = [np.nan if p["value"] is None else float(p["value"]) for p in series]
    return weeks, values


def series_figure(report: Mapping[str, Any], kpis: Sequence[str] = CHARTED) -> Figure:
    """Small multiples: one line per KPI over the weeks (gaps where a week is withheld)."""
    cols = 2 if len(kpis) > 1 else 1
    rows = -(-len(kpis) // cols)
    fig = Figure(figsize=(4.2 * cols, 2.2 * rows))
    FigureCanvasAgg(fig)
    for n, kpi in enumerate(kpis):
        ax = fig.add_subplot(rows, cols, n + 1)
        weeks, values = _points(report["series"].get(kpi, []))
        ax.plot(range(len(weeks)), values, marker="o", color="#1f5f8b")
        ax.set_xticks(range(len(weeks)), [w.split("-")[-1] for w in weeks])
        ax.set_title(TITLES.get(kpi, kpi))
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def fairness_figure(report: Mapping[str, Any]) -> Figure:
    """Category share of exposures against share of the catalogue, and click-through
    within 7 days per group (withheld groups left out)."""
    fig = Figure(figsize=(8.4, 3.4))
    FigureCanvasAgg(fig)
    shares = report["category_share"]
    names = list(shares)
    x = np.arange(len(names))
    ax = fig.add_subplot(1, 2, 1)
    for offset, key in ((-0.2, "exposures"), (0.2, "catalogue")):
        vals = [np.nan if shares[c][key] is None else shares[c][key] for c in names]
        ax.bar(x + offset, vals, 0.4, label=key)
    ax.set_xticks(x, names, rotation=45, ha="right")
    ax.set_title("category share")
    ax.legend(fontsize="small")
    groups = {k: g for k, g in report["groups"].items() if g["ctr_7d"] is not None}
    ax2 = fig.add_subplot(1, 2, 2)
    ax2.barh(list(groups), [g["ctr_7d"] for g in groups.values()], color="#1f5f8b")
    ax2.set_title("click-through within 7 days")
    fig.tight_layout()
    return fig


def svg(fig: Figure) -> str:
    """The figure as an SVG document (text kept as text, ids stable between runs)."""
    buf = io.StringIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def save(fig: Figure, path: Path) -> Path:
    """Write the figure; the format follows the suffix (``.svg``, ``.png``, ``.pdf``)."""
    path = Path(path)
    with matplotlib.rc_context(STYLE):
        fig.savefig(path, dpi=110, metadata={"Date": None} if path.suffix == ".svg" else None)
    return path


def describe_series(report: Mapping[str, Any], kpis: Sequence[str] = CHARTED) -> str:
    """The text alternative of ``series_figure``: every value, week by week."""
    lines = []
    for kpi in kpis:
        points = report["series"].get(kpi, [])
        values = ", ".join(
            f"{p['week']}: {'withheld' if p['value'] is None else p['value']}" for p in points
        )
        lines.append(f"{TITLES.get(kpi, kpi)} — {values or 'no weeks'}.")
    return " ".join(lines)


def describe_fairness(report: Mapping[str, Any]) -> str:
    """The text alternative of ``fairness_figure``."""
    shares = "; ".join(
        f"{c}: {s['exposures']} of exposures, {s['catalogue']} of the catalogue"
        for c, s in report["category_share"].items()
    )
    ctr = "; ".join(
        f"{k}: {g['ctr_7d']}" for k, g in report["groups"].items() if g["ctr_7d"] is not None
    )
    return f"Category share — {shares or 'none'}. Click-through within 7 days — {ctr or 'none'}."
