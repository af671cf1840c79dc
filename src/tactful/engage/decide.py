"""``decide``: one candidate through the rules, in a fixed order, to a stored-ready decision.

The order is the order of the questions a thoughtful person would ask: may we write at all
(consent, pause, an open hand-off, an emotional hold, celebrations off, relevance), how
(channel), and when (digest, quiet hours, budget). Timing rules run until the time settles,
because moving a message out of quiet hours can meet the budget and the other way round.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

from tactful.engage.budget import frequency_cap
from tactful.engage.message import Candidate
from tactful.engage.rules import CHANNEL_NAMES, Draft, digest, gates, quiet_hours
from tactful.engage.situation import Situation
from tactful.phrasing import article
from tactful.records import ContactDecision, MessageKind, Verdict

BECAUSE = {
    MessageKind.TRANSACTIONAL: "it's about something you did with us, such as an order or "
    "your account",
    MessageKind.PROMOTIONAL: "you agreed to hear from us, and it's about {topic}, "
    "which you're interested in",
    MessageKind.COMMUNITY: "you agreed to hear from us about the communities you joined",
    MessageKind.CELEBRATION: "you reached a milestone with us, and you have celebrations on",
    MessageKind.SUPPORTIVE: "you got in touch with us and we'd like to help",
}


def schedule(c: Candidate, s: Situation, d: Draft) -> Draft:
    """Quiet hours and the budget, repeated until neither moves the time."""
    on = s.settings.rules
    for _ in range(10):
        before = d.send_at
        if "quiet_hours" in on:
            d = quiet_hours(c, s, d)
        if "frequency_cap" in on:
            d = frequency_cap(c, s, d)
        if d.done or d.send_at == before:
            break
    return d


def why(c: Candidate, d: Draft) -> str | None:
    """The "why you got this" line a sent message carries."""
    if d.verdict not in (Verdict.SEND, Verdict.DEFER) or d.channel is None:
        return None
    because = BECAUSE[c.kind].format(topic=c.topic or "it")
    name = CHANNEL_NAMES[d.channel]
    text = f"You're getting {article(name)} {name} because {because}."
    if d.digest_id is not None:
        text += " Low-priority messages come bundled as one digest."
    return (
        text + " You can change channels, quiet hours and how often we write in your preferences."
    )


def decide(c: Candidate, s: Situation, decision_id: str) -> ContactDecision:
    """Run the rules; the result says what to do, when, on which channel and why."""
    d = Draft(decision_id, Verdict.SEND, c.channel, c.at, timezone=s.prefs.timezone)
    for rule in gates(frozenset(s.settings.rules)):
        d = rule(c, s, d)
        if d.done:
            break
    if not d.done and "digest" in s.settings.rules:
        d = digest(c, s, d)
    if not d.done:
        d = schedule(c, s, d)
    if d.verdict is Verdict.DEFER and d.send_at == c.at:
        d = replace(d, verdict=Verdict.SEND)
    return ContactDecision(
        decision_id=decision_id,
        subject_id=s.subject_id,
        message_id=c.message_id,
        kind=c.kind,
        requested_channel=c.channel,
        channel=d.channel,
        topic=c.topic,
        urgency=c.urgency,
        decided_at=c.at.astimezone(UTC),
        verdict=d.verdict,
        send_at=None if d.send_at is None else d.send_at.astimezone(UTC),
        reasons=d.reasons,
        digest_id=d.digest_id,
        why=why(c, d),
    )
