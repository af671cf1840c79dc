"""Messages: each day the shop would like to send a promotion on the day's topic to
everyone; the real contact decisions (the policy's rules and budget) send, defer or
suppress it or hand the person to a human. Delivered messages are opened, ignored or
complained about (message fatigue, hard times); outcomes flow back to the application."""

from __future__ import annotations

from datetime import datetime, timedelta

from tactful.engage import Candidate
from tactful.records import Channel, ContactDecision, MessageKind, Outcome, Urgency
from tactful.simulate.behaviour import complaint_chance, open_chance, unsubscribe_chance
from tactful.simulate.people import departments_of
from tactful.simulate.world import DAY, World
from tactful.types import Purpose

SEND_HOUR = 10  # UTC: one campaign time for everyone, so some land in their quiet hours


def campaign_day(world: World, day: datetime) -> None:
    """Decide today's candidates for everyone, then deliver what is due by day's end."""
    b = world.behaviour
    topics = departments_of(world.catalogue)
    topic = topics[int(world.draws.campaign.integers(len(topics)))]
    at = day + timedelta(hours=SEND_HOUR)
    n = world.draws.campaign.poisson(b.campaign_per_week / 7, size=len(world.people))
    batch: list[tuple[str, Candidate]] = []
    for row, k in enumerate(n.tolist()):
        subject = world.people.subjects[row]
        for j in range(k):
            batch.append(
                (
                    subject,
                    Candidate(
                        world.state.next_id("sm"),
                        MessageKind.PROMOTIONAL,
                        Channel.EMAIL,
                        at + timedelta(minutes=j),
                        topic,
                        Urgency.NORMAL,
                    ),
                )
            )
    world.clock.now = at
    for d in world.app.contact.decide_many(batch):
        last = d.reasons[-1].kind if d.reasons else "none"
        world.state.decisions[f"{d.verdict.value}:{last}"] += 1
        if d.reaches_out and d.send_at is not None:
            world.state.pending.append(d)
    deliver_due(world, day + DAY)


def deliver_due(world: World, until: datetime) -> None:
    """Deliver, in send order, every pending message due before ``until``."""
    due = sorted(
        (d for d in world.state.pending if d.send_at is not None and d.send_at < until),
        key=lambda d: (d.send_at, d.message_id),  # decision ids are random; ours are not
    )
    gone = {d.decision_id for d in due}
    world.state.pending = [d for d in world.state.pending if d.decision_id not in gone]
    for k, d in enumerate(due):  # outcomes come in delivery order, a millisecond apart
        deliver(world, d, (d.send_at or d.decided_at) + timedelta(milliseconds=k))
    world.clock.now = until


def deliver(world: World, d: ContactDecision, at: datetime) -> None:
    """One delivered message: the person's reaction at ``at``, recorded as its outcome."""
    b, state = world.behaviour, world.state
    row = world.rows[d.subject_id]
    world.clock.now = at
    world.week.add("messages_sent")
    hard = state.hard(row, world.week_no)
    promo = d.kind is MessageKind.PROMOTIONAL
    if hard and promo:
        state.diagnostics["promotional_messages_in_hard_times"] += 1
        world.week.add("promotions_in_hard_times")
        world.nudge_trust(row, -b.hard_promo_trust_drop)
    outcome = Outcome.IGNORED
    earlier = int(state.sent_this_week[row])
    state.sent_this_week[row] += 1
    if not state.churned[row]:
        outcome = _react(world, row, d, earlier, hard=hard, promo=promo)
    world.app.contact.record_outcome(d.subject_id, d.decision_id, outcome.value, at=at)
    if state.churned[row]:
        return
    leave = unsubscribe_chance(earlier, float(world.people.cap[row]), b)
    if hard and promo:
        leave = max(leave, b.hard_promo_withdraw)
    if world.rng.random() < leave:
        world.withdraw(row, Purpose.MESSAGING)


def _react(
    world: World, row: int, d: ContactDecision, earlier: int, *, hard: bool, promo: bool
) -> Outcome:
    b = world.behaviour
    trust = float(world.state.trust[row])
    if world.rng.random() < complaint_chance(promotional=promo, hard_time=hard, b=b, trust=trust):
        world.week.add("complaints")
        return Outcome.COMPLAINED
    likes = world.people.appeal[row].get(d.topic or "", b.off_taste_appeal)
    if world.rng.random() >= open_chance(earlier, b) * (0.5 + 0.5 * likes):
        return Outcome.IGNORED
    world.week.add("messages_opened")
    items = world.by_department.get(d.topic or "", [])
    if items and world.rng.random() < b.purchase_given_open * likes:
        item = items[int(world.rng.integers(len(items)))]
        at = (d.send_at or d.decided_at) + timedelta(minutes=2)
        world.ingest([world.event(row, "purchase", at, item_id=item.item_id)])
        world.week.add("purchases")
        world.week.add("revenue", item.price or 0.0)
        return Outcome.CLICKED
    return Outcome.OPENED
