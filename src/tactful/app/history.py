"""A recent past for the demo shop, made by driving the real application under a moving
clock: for the last ``weeks`` weeks, each day some people open the shop (a recommendation
response, logged as an exposure as any other), some click a shown item a minute later, the
shop asks to send promotions (contact decisions, with every rule applied) and reports what
became of them, and agents claim and resolve the hand-off cases the day after. So the
insights (docs/insights.md) and the console's charts have weeks of history to show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from tactful.app.build import Tactful, build
from tactful.engage import Candidate
from tactful.errors import Conflict
from tactful.records import Channel, MessageKind, Outcome, Verdict
from tactful.types import RequestContext, SubjectId

OUTCOMES = (Outcome.OPENED, Outcome.CLICKED, Outcome.IGNORED, Outcome.DISMISSED, Outcome.COMPLAINED)
ODDS = (0.36, 0.16, 0.38, 0.08, 0.02)
CONTEXTS = (RequestContext.HOME, RequestContext.SEARCH, RequestContext.BROWSE)
CLICK_ODDS = 0.22


@dataclass(frozen=True, slots=True)
class HistoryReport:
    responses: int
    clicks: int
    decisions: int
    resolved: int


class Moving:
    """The replay's clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def replay(
    app: Tactful,
    interests: Mapping[SubjectId, Sequence[str]],
    *,
    rng: np.random.Generator,
    weeks: int = 5,
    visits: int = 30,
    messages: int = 25,
) -> HistoryReport:
    """Drive ``app``'s stores, models and settings through the last ``weeks`` weeks;
    ``interests`` are the people and what the shop would write to each about."""
    subjects = tuple(interests)
    end = app.clock()
    clock = Moving(end - timedelta(weeks=weeks))
    past = build(app.settings, app.stores, app.models, clock=clock)
    responses = clicks = decisions = resolved = 0
    day = clock.now
    while day + timedelta(days=1) <= end:
        for minute in np.sort(rng.integers(0, 24 * 60, size=visits)):
            clock.now = day + timedelta(minutes=int(minute))
            clicks += _visit(past, str(rng.choice(subjects)), rng)
            responses += 1
        clock.now = day + timedelta(hours=10)
        chosen = dict.fromkeys(str(x) for x in rng.choice(subjects, size=messages))
        decisions += _mail(past, {x: interests[x] for x in chosen}, rng)
        clock.now = day + timedelta(hours=23)
        resolved += _work_cases(past, clock.now)
        day += timedelta(days=1)
    past.exposures.flush()
    return HistoryReport(responses, clicks, decisions, resolved)


def _visit(app: Tactful, subject: SubjectId, rng: np.random.Generator) -> int:
    context = CONTEXTS[int(rng.integers(len(CONTEXTS)))]
    rec = app.recommendations.recommend(subject, limit=6, context=context)
    if not rec.items or rng.random() >= CLICK_ODDS:
        return 0
    shown = rec.items[int(rng.integers(len(rec.items)))].item.item_id
    at = app.clock() + timedelta(minutes=1)
    row = {"event_id": f"h-{subject}-{at:%Y%m%d%H%M}", "subject_id": subject, "type": "click"}
    report = app.ingestion.record([{**row, "item_id": shown, "occurred_at": at.isoformat()}])
    return report.accepted


def _mail(app: Tactful, topics: Mapping[SubjectId, Sequence[str]], rng: np.random.Generator) -> int:
    """A promotion to each person, about one of their interests (or none)."""
    now = app.clock()
    batch = []
    for s, options in topics.items():
        topic = str(rng.choice(list(options))) if options else None
        message = f"promo-{now:%Y%m%d}-{s}"
        kind = MessageKind.PROMOTIONAL
        batch.append((s, Candidate(message, kind, Channel.EMAIL, now, topic=topic)))
    made = app.contact.decide_many(batch)
    for d in made:
        if d.verdict is Verdict.SEND:
            outcome = OUTCOMES[int(rng.choice(len(OUTCOMES), p=ODDS))]
            hours = float(rng.uniform(1, 12))
            app.contact.record_outcome(
                d.subject_id, d.decision_id, outcome.value, at=now + timedelta(hours=hours)
            )
    return len(made)


def _work_cases(app: Tactful, now: datetime) -> int:
    """Agents resolve the cases opened more than a day ago."""
    done = 0
    for case in app.handoffs.cases("open", limit=1000):
        if now - case.opened_at < timedelta(days=1):
            continue
        try:
            app.handoffs.claim(case.case_id, "demo agent")
            app.handoffs.resolve(case.case_id, "Called them; they were glad of it.")
        except Conflict:
            continue
        done += 1
    return done
