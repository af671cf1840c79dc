"""Running a simulation: for each run (seed, seed + 1, ...) the same demo shop and the
same people live through every policy's application for the given weeks; results are
plain dicts in the JSON shape of docs/simulation.md, the same bytes for the same seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from tactful.demo import DemoShop, generate
from tactful.errors import InvalidInput
from tactful.simulate.fitted import file_format, fitted_shop
from tactful.simulate.lives import hard_times, hazards, partner_feed, reach_out
from tactful.simulate.messages import campaign_day, deliver_due
from tactful.simulate.metrics import Week
from tactful.simulate.parameters import Behaviour
from tactful.simulate.people import People, from_shop
from tactful.simulate.policy import Policy
from tactful.simulate.visits import visit_day
from tactful.simulate.world import DAY, WEEK, World, open_world

START = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
"""Every run starts on this Monday (so a seed means the same run whenever it is made)."""
MIN_PEOPLE = 50
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Config:
    """What to simulate: policies (names or files), people, weeks, seed, runs, behaviour."""

    policies: tuple[str | Policy, ...] = ("tactful", "baseline")
    people: int = 1000
    weeks: int = 26
    seed: int = 0
    runs: int = 1
    population: str = "demo"
    behaviour: Behaviour = field(default_factory=Behaviour)
    workers: int = 1
    """Processes to run policies and runs in (1: this one)."""

    def check(self) -> None:
        for name, value, lo in (
            ("people", self.people, MIN_PEOPLE),
            ("weeks", self.weeks, 1),
            ("runs", self.runs, 1),
        ):
            if value < lo:
                raise InvalidInput(f"{name} must be at least {lo}, got {value}", field=name)
        if not self.policies:
            raise InvalidInput("name at least one policy", field="policy")
        names = [p if isinstance(p, str) else p.name for p in self.policies]
        if len(set(names)) != len(names):
            raise InvalidInput("each policy may be named once", field="policy")
        if self.population != "demo":
            path = Path(self.population)
            file_format(path)
            if not path.is_file():
                raise InvalidInput(f"no ratings file {self.population!r}", field="population")


def run_weeks(world: World, weeks: int, tick: Callable[[], None]) -> list[dict[str, float]]:
    """Step everyone through ``weeks`` weeks; one dict of counts a week."""
    out: list[dict[str, float]] = []
    for w in range(weeks):
        world.week_no, world.week = w, Week()
        start = START + w * WEEK
        world.state.sent_this_week[:] = 0
        hard_times(world, start)
        partner_feed(world, start)
        for d in range(7):
            visit_day(world, start + d * DAY)
            campaign_day(world, start + d * DAY)
        deliver_due(world, start + WEEK)
        reach_out(world, start + WEEK)
        hazards(world)
        if (w + 1) % max(1, world.behaviour.retrain_weeks) == 0:
            world.app.training.train()
        out.append(world.week.as_dict())
        tick()
    return out


def demo_shop(seed: int, people: int) -> DemoShop:
    """The demo shop a run's people come from: a seeded history before ``START``."""
    return generate(
        rng=np.random.default_rng([seed, 0]),
        now=START,
        n_people=people,
        n_events=max(1_000, people * 12),
    )


def population_of(config: Config, seed: int) -> tuple[DemoShop, People]:
    """The run's shop and people (the same for every policy): the demo's, or fitted from
    the ratings file ``config.population``."""
    rng = np.random.default_rng([seed, 1])
    if config.population == "demo":
        shop = demo_shop(seed, config.people)
        return shop, from_shop(shop, rng, config.behaviour)
    path = Path(config.population)
    shop, liked = fitted_shop(
        path, people=config.people, rng=np.random.default_rng([seed, 0]), start=START
    )
    return shop, from_shop(shop, rng, config.behaviour, liked)


def run_policy(
    policy: Policy,
    config: Config,
    seed: int,
    tick: Callable[[], None],
    population: tuple[DemoShop, People] | None = None,
) -> dict[str, Any]:
    """One policy's world for the run with this seed: its weeks and what it held back."""
    shop, people = population or population_of(config, seed)
    world = open_world(policy, shop, people, config.behaviour, seed=seed, start=START)
    try:
        weeks = run_weeks(world, config.weeks, tick)
    finally:
        world.app.close()
    return {
        "weeks": weeks,
        "held_back": dict(sorted(world.state.held_back.items())),
        "decisions": dict(sorted(world.state.decisions.items())),
        "diagnostics": dict(sorted(world.state.diagnostics.items())),
    }
