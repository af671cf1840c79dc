"""A person's context right now, as the guards, the explainer and contact decisions read it.

Built from the live signals (stored ones such as mood and life events, and the ones computed
at read time from behaviour) plus the person's own statements; a pure value, no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from tactful.consent.ledger import is_granted
from tactful.settings import Settings
from tactful.types import Decision, ItemId, Preferences, Purpose, Signal

LIFE_EVENT = "life_event:"
INTEREST = "interest:"
VALUE = "value:"
RETARGETING = "retargeting:"
MOOD = "mood"
DISTRESS = "distress"
TOPICS = "topics"
HELPFUL_EVENTS = frozenset({"relocation"})
"""Life events that are no hard time: a move lifts what helps (``curate.moving``) rather
than holding offers back."""
REQUEST = "request:"
"""Requests the person stated in words (``signals.asked``); value 0 once lifted."""
"""The catalogue categories a hard time's texts are about (``signals.topics``)."""


def _empty() -> Mapping[str, float]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Profile:
    """Typed view of a person's live signals. ``quiet`` is what the tact layer acts on: a
    hard time read from text (distress, a live life event) or declared (a pause)."""

    signals: tuple[Signal, ...] = ()
    distress: float = 0.0
    """The strongest live distress reading, 0..1."""
    life_events: tuple[Signal, ...] = ()
    """Live ``life_event:*`` signals, most confident first."""
    paused: bool = False
    """The person declared a pause (``pause_until`` in the future)."""
    interests: Mapping[str, float] = field(default_factory=_empty)
    values: Mapping[str, float] = field(default_factory=_empty)
    retargeting: Mapping[ItemId, float] = field(default_factory=_empty)
    distress_threshold: float = 0.0

    @property
    def distressed(self) -> bool:
        """A live distress signal (stored only when the model read distress) at least as
        strong as the threshold."""
        return self.distress > 0 and self.distress >= self.distress_threshold

    @property
    def quiet(self) -> bool:
        """A hard time: hold back offers and shrink lists (a move alone is none)."""
        return bool(self.why_quiet)

    @property
    def why_quiet(self) -> tuple[str, ...]:
        """What makes it a hard time, as stable names (``pause``, ``distress``, life events
        other than ``HELPFUL_EVENTS``)."""
        out = ["pause"] if self.paused else []
        if self.distressed:
            out.append("distress")
        kinds = (s.kind.removeprefix(LIFE_EVENT) for s in self.life_events)
        out.extend(k for k in kinds if k not in HELPFUL_EVENTS)
        return tuple(out)

    def tender(self, life_events: Collection[str]) -> bool:
        """Distress, or a live life event of these kinds (e.g. bereavement): then what the
        person wrote about, and what they cancelled or returned, is not offered to them."""
        return self.distressed or any(
            s.kind.removeprefix(LIFE_EVENT) in life_events for s in self.life_events
        )

    @property
    def topics(self) -> frozenset[str]:
        """The categories the person's texts of a hard time are about (while live)."""
        found = self.get(TOPICS)
        named = found.detail.get("categories") if found is not None else None
        return frozenset(str(c) for c in named) if isinstance(named, list) else frozenset()

    @property
    def requests(self) -> tuple[Signal, ...]:
        """The requests in force (stated in words, not lifted)."""
        return tuple(s for s in self.signals if s.kind.startswith(REQUEST) and s.value > 0)

    def asked(self, name: str) -> Signal | None:
        """The request in force of this name (``stop_messages``, ``mute:baby`` ...)."""
        found = self.get(REQUEST + name)
        return found if found is not None and found.value > 0 else None

    @property
    def muted(self) -> frozenset[str]:
        """The categories the person asked in words not to hear about."""
        prefix = REQUEST + "mute:"
        return frozenset(
            s.kind.removeprefix(prefix) for s in self.requests if s.kind.startswith(prefix)
        )

    def get(self, kind: str) -> Signal | None:
        return next((s for s in self.signals if s.kind == kind), None)

    def top_interests(self, n: int) -> tuple[str, ...]:
        ranked = sorted(self.interests.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(k for k, _ in ranked[:n])


def _by_prefix(signals: Iterable[Signal], prefix: str) -> dict[str, float]:
    """Positive values only: a stored zero is a person's correction ("not my interest");
    the signal itself stays readable through ``Profile.get``."""
    return {
        s.kind.removeprefix(prefix): s.value
        for s in signals
        if s.kind.startswith(prefix) and s.value > 0
    }


def live(signals: Iterable[Signal], now: datetime) -> list[Signal]:
    """The signals that have not expired at ``now``."""
    return [s for s in signals if s.expires_at is None or s.expires_at > now]


def build_profile(
    signals: Sequence[Signal],
    *,
    now: datetime,
    prefs: Preferences | None = None,
    distress_threshold: float = 0.0,
    min_confidence: float = 0.0,
) -> Profile:
    """The profile from a person's signals (expired ones ignored) and preferences. A later
    signal of the same kind wins, so a stored correction overrides a computed value."""
    by_kind = {s.kind: s for s in live(signals, now)}
    current = tuple(sorted(by_kind.values(), key=lambda s: s.kind))
    events = sorted(
        (s for s in current if s.kind.startswith(LIFE_EVENT) and s.value >= min_confidence),
        key=lambda s: (-s.value, s.kind),
    )
    distress = by_kind.get(DISTRESS)
    paused = prefs is not None and prefs.pause_until is not None and prefs.pause_until > now
    return Profile(
        signals=current,
        distress=distress.value if distress is not None else 0.0,
        life_events=tuple(events),
        paused=paused,
        interests=MappingProxyType(_by_prefix(current, INTEREST)),
        values=MappingProxyType(_by_prefix(current, VALUE)),
        retargeting=MappingProxyType(_by_prefix(current, RETARGETING)),
        distress_threshold=distress_threshold,
    )


def profile_of(
    *,
    stored: Sequence[Signal],
    consents: Mapping[Purpose, Decision],
    prefs: Preferences,
    now: datetime,
    settings: Settings,
) -> Profile:
    """The person's profile from their stored signals whose purpose is granted."""
    return build_profile(
        [s for s in stored if is_granted(consents, s.purpose)],
        now=now,
        prefs=prefs,
        distress_threshold=settings.signals.distress_threshold,
        min_confidence=settings.signals.life_event_min_confidence,
    )


def held_by(profile: Profile) -> tuple[str, ...]:
    """What makes it a hard time, read from text: ``distress`` and live life events (a
    declared pause has its own rule)."""
    return tuple(x for x in profile.why_quiet if x != "pause")
