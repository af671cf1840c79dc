"""Sensitivity: the same comparison re-run with one behavioural parameter at each of
several values, and for each conclusion ("tactful keeps more people than baseline")
whether it holds at every value, at none, or flips somewhere in the range."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tactful.errors import InvalidInput
from tactful.simulate.runner import Config, Progress
from tactful.simulate.simulation import simulate

CLAIMS: tuple[tuple[str, str, bool], ...] = (
    ("churned", "keeps more people", False),
    ("withdrawals", "loses fewer consents", False),
    ("complaints", "gets fewer complaints", False),
    ("mean_trust", "ends with more trust", True),
    ("purchases", "sells more", True),
    ("revenue", "earns more", True),
    ("promotions_in_hard_times", "sends fewer promotions in hard times", False),
)
"""(metric, claim, whether higher is the claim): each is checked for the first policy
against every other one."""


def parse_sweep(spec: str) -> tuple[str, list[str]]:
    """``key=v1,v2,...`` as the parameter and its values, or ``InvalidInput`` (``sweep``)."""
    key, sep, raw = spec.partition("=")
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if not sep or not key.strip() or len(values) < 2:
        raise InvalidInput("expected key=v1,v2,... with at least two values", field="sweep")
    return key.strip(), values


def conclusions(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each claim of the first policy against each other one, with the difference."""
    names = list(result.get("parameters", {}).get("policies") or result["policies"])
    first = result["policies"][names[0]]["summary"]
    out = []
    for other in names[1:]:
        theirs = result["policies"][other]["summary"]
        for metric, claim, higher in CLAIMS:
            diff = first[metric] - theirs[metric]
            out.append(
                {
                    "statement": f"{names[0]} {claim} than {other}",
                    "metric": metric,
                    "difference": round(diff, 6),
                    "holds": diff > 0 if higher else diff < 0,
                }
            )
    return out


def sweep(
    config: Config, key: str, values: Sequence[str], progress: Progress | None = None
) -> dict[str, Any]:
    """Run ``config`` once per value of ``key``; report each conclusion across the range."""
    if len(config.policies) < 2:
        raise InvalidInput("a sweep compares policies: name at least two", field="policy")
    configs = [replace(config, behaviour=config.behaviour.with_value(key, v)) for v in values]
    total = len(configs)
    results = []
    for k, c in enumerate(configs):
        inner = None if progress is None else _scaled(progress, k, total)
        results.append(simulate(c, inner))
    per_value = [conclusions(r) for r in results]
    table = []
    for j, first in enumerate(per_value[0]):
        holds = [row[j]["holds"] for row in per_value]
        verdict = "holds throughout" if all(holds) else "never holds" if not any(holds) else "flips"
        table.append(
            {
                "statement": first["statement"],
                "metric": first["metric"],
                "holds": holds,
                "differences": [row[j]["difference"] for row in per_value],
                "verdict": verdict,
            }
        )
    return {
        "parameter": key,
        "values": [getattr(c.behaviour, key) for c in configs],
        "conclusions": table,
        "results": results,
    }


def _scaled(progress: Progress, k: int, total: int) -> Progress:
    def inner(done: int, of: int) -> None:
        progress(k * of + done, total * of)

    return inner
