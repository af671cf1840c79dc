"""The table and the plot of ``benchmarks/scale.py``'s result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table


def table(result: dict[str, Any]) -> Table:
    t = Table(title=f"cost curve: {result['people']:,} people, {result['items']:,} items")
    t.add_column("cost")
    for row in result["sizes"]:
        t.add_column(f"{row['events_offered']:,} events", justify="right")
    lines: dict[str, list[str]] = {}
    for row in result["sizes"]:
        for name, got in row["ingest"].items():
            lines.setdefault(f"ingest {name} events/s (last 10 %)", []).append(
                f"{got['events_per_s']:,} ({got['last_tenth_events_per_s']:,})"
            )
            lines.setdefault(f"database size {name} MB", []).append(f"{row['db_mb'][name]:,}")
        for label, got in row["train"].items():
            cell = f"{got['seconds']} s, {got['peak_rss_mb']} MB" if "seconds" in got else "error"
            lines.setdefault(f"train {label}", []).append(cell)
        for label, got in row["serve"].items():
            if isinstance(got, dict):
                cell = f"{got['rps']:.0f}/s p50 {got['p50_ms']:.1f} p99 {got['p99_ms']:.1f} ms"
                lines.setdefault(f"serve {label}", []).append(cell)
        lines.setdefault("erase + forget (median of 3)", []).append(
            f"{row['erase']['median_seconds']} s"
        )
    for name, cells in lines.items():
        t.add_row(name, *cells)
    return t


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["events_offered"] / 1e6 for r in result["sizes"]]
    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    series = {
        (0, 0, "ingest events/s"): {
            n: [r["ingest"][n]["events_per_s"] for r in result["sizes"]]
            for n in result["sizes"][0]["ingest"]
        },
        (0, 1, "training seconds"): {
            m: [r["train"][m].get("seconds") for r in result["sizes"]]
            for m in result["sizes"][0]["train"]
        },
        (1, 0, "serving p99 ms (16 connections)"): {
            k: [r["serve"].get(k, {}).get("p99_ms") for r in result["sizes"]]
            for k in result["sizes"][0]["serve"]
            if isinstance(result["sizes"][0]["serve"][k], dict)
        },
        (1, 1, "database MB"): {
            n: [r["db_mb"][n] for r in result["sizes"]] for n in result["sizes"][0]["db_mb"]
        },
    }
    for (i, j, title), lines in series.items():
        ax = axes[i][j]
        for name, ys in lines.items():
            ax.plot(sizes, ys, marker="o", label=name)
        ax.set_title(title)
        ax.set_xlabel("million events offered")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
