"""Fatigue: when messages keep going unread or unwanted, write less.

Reading the delivery outcomes newest first, the unwelcome ones (ignored, dismissed,
complained) in a row until the last open or click make the run. Every
``fatigue_ignored_in_row`` of them multiply the contact budget by ``fatigue_cap_factor``
(3 in a row: half, 6: a quarter, ...); one open or click ends the run. Transactional
messages do not count: a receipt left unopened says nothing about being tired of us.

The state is a ``fatigue`` signal (purpose ``messaging``), so it shows in ``/signals`` and
in export, and it fades ``fatigue_days`` after the last unwelcome outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from tactful.engage.situation import FATIGUE
from tactful.phrasing import count
from tactful.records import ENGAGED, UNWELCOME, ContactDecision, MessageKind
from tactful.settings import EngageSettings
from tactful.types import Purpose, Signal, SubjectId


def unwelcome_run(decisions: Sequence[ContactDecision]) -> list[ContactDecision]:
    """The unwelcome outcomes since the last engaged one, newest first (in send order,
    then outcome order)."""
    rated = sorted(
        (d for d in decisions if d.outcome is not None and d.kind is not MessageKind.TRANSACTIONAL),
        # messages sent at the same moment (e.g. both deferred to the end of quiet hours)
        # are read in the order their outcomes came, not by their random ids
        key=lambda d: (d.send_at or d.decided_at, d.outcome_at or d.decided_at, d.decision_id),
        reverse=True,
    )
    run: list[ContactDecision] = []
    for d in rated:
        if d.outcome in ENGAGED:
            break
        if d.outcome in UNWELCOME:
            run.append(d)
    return run


def fatigue_signal(
    subject: SubjectId,
    decisions: Sequence[ContactDecision],
    settings: EngageSettings,
    *,
    now: datetime,
) -> Signal | None:
    """The fatigue signal the outcomes call for, or None when the person is not tired."""
    run = unwelcome_run(decisions)
    steps = len(run) // settings.fatigue_ignored_in_row
    if steps == 0:
        return None
    factor = settings.fatigue_cap_factor**steps
    last = max(d.outcome_at or now for d in run)
    return Signal(
        subject_id=subject,
        kind=FATIGUE,
        value=round(factor, 6),
        purpose=Purpose.MESSAGING,
        created_at=now,
        expires_at=last + timedelta(days=settings.fatigue_days),
        detail={
            "unwelcome_in_row": len(run),
            "budget_factor": round(factor, 6),
            "text": f"Our last {count(len(run), 'message')} went unread or unwanted, so we "
            "write less often until you engage again.",
        },
        evidence=tuple(d.decision_id for d in run),
    )
