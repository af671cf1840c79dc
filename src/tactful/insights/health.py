"""Connection health: is personalization building connection or eroding it? Each KPI is a
pure function of the window's rows (``InsightRows``, already ``consented``); the formulas
are in docs/insights.md. Rates, means and percentiles over fewer than ``min_people`` people
are withheld (None)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Any

import numpy as np

from tactful.consent.ledger import is_granted
from tactful.insights.rows import InsightRows, histories, states_at
from tactful.insights.window import DIGITS, Window, mean, ratio
from tactful.records import Outcome, Verdict
from tactful.types import Decision, EventType, Purpose, SubjectId

FATIGUE = "fatigue"


def active_people(rows: InsightRows, w: Window) -> set[SubjectId]:
    """People with at least one event or exposure in the window."""
    return {e.subject_id for e in rows.events if w.holds(e.occurred_at)} | {
        x.subject_id for x in rows.exposures if w.holds(x.at)
    }


def consent_changes(rows: InsightRows, w: Window) -> tuple[set[SubjectId], set[SubjectId]]:
    """(people who withdrew a purpose in the window, granted -> denied; people who had any
    purpose granted at some moment of the window). Records apply in ``at`` order, ties in
    recording order, as the ledger folds them."""
    withdrew: set[SubjectId] = set()
    granted: set[SubjectId] = set()
    for subject, records in histories(rows.consents).items():
        ordered = [r for _, r in sorted(enumerate(records), key=lambda p: (p[1].at, p[0]))]
        state: dict[Purpose, Decision] = {}
        started = False
        for r in ordered:
            if r.at >= w.end:
                break
            if r.at >= w.start:
                if not started and Decision.GRANTED in state.values():
                    granted.add(subject)  # granted when the window opened
                started = True
                if state.get(r.purpose) is Decision.GRANTED and r.decision is Decision.DENIED:
                    withdrew.add(subject)
                if r.decision is Decision.GRANTED:
                    granted.add(subject)
            state[r.purpose] = r.decision
        if not started and Decision.GRANTED in state.values():
            granted.add(subject)
    return withdrew, granted


def consent_rate(rows: InsightRows, w: Window, min_people: int) -> dict[str, float | None]:
    """Per purpose: the share of the window's active people whose decision at its end is
    granted."""
    active = active_people(rows, w)
    state = states_at(rows.consents, w.end)
    n = len(active)
    return {
        p.value: ratio(sum(1 for s in active if is_granted(state.get(s, {}), p)), n, n, min_people)
        for p in Purpose
    }


def exposure_kpis(rows: InsightRows, w: Window, min_people: int) -> dict[str, Any]:
    """Exposures logged, dismiss events, their ratio, the personalized share and what the
    guards held back per kind."""
    shown = [x for x in rows.exposures if w.holds(x.at)]
    dismissals = sum(
        1 for e in rows.events if e.type is EventType.DISMISS and w.holds(e.occurred_at)
    )
    people = len({x.subject_id for x in shown})
    held: Counter[str] = Counter()
    for x in shown:
        held.update(x.held_back)
    days = [d for d in rows.tallies if w.holds(datetime(d.year, d.month, d.day, tzinfo=UTC))]
    return {
        "exposures": len(shown),
        "anonymous_responses": sum(rows.tallies[d] for d in days),
        "dismissals": dismissals,
        "dismissal_rate": ratio(dismissals, len(shown), people, min_people),
        "personalized_share": ratio(
            sum(1 for x in shown if x.personalized), len(shown), people, min_people
        ),
        "held_back_by_kind": dict(sorted(held.items())),
    }


def message_kpis(rows: InsightRows, w: Window, min_people: int) -> dict[str, Any]:
    """Messages sent, complaints about them, suppressions and deferrals by reason, and how
    many messages a person is sent per week."""
    made = [d for d in rows.decisions if w.holds(d.decided_at)]
    sent = [d for d in made if d.verdict is Verdict.SEND]
    complaints = sum(1 for d in sent if d.outcome is Outcome.COMPLAINED)
    per_person = Counter(d.subject_id for d in sent)
    held: Counter[str] = Counter()
    for d in made:
        if d.verdict in (Verdict.SUPPRESS, Verdict.DEFER):
            held.update({r.kind for r in d.reasons})
    return {
        "messages_sent": len(sent),
        "complaints": complaints,
        "complaint_rate": ratio(complaints, len(sent), len(per_person), min_people),
        "messages_per_person_week": per_week(list(per_person.values()), w, min_people),
        "suppressed_by_reason": dict(sorted(held.items())),
    }


def per_week(counts: list[int], w: Window, min_people: int) -> dict[str, float | None]:
    """p50, p95 and max of messages per person-week (count / window weeks) over the people
    sent anything; withheld under ``min_people``."""
    if len(counts) < min_people or not counts:
        return {"p50": None, "p95": None, "max": None}
    rates = np.array(counts, dtype=float) / (w.days / 7)
    return {
        "p50": round(float(np.percentile(rates, 50)), DIGITS),
        "p95": round(float(np.percentile(rates, 95)), DIGITS),
        "max": round(float(rates.max()), DIGITS),
    }


def fatigued_people(rows: InsightRows, w: Window) -> int:
    """People whose fatigue factor (the ``fatigue`` signal) is below 1 at the window's end."""
    return len(
        {
            s.subject_id
            for s in rows.fatigue
            if s.kind == FATIGUE
            and s.value < 1
            and s.created_at < w.end
            and (s.expires_at is None or s.expires_at > w.end)
        }
    )


def handoffs(rows: InsightRows, w: Window, min_people: int) -> dict[str, Any]:
    """Cases opened and resolved in the window, open at its end, and the median hours from
    opening to resolution of those resolved in it."""
    resolved = [c for c in rows.cases if c.resolved_at is not None and w.holds(c.resolved_at)]
    hours = [
        (c.resolved_at - c.opened_at) / timedelta(hours=1)
        for c in resolved
        if c.resolved_at is not None
    ]
    people = len({c.subject_id for c in resolved})
    return {
        "opened": sum(1 for c in rows.cases if w.holds(c.opened_at)),
        "resolved": len(resolved),
        "open_now": sum(
            1
            for c in rows.cases
            if c.opened_at < w.end and (c.resolved_at is None or c.resolved_at >= w.end)
        ),
        "median_hours_to_resolve": (
            round(median(hours), DIGITS) if hours and people >= min_people else None
        ),
    }


def mood(rows: InsightRows, w: Window, min_people: int) -> float | None:
    """Mean over people of each person's mean valence in the window, among people with
    ``emotional_context`` granted; withheld under ``min_people`` contributors."""
    mine: dict[SubjectId, list[float]] = {}
    for r in rows.readings:
        if w.holds(r.at):
            mine.setdefault(r.subject_id, []).append(r.valence)
    return mean([float(np.mean(v)) for v in mine.values()], len(mine), min_people)
