"""A grouped bar chart of evaluation results: one group per metric, one bar per model.

Drawn on a bare ``matplotlib.figure.Figure`` (Agg canvas), so it never needs a display and
never touches pyplot's global state.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tactful.insights.evaluation import metrics
from tactful.insights.evaluation.runner import Result

CHARTED = ("ndcg", "recall", "precision", "map", "hr", "coverage", "diversity", "gini")
"""Metrics on a 0-1 scale, so they share one axis."""


def plot_results(results: Sequence[Result], k: int, path: Path, *, title: str = "") -> Path:
    """Write a PNG bar chart of the 0-1 metrics per model to ``path``; returns the path."""
    labels = [f"{m}@{k}" if m in metrics.AT_K else m for m in CHARTED]
    fig = Figure(figsize=(max(8.0, 1.2 * len(CHARTED) + 0.4 * len(results)), 4.8))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = np.arange(len(CHARTED))
    width = 0.8 / max(len(results), 1)
    for n, result in enumerate(results):
        values = [float(result.metrics.get(m, np.nan)) for m in CHARTED]
        ax.bar(x + (n - (len(results) - 1) / 2) * width, values, width, label=result.model)
    ax.set_xticks(x, labels)
    ax.set_ylim(0, 1)
    ax.set_ylabel("score")
    ax.set_title(title or f"offline evaluation at k={k}")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, format="png", dpi=110)
    return path
