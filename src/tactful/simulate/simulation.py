"""``simulate``: every policy (and every run: seed, seed + 1, ...) through its own world,
in this process or in several, gathered into the result of docs/simulation.md."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tactful.errors import InvalidInput
from tactful.simulate.metrics import compare, mean_of, summarize
from tactful.simulate.parallel import in_parallel
from tactful.simulate.policy import Policy, load_policy
from tactful.simulate.runner import START, Config, Progress, population_of, run_policy


def _in_process(
    policies: Sequence[Policy], config: Config, tick: Callable[[], None]
) -> list[dict[str, dict[str, Any]]]:
    runs = []
    for r in range(config.runs):
        population = population_of(config, config.seed + r)
        runs.append(
            {p.name: run_policy(p, config, config.seed + r, tick, population) for p in policies}
        )
    return runs


def simulate(config: Config, progress: Progress | None = None) -> dict[str, Any]:
    """Run the configured simulation; ``progress(done, total)`` after each policy-week.
    With ``config.workers`` > 1, policies and runs go to that many processes (each world
    is independent and seeded, so the result is the same)."""
    config.check()
    policies = [load_policy(p) for p in config.policies]
    names = [p.name for p in policies]
    if len(set(names)) != len(names):
        raise InvalidInput("two policies have the same name", field="policy")
    total = config.runs * len(policies) * config.weeks
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    if config.workers > 1 and total > config.weeks:
        runs = in_parallel(policies, config, tick)
    else:
        runs = _in_process(policies, config, tick)
    return _result(config, policies, runs)


def _result(
    config: Config, policies: Sequence[Policy], runs: Sequence[dict[str, dict[str, Any]]]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    summaries = {p.name: [summarize(r[p.name]["weeks"]) for r in runs] for p in policies}
    for p in policies:
        weeks = [mean_of([r[p.name]["weeks"][w] for r in runs]) for w in range(config.weeks)]
        out[p.name] = {
            "settings": p.overrides | {"simulation": {"consent": p.consent}},
            "summary": mean_of(summaries[p.name]),
            "weeks": weeks,
            "held_back": runs[0][p.name]["held_back"],
            "decisions": runs[0][p.name]["decisions"],
            "diagnostics": runs[0][p.name]["diagnostics"],
        }
    first = policies[0].name
    comparison = {
        f"{first} - {p.name}": [d.as_dict() for d in compare(summaries[first], summaries[p.name])]
        for p in policies[1:]
    }
    return {
        "seed": config.seed,
        "parameters": {
            "policies": [p.name for p in policies],  # in the order given: JSON keys are sorted
            "people": config.people,
            "weeks": config.weeks,
            "runs": config.runs,
            "population": config.population,
            "start": START.isoformat(),
            "behaviour": config.behaviour.to_dict(),
        },
        "policies": out,
        "comparison": comparison,
    }
