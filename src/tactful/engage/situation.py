"""What the contact rules see about one person at one moment: consents, preferences, the
tact layer's ``Profile`` (distress, life events, interests, values, fatigue), recent
decisions and an active hand-off case.

Signals are used only while the purpose they were derived under is granted: the stores
should already have deleted them on withdrawal, but each use filters again (as the consent
model asks). Interests are computed from behaviour only under ``personalization``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tactful.consent.ledger import is_granted
from tactful.records import Case, Community, ContactDecision
from tactful.settings import EngageSettings, Settings
from tactful.signals.behaviour import affinities
from tactful.signals.profile import LIFE_EVENT, Profile
from tactful.types import Decision, Event, Item, ItemId, Preferences, Purpose, SubjectId

FATIGUE = "fatigue"


def _nothing() -> frozenset[str]:
    return frozenset()


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything a rule may consult. ``history`` holds the person's recent decisions (all
    verdicts, oldest first); ``case`` is their open or claimed hand-off case, if any;
    ``inferred`` computes the interests their behaviour shows, only when a rule asks;
    ``communities`` are those they joined."""

    subject_id: SubjectId
    consents: Mapping[Purpose, Decision]
    prefs: Preferences
    profile: Profile
    history: tuple[ContactDecision, ...]
    case: Case | None
    settings: EngageSettings
    inferred: Callable[[], frozenset[str]] = _nothing
    moved: frozenset[str] = frozenset()
    """Categories a live move makes welcome (``moved_categories``), lower case."""
    communities: tuple[Community, ...] = ()
    """The communities the person joined (read only for community messages)."""


def inferred_interests(
    subject: SubjectId,
    *,
    behaviour: Sequence[Event],
    catalogue: Mapping[ItemId, Item],
    consents: Mapping[Purpose, Decision],
    now: datetime,
    settings: Settings,
) -> frozenset[str]:
    """The interests and values the person's behaviour shows (the tact layer's computed
    ``interest:*`` and ``value:*`` signals), only under ``personalization``."""
    if not behaviour or not is_granted(consents, Purpose.PERSONALIZATION):
        return frozenset()
    half_life = timedelta(days=settings.signals.interest_half_life_days)
    out: set[str] = set()
    by_attribute = affinities(
        behaviour,
        catalogue,
        attributes=("categories", "values"),
        now=now,
        half_life=half_life,
        weights=settings.recommend.event_weights,
    )
    for raw in by_attribute.values():
        ranked = sorted(raw.items(), key=lambda kv: (-kv[1][0], kv[0]))
        out.update(name.lower() for name, _ in ranked[: settings.signals.max_interests])
    return frozenset(out)


def moved_categories(profile: Profile, mapped: Sequence[str]) -> frozenset[str]:
    """The categories a live relocation makes welcome (``guards.move_categories``), none
    while a hard time is live: then the emotional hold wins."""
    moving = any(s.kind == LIFE_EVENT + "relocation" for s in profile.life_events)
    if not moving or profile.quiet:
        return frozenset()
    return frozenset(c.lower() for c in mapped)


def cares_about(topic: str, s: Situation) -> bool:
    """Whether the person cares about a topic (case-insensitive): a declared category or
    value, a stored interest or value, or one their behaviour shows. A stored signal wins
    over behaviour, so an interest the person removed (stored at 0) stays removed."""
    topic = topic.lower()
    if topic in {x.lower() for x in (*s.prefs.preferred_categories, *s.prefs.values)}:
        return True
    stored = {  # the raw signals: a correction (stored at 0) is not in ``profile.interests``
        sig.kind.lower().partition(":")[2]: sig.value
        for sig in s.profile.signals
        if sig.kind.startswith(("interest:", "value:"))
    }
    if topic in stored:
        return stored[topic] > 0
    return topic in s.inferred()


def fatigue_factor(profile: Profile) -> tuple[float, int]:
    """The budget multiplier from the fatigue signal (1.0 when rested) and the run of
    unwelcome outcomes behind it."""
    s = profile.get(FATIGUE)
    if s is None:
        return 1.0, 0
    run = s.detail.get("unwelcome_in_row", 0)
    return max(0.0, min(1.0, s.value)), run if isinstance(run, int) else 0
