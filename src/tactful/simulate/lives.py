"""What happens in people's lives besides visits and messages: hard times begin (and the
person may write to the shop about it), a data partner reports on them, the team reaches
out to those handed off, and trust decides who withdraws consent and who leaves."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from tactful.demo.texts import compose
from tactful.handoff.queue import MAX_LIST
from tactful.simulate.behaviour import recover, weekly_hazard
from tactful.simulate.world import World
from tactful.types import Purpose

HARD_TIMES = ("bereavement", "financial_hardship")
AGENT = "simulated-agent"


def hard_times(world: World, start: datetime) -> None:
    """Some people enter a hard time this week; those who write say so in words the real
    mood and life-event models read (the demo's text generator)."""
    b, state = world.behaviour, world.state
    draw = world.draws.lives
    u = draw.random((len(world.people), 4))
    calm = ~state.churned & (state.hard_until <= world.week_no)
    events = []
    for row in np.flatnonzero(calm & (u[:, 0] < b.life_event_rate)).tolist():
        state.hard_until[row] = world.week_no + b.hard_weeks
        if u[row, 1] >= b.write_on_event:
            continue
        label = HARD_TIMES[int(u[row, 2] * len(HARD_TIMES))]
        sport = min(world.people.favourites[row], default="training")
        text = compose(draw, label, item="order", city="my town", sport=sport)
        at = start + timedelta(hours=8 + 12 * float(u[row, 3]))
        events.append(world.event(row, "support_message", at, text=text, source="support"))
    world.clock.now = start + timedelta(days=1)
    world.ingest(sorted(events, key=lambda e: str(e["occurred_at"])))


def partner_feed(world: World, start: datetime) -> None:
    """A data partner reports purchases made elsewhere (source ``partner``): more data,
    and private-source evidence the person never shared with the shop."""
    b, state = world.behaviour, world.state
    draw = world.draws.partner
    counts = draw.poisson(b.partner_events_per_week, size=len(world.people))
    events = []
    for row, k in enumerate(counts.tolist()):
        liked = sorted(world.people.favourites[row])
        u = draw.random((k, 3))
        for a, c, h in u.tolist() if liked and not state.churned[row] else ():
            items = world.by_department.get(liked[int(a * len(liked))], [])
            if not items:
                continue
            item = items[int(c * len(items))]
            state.private_items[row].add(item.item_id)
            at = start + timedelta(hours=20 * h)
            events.append(world.event(row, "purchase", at, item_id=item.item_id, source="partner"))
    world.clock.now = start + timedelta(days=1)
    world.ingest(sorted(events, key=lambda e: str(e["occurred_at"])))


def reach_out(world: World, at: datetime) -> None:
    """The team resolves every open hand-off case: a person reached out, trust rises."""
    world.clock.now = at
    while True:
        cases = world.app.handoffs.cases("open", limit=MAX_LIST)
        if not cases:
            return
        for case in cases:
            world.app.handoffs.resolve(case.case_id, "reached out (simulated)", agent=AGENT)
            world.week.add("handoffs")
            world.state.diagnostics[f"handoff:{case.trigger}"] += 1
            world.nudge_trust(world.rows[case.subject_id], world.behaviour.handoff_trust_gain)


def hazards(world: World) -> None:
    """End of the week: trust recovers a little; distrust withdraws consent and churns."""
    b, state = world.behaviour, world.state
    for row in np.flatnonzero(~state.churned).tolist():
        state.trust[row] = recover(float(state.trust[row]), float(state.start_trust[row]), b)
        trust = float(state.trust[row])
        if world.rng.random() < weekly_hazard(trust, b.withdraw_hazard):
            world.withdraw(row, Purpose.PERSONALIZATION)
        if world.rng.random() < weekly_hazard(trust, b.churn_hazard, b.churn_base):
            state.churned[row] = True
            world.week.add("churned")
    world.week.counts["mean_trust"] = float(state.trust.mean())
