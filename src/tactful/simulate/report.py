"""Writing a result: the JSON (sorted keys, so the same seed gives the same bytes), the
comparison table, and the weekly curves (a figure: PNG for the CLI, SVG for the console)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tactful.simulate.metrics import METRICS

CAVEAT = "What the model shows under its assumptions (docs/simulation.md), not a forecast."


def to_json(result: dict[str, Any]) -> bytes:
    return orjson.dumps(result, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"


def compact_text(x: float) -> str:
    """A difference in three significant digits, signed (the CLI's table: ``+6.21e+03``)."""
    return f"{x:+.3g}"


def signed_text(x: float) -> str:
    """A difference as ``number_text`` writes figures, signed (the console: ``+6,206``)."""
    return ("-" if x < 0 else "+") + number_text(abs(x))


def table_rows(
    result: dict[str, Any], difference: Callable[[float], str] = compact_text
) -> tuple[list[str], list[list[str]]]:
    """Header and rows: each metric's summary per policy, then first − other with its 95 %
    interval when there were several runs (written by ``difference``)."""
    names = list(result["parameters"].get("policies") or result["policies"])
    header = ["metric", *names]
    comparisons = result.get("comparison", {})
    header += list(comparisons)
    rows = []
    for k, metric in enumerate(METRICS):
        row = [metric, *(number_text(result["policies"][n]["summary"][metric]) for n in names)]
        for diffs in comparisons.values():
            d = diffs[k]
            cell = difference(d["difference"])
            if d["low"] is not None:
                cell += f" [{difference(d['low'])}, {difference(d['high'])}]"
            row.append(cell)
        rows.append(row)
    return header, rows


def number_text(x: float) -> str:
    """A figure as the table shows it: three decimals below 10, else whole with commas."""
    return f"{x:.3f}" if abs(x) < 10 and x != int(x) else f"{x:,.0f}"


def markdown(result: dict[str, Any]) -> str:
    header, rows = table_rows(result)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def figure(result: dict[str, Any]) -> Figure:
    """Weekly curves of every metric, one panel each, one line per policy (a bare
    ``Figure`` on the Agg canvas: no display, no pyplot state, safe in server threads)."""
    fig = Figure(figsize=(16, 9), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(3, 4)
    for ax, metric in zip(axes.flat, METRICS, strict=True):
        for name, policy in result["policies"].items():
            weeks = policy["weeks"]
            marker = "o" if len(weeks) <= 13 else None  # one week is a point, not a line
            xs = range(1, len(weeks) + 1)
            ax.plot(xs, [w[metric] for w in weeks], label=name, marker=marker)
        ax.set_title(metric.replace("_", " "))
        ax.set_xlabel("week")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.flat[0].legend()
    runs = result["parameters"].get("runs", 1)
    seeds = f"seed {result['seed']}" + (f", mean of {runs} runs" if runs > 1 else "")
    fig.suptitle(f"Tactful simulation, {seeds}. {CAVEAT}")
    return fig


def plot(result: dict[str, Any], path: Path) -> None:
    """The weekly curves (``figure``) as a PNG."""
    figure(result).savefig(path, dpi=90, metadata={"Software": None})
