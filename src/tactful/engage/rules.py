"""The contact rules. Each is one small function ``(Candidate, Situation, Draft) -> Draft``
with its own reason kind; it either leaves the draft alone, adjusts it (another channel, a
later time) with a reason, or ends it (suppress, hand off) with a reason.

=================  ==================================================================
reason kind        what the rule does
=================  ==================================================================
consent            promotional, community and celebration messages need `messaging`;
                   community messages also need `community`
not_a_member       a community message goes only to members of a community whose values
                   or categories match its topic
pause              ``pause_until`` suppresses all but transactional messages
asked_to_stop      the person asked in words to stop messages: no promotional,
                   community or celebration messages until they say otherwise
handoff_open       while a hand-off case is active: no promotions; supportive messages
                   go to the person on the team instead (verdict ``handoff``)
emotional_hold     distress or a live life event holds promotions, celebrations and
                   community messages (but not low-urgency ones marked supportive)
celebrations_off   the person turned celebrations off
asked_to_mute      the person asked in words not to hear about the message's topic
relevance          a promotion must match an interest or value (or, kind ``moved``, a
                   category a live move makes welcome), and not a muted topic
channel            only channels the person allowed; else their first allowed one
digest             low-urgency messages wait up to the digest window and go out as one
quiet_hours        defer to the end of the person's quiet hours (their time zone)
frequency_cap      one contact budget across channels (see ``budget``)
asked_fewer        the person asked in words for fewer messages: the budget is halved
fatigue            unwelcome outcomes in a row lower the budget (see ``budget``)
=================  ==================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tactful.consent.ledger import is_granted
from tactful.engage.message import DIGESTIBLE, UNSOLICITED, Candidate
from tactful.engage.situation import Situation, cares_about
from tactful.engage.timing import quiet_until
from tactful.local_time import local_label
from tactful.phrasing import article, count, plural
from tactful.records import Channel, MessageKind, Urgency, Verdict
from tactful.signals.profile import held_by
from tactful.types import Purpose, Reason

CHANNEL_NAMES = {
    Channel.EMAIL: "email",
    Channel.PUSH: "push notification",
    Channel.SMS: "text message",
    Channel.IN_APP: "in-app message",
}

WHEN = "{when}"
"""Where a timing reason names the time it goes out; see ``Draft.later``."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A decision in the making; ``done`` stops the remaining rules.

    ``timed`` holds the templates of the reasons that say when the message goes out (one
    per kind, with ``WHEN`` where the time goes): whenever the time moves, they are all
    written again with the new time, so no reason names a time the decision does not keep.
    """

    decision_id: str
    verdict: Verdict
    channel: Channel | None
    send_at: datetime | None
    reasons: tuple[Reason, ...] = ()
    digest_id: str | None = None
    done: bool = False
    timezone: str = "UTC"
    timed: tuple[tuple[str, str], ...] = ()

    def note(self, kind: str, text: str) -> Draft:
        return replace(self, reasons=(*self.reasons, Reason(kind, text)))

    def later(self, at: datetime, kind: str, template: str) -> Draft:
        """Defer to ``at``; ``template`` names the time as ``WHEN``. A newer reason of the
        same kind replaces the older one, and every timing reason now names ``at``."""
        kept = tuple(r for r in self.reasons if r.kind != kind)
        timed = (*((k, t) for k, t in self.timed if k != kind), (kind, template))
        templates = dict(timed)
        when = local_label(at, self.timezone)
        reasons = tuple(
            Reason(r.kind, templates[r.kind].replace(WHEN, when)) if r.kind in templates else r
            for r in (*kept, Reason(kind, template))
        )
        return replace(self, verdict=Verdict.DEFER, send_at=at, reasons=reasons, timed=timed)

    def stop(self, verdict: Verdict, kind: str, text: str) -> Draft:
        """End the decision; the timing reasons go, since nothing goes out at their time."""
        moot = {k for k, _ in self.timed}
        return replace(
            self,
            verdict=verdict,
            send_at=None,
            digest_id=None,
            reasons=(*(r for r in self.reasons if r.kind not in moot), Reason(kind, text)),
            done=True,
            timed=(),
        )


Rule = Callable[[Candidate, Situation, Draft], Draft]


def consent(c: Candidate, s: Situation, d: Draft) -> Draft:
    if c.kind not in UNSOLICITED:
        return d
    if c.kind is MessageKind.COMMUNITY and not is_granted(s.consents, Purpose.COMMUNITY):
        return d.stop(
            Verdict.SUPPRESS,
            "consent",
            "You haven't agreed to hear about communities, so we won't send it.",
        )
    if is_granted(s.consents, Purpose.MESSAGING):
        return d.note("consent", "You agreed to hear from us.")
    return d.stop(
        Verdict.SUPPRESS,
        "consent",
        "You haven't agreed to messages like this, so we won't send it.",
    )


def membership(c: Candidate, s: Situation, d: Draft) -> Draft:
    """Community news only for members of a community it is about (``consent`` has
    already asked for ``community``)."""
    if c.kind is not MessageKind.COMMUNITY:
        return d
    topic = (c.topic or "").lower()
    found = [x for x in s.communities if topic and (topic in x.topics or topic == x.community_id)]
    if not found:
        return d.stop(
            Verdict.SUPPRESS,
            "not_a_member",
            "It's about a community you haven't joined, so we won't send it.",
        )
    return d.note("membership", f"You joined {found[0].name}.")


def pause(c: Candidate, s: Situation, d: Draft) -> Draft:
    until = s.prefs.pause_until
    if until is None or until <= c.at or c.kind is MessageKind.TRANSACTIONAL:
        return d
    when = local_label(until, s.prefs.timezone)
    return d.stop(Verdict.SUPPRESS, "pause", f"You paused messages until {when}.")


def _said(phrase: object) -> str:
    return f' (you wrote "{phrase}")' if isinstance(phrase, str) and phrase else ""


def asked_to_stop(c: Candidate, s: Situation, d: Draft) -> Draft:
    """An objection to direct marketing, stated in words: honoured at once, for every
    message the person did not ask for (offers, community news and celebrations)."""
    asked = s.profile.asked("stop_messages")
    if c.kind not in UNSOLICITED or asked is None:
        return d
    return d.stop(
        Verdict.SUPPRESS,
        "asked_to_stop",
        f"You asked us to stop sending you offers and news{_said(asked.detail.get('phrase'))}, "
        "so we won't until you tell us otherwise.",
    )


def asked_to_mute(c: Candidate, s: Situation, d: Draft) -> Draft:
    if c.kind not in UNSOLICITED or not c.topic:
        return d
    topic = c.topic.lower()
    if topic not in {m.lower() for m in s.profile.muted}:
        return d
    return d.stop(
        Verdict.SUPPRESS, "asked_to_mute", f"You asked us not to send you anything about {c.topic}."
    )


def handoff_open(c: Candidate, s: Situation, d: Draft) -> Draft:
    if s.case is None or c.kind is MessageKind.TRANSACTIONAL:
        return d
    if c.kind is MessageKind.SUPPORTIVE:
        return d.stop(
            Verdict.HANDOFF,
            "handoff_open",
            "Someone from our team is reaching out to you personally instead.",
        )
    return d.stop(
        Verdict.SUPPRESS,
        "handoff_open",
        "Someone from our team is looking after you personally, so other messages wait.",
    )


HELD = frozenset({MessageKind.PROMOTIONAL, MessageKind.CELEBRATION, MessageKind.COMMUNITY})


def emotional_hold(c: Candidate, s: Situation, d: Draft) -> Draft:
    if c.kind not in HELD:
        return d
    if c.kind is MessageKind.COMMUNITY and c.supportive and c.urgency is Urgency.LOW:
        return d
    if not held_by(s.profile):
        return d
    return d.stop(Verdict.SUPPRESS, "emotional_hold", "We're keeping things quiet for now.")


def celebrations(c: Candidate, s: Situation, d: Draft) -> Draft:
    if c.kind is not MessageKind.CELEBRATION or s.prefs.celebrations:
        return d
    return d.stop(Verdict.SUPPRESS, "celebrations_off", "You turned celebrations off.")


def relevance(c: Candidate, s: Situation, d: Draft) -> Draft:
    """Quality over quantity: an offer goes only to people who care about its topic."""
    if c.kind is not MessageKind.PROMOTIONAL:
        return d
    topic = (c.topic or "").lower()
    if topic in {m.lower() for m in s.prefs.muted_categories}:
        return d.stop(Verdict.SUPPRESS, "relevance", f"You muted {c.topic}.")
    if topic and cares_about(topic, s):
        return d.note("relevance", f"It's about {c.topic}, which you're interested in.")
    if topic and topic in s.moved:
        return d.note("moved", f"It's about {c.topic}: because you mentioned your move.")
    return d.stop(
        Verdict.SUPPRESS,
        "relevance",
        "It isn't about anything you've shown interest in, and we'd rather write less.",
    )


def channel(c: Candidate, s: Situation, d: Draft) -> Draft:
    """The requested channel if the person allows it, else their first allowed one (the
    order of their ``channels`` is their preference). A weekly cap of 0 disallows it."""
    caps = s.prefs.max_messages_per_week
    allowed = [Channel(x) for x in s.prefs.channels if x in Channel._value2member_map_]
    allowed = [x for x in allowed if caps.get(x.value, 1) > 0]
    if c.channel in allowed:
        return d
    if not allowed:
        return d.stop(
            Verdict.SUPPRESS, "channel", "You haven't allowed any channel for messages like this."
        )
    chosen = allowed[0]
    return replace(d, channel=chosen).note(
        "channel",
        f"You prefer {plural(CHANNEL_NAMES[chosen])} to {plural(CHANNEL_NAMES[c.channel])}, "
        f"so it comes as {article(CHANNEL_NAMES[chosen])} {CHANNEL_NAMES[chosen]}.",
    )


def digest(c: Candidate, s: Situation, d: Draft) -> Draft:
    """Low-urgency messages join the person's pending digest on the same channel, or open
    one that goes out at the end of the digest window."""
    if c.urgency is not Urgency.LOW or c.kind not in DIGESTIBLE or d.send_at is None:
        return d
    pending = [
        h
        for h in s.history
        if h.digest_id is not None
        and h.verdict is Verdict.DEFER
        and h.channel == d.channel
        and h.send_at is not None
        and h.send_at > c.at
    ]
    if pending:
        anchor = pending[-1]
        others = sum(1 for h in s.history if h.digest_id == anchor.digest_id)
        text = f"Bundled with {count(others, 'other message')} into one digest at {WHEN}, "
        joined = d.later(anchor.send_at or c.at, "digest", text + "rather than a burst.")
        return replace(joined, digest_id=anchor.digest_id, done=True)
    window = s.settings.digest_window_minutes
    opened = d.later(
        d.send_at + timedelta(minutes=window),
        "digest",
        f"Low-priority messages wait for others and go out together as one digest, at {WHEN}.",
    )
    return replace(opened, digest_id=f"dg_{d.decision_id}")


def quiet_hours(c: Candidate, s: Situation, d: Draft) -> Draft:
    """Only a high-urgency transactional message (a sign-in code, a fraud alert) may break
    the person's quiet hours."""
    quiet = s.prefs.quiet_hours
    if d.send_at is None or quiet is None:
        return d
    if c.kind is MessageKind.TRANSACTIONAL and c.urgency is Urgency.HIGH:
        return d
    end = quiet_until(d.send_at, quiet, s.prefs.timezone)
    if end is None:
        return d
    window = f"{quiet.start:%H:%M}–{quiet.end:%H:%M}"
    return d.later(
        end,
        "quiet_hours",
        f"It's within your quiet hours ({window}), so it arrives at {WHEN} your time.",
    )


GATES: tuple[Rule, ...] = (
    consent,
    asked_to_stop,
    membership,
    pause,
    handoff_open,
    emotional_hold,
    celebrations,
    asked_to_mute,
    relevance,
    channel,
)
