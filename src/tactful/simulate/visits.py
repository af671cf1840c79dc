"""Visits: a person opens the shop, the real recommendations (every guard of the policy)
fill the page, and the person picks from it or not (choice overload), feels watched or
not (creepiness), and buys or not. What they do flows back through ingest."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np

from tactful.app.serving import Recommendation
from tactful.simulate.behaviour import pick_chance
from tactful.simulate.world import DAY, World
from tactful.types import Sensitivity


def creepy(world: World, row: int, rec: Recommendation) -> bool:
    """The list rests on evidence the person did not share with the shop (a reason naming
    an item a data partner reported) or shows a sensitive item they never allowed."""
    private = world.state.private_items[row]
    allowed = world.people.allowed_sensitive[row]
    for r in rec.items:
        if r.item.sensitive is not Sensitivity.NONE and r.item.sensitive.value not in allowed:
            return True
        if private and any(private.intersection(reason.items) for reason in r.reasons):
            return True
    return False


def visit(world: World, row: int, at: datetime) -> list[dict[str, Any]]:
    """One visit: the list shown, what the person does with it; the events it makes."""
    b, state = world.behaviour, world.state
    world.clock.now = at
    rec = world.app.recommendations.recommend(
        world.people.subjects[row], limit=b.list_length, context="home"
    )
    for h in rec.held_back:
        state.held_back[h.kind] += h.count
    shown = rec.items[: b.list_length]  # the page shows what it asked for
    world.week.add("lists_shown")
    if state.hard(row, world.week_no) and any(r.item.promotional for r in shown):
        world.week.add("promotions_in_hard_times")
    if creepy(world, row, rec):
        state.diagnostics["creepy_lists"] += 1
        world.nudge_trust(row, -b.creepy_trust_drop)
    if not shown:
        return []
    appeal = np.array([world.people.item_appeal(row, r.item, b) for r in shown])
    chance = pick_chance(len(shown), float(world.people.tolerance[row]), b) * appeal.max()
    if world.rng.random() >= chance:  # a longer list more likely holds a liked item
        return []
    k = int(world.rng.choice(len(shown), p=appeal / appeal.sum()))
    chosen = shown[k].item
    world.week.add("items_picked")
    if any(c in world.people.favourites[row] for c in chosen.categories):
        world.nudge_trust(row, b.good_pick_trust_gain)
    later = at + timedelta(minutes=2)
    events = [world.event(row, "click", later, item_id=chosen.item_id)]
    if world.rng.random() < b.purchase_given_pick * appeal[k]:
        events.append(world.event(row, "purchase", later, item_id=chosen.item_id))
        world.week.add("purchases")
        world.week.add("revenue", chosen.price or 0.0)
    return events


def visit_day(world: World, day: datetime) -> None:
    """Everyone who visits today, in time order; their events are ingested at day's end."""
    b, state = world.behaviour, world.state
    counts = world.draws.visits.poisson(b.visits_per_week / 7 * world.people.activity)
    visits: list[tuple[float, int]] = []
    for row, k in enumerate(counts.tolist()):
        hours = world.draws.visits.uniform(7, 23, size=k).tolist()
        if not state.churned[row]:
            visits.extend((h, row) for h in hours)
    events: list[dict[str, Any]] = []
    for hour, row in sorted(visits):
        events.extend(visit(world, row, day + timedelta(hours=hour)))
    world.clock.now = day + DAY
    world.ingest(events)
