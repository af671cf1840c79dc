"""The ``frustration`` trigger: an angry support message after repeated failures.

It fires when, within the trigger window, a support message reads as angry or disgusted
(the ``frustration`` signal, ``signals.emotional``) and there were at least ``threshold``
failures: messages dismissed or complained about, recommendations dismissed, complaints,
and texts whose words say it happened before ("again", "third time", "nobody answers";
each such text counts once). An angry message is not itself one of the failures (its
complaint is the anger); its words of repetition are. Dismissed recommendations count as
much as dismissed messages: both say "this is not working for me".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tactful.handoff.triggers import Trigger, failures
from tactful.phrasing import count
from tactful.records import ContactDecision
from tactful.signals.profile import Profile
from tactful.types import Event

FRUSTRATION = "frustration"


def _times(entries: object, since: datetime) -> list[dict[str, Any]]:
    """The signal's entries (``{"id", "at", ...}``) within the window."""
    if not isinstance(entries, list):
        return []
    return [
        e
        for e in entries
        if isinstance(e, dict)
        and isinstance(e.get("at"), str)
        and datetime.fromisoformat(e["at"]) >= since
    ]


def frustration(
    profile: Profile,
    decisions: Sequence[ContactDecision],
    texts: Sequence[Event],
    dismissals: Sequence[Event],
    *,
    since: datetime,
    threshold: int,
) -> Trigger | None:
    found = profile.get(FRUSTRATION)
    if found is None:
        return None
    angry = _times(found.detail.get("angry"), since)
    if not angry:
        return None
    repeats = _times(found.detail.get("repeats"), since)
    angry_ids = {str(a["id"]) for a in angry}
    # the angry message is the anger, not one of the failures (its "third time" words are)
    bad = failures(decisions, profile, texts, dismissals, since)
    bad = [(at, i) for at, i in bad if i not in angry_ids]
    seen = {i for _, i in bad}
    bad += [(datetime.fromisoformat(r["at"]), str(r["id"])) for r in repeats if r["id"] not in seen]
    if len(bad) < threshold:
        return None
    words = sorted({str(r["phrase"]) for r in repeats if r.get("phrase")})
    said = f' (they wrote "{words[0]}")' if words else ""
    evidence = {str(a["id"]) for a in angry} | {i for _, i in bad}
    return Trigger(
        FRUSTRATION,
        max([datetime.fromisoformat(a["at"]) for a in angry] + [at for at, _ in bad]),
        f"They sound angry after repeated failures: {count(len(bad), 'failure')} this week{said}.",
        tuple(sorted(evidence)),
    )
