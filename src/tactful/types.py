"""Domain values passed between the stages of the flow: immutable, plain, and typed.

Ids are plain strings (``SubjectId``, ``ItemId``); enums are ``StrEnum`` so they read and
serialise as their names. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from typing import NamedTuple, TypeAlias

SubjectId: TypeAlias = str
ItemId: TypeAlias = str
EventId: TypeAlias = str
ItemRow: TypeAlias = tuple[SubjectId, ItemId, str, float | None]
"""One event that names an item, as training reads it: subject, item, type value, value."""


class Purpose(StrEnum):
    """Why data may be used; consent is granted or denied per purpose."""

    PERSONALIZATION = "personalization"
    MESSAGING = "messaging"
    EMOTIONAL_CONTEXT = "emotional_context"
    LOCATION = "location"
    SOCIAL = "social"
    COMMUNITY = "community"
    ANALYTICS = "analytics"


class DataCategory(StrEnum):
    """What kind of personal data an event is; the event type fixes it."""

    BEHAVIORAL = "behavioral"
    TRANSACTIONAL = "transactional"
    FEEDBACK = "feedback"
    TEXT = "text"
    LOCATION = "location"
    SOCIAL = "social"
    DECLARED = "declared"


class EventType(StrEnum):
    VIEW = "view"
    CLICK = "click"
    ADD_TO_CART = "add_to_cart"
    PURCHASE = "purchase"
    RATING = "rating"
    DISMISS = "dismiss"
    SEARCH = "search"
    SHARE = "share"
    FEEDBACK_TEXT = "feedback_text"
    SUPPORT_MESSAGE = "support_message"
    PROGRESS = "progress"
    LOCATION = "location"
    SOCIAL = "social"
    CANCEL = "cancel"
    """The person cancelled an order of the item."""
    RETURN = "return"
    """The person returned the item."""


class RequestContext(StrEnum):
    """Where a list of recommendations is shown: ``home`` and ``email`` are proactive (we
    chose to show it), ``search`` and ``browse`` answer something the person is looking for."""

    HOME = "home"
    EMAIL = "email"
    SEARCH = "search"
    BROWSE = "browse"

    @property
    def proactive(self) -> bool:
        return self in (RequestContext.HOME, RequestContext.EMAIL)


class Decision(StrEnum):
    """A consent decision. ``UNSET`` means no: nothing is used without a grant."""

    UNSET = "unset"
    GRANTED = "granted"
    DENIED = "denied"


class Sensitivity(StrEnum):
    """Special categories of items that are never recommended from inference."""

    NONE = "none"
    HEALTH = "health"
    FINANCE = "finance"
    PREGNANCY = "pregnancy"
    RELIGION = "religion"
    SEXUALITY = "sexuality"
    POLITICS = "politics"
    ALCOHOL = "alcohol"
    GAMBLING = "gambling"
    ADULT = "adult"


class Scope(StrEnum):
    """What an operator API key may do."""

    INGEST = "ingest"
    READ = "read"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a person did. ``category`` follows from ``type`` (see consent.policy)."""

    event_id: EventId
    subject_id: SubjectId
    type: EventType
    occurred_at: datetime
    item_id: ItemId | None = None
    value: float | None = None
    text: str | None = None
    source: str | None = None


class ItemKind(StrEnum):
    """What an item is: something to buy (``product``) or something to read, watch or join
    (``content``: guides, stories, events, volunteering)."""

    PRODUCT = "product"
    CONTENT = "content"


@dataclass(frozen=True, slots=True)
class Item:
    item_id: ItemId
    title: str
    categories: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    sensitive: Sensitivity = Sensitivity.NONE
    price: float | None = None
    available: bool = True
    promotional: bool = False
    added_at: datetime | None = None
    """When the item entered the catalogue (set on its first upsert; see
    ``tactful.app.catalogue``). None for items stored before it was recorded."""
    kind: ItemKind = ItemKind.PRODUCT


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """One entry of the append-only consent history."""

    subject_id: SubjectId
    purpose: Purpose
    decision: Decision
    at: datetime
    source: str = "api"
    policy_version: str = "1"


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local wall-clock window (may wrap midnight, e.g. 22:00-07:00) in ``Preferences.timezone``."""

    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Preferences:
    """What the person chose. Defaults are the tactful ones: few items, no sensitive ones."""

    channels: tuple[str, ...] = ("email", "in_app")
    max_messages_per_week: Mapping[str, int] = field(default_factory=dict)
    quiet_hours: QuietHours | None = None
    timezone: str = "UTC"
    max_recommendations: int | None = None
    """The choice budget the person chose; None: they never chose one, so
    ``guards.default_max_recommendations`` applies (and is not presented as their choice)."""
    muted_categories: tuple[str, ...] = ()
    preferred_categories: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    allowed_sensitive: tuple[Sensitivity, ...] = ()
    pause_until: datetime | None = None
    celebrations: bool = True


class Evidence(NamedTuple):
    """Why a score is what it is: e.g. ``kind="item", item_id="i7", weight=0.42``.

    A named tuple rather than a frozen dataclass: every scored candidate carries a few,
    and a named tuple is built several times faster."""

    kind: str
    weight: float
    item_id: ItemId | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Scored:
    """A ranked candidate list, best first, with the evidence behind each score."""

    items: tuple[ItemId, ...]
    scores: tuple[float, ...]
    evidence: Mapping[ItemId, tuple[Evidence, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.items) != len(self.scores):
            raise ValueError("Scored.items and Scored.scores must have the same length")

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class Reason:
    """A plain-words reason shown with an item: ``kind`` is stable, ``text`` is for people."""

    kind: str
    text: str
    items: tuple[ItemId, ...] = ()


@dataclass(frozen=True, slots=True)
class HeldBack:
    """What a guard removed, summarised: ``kind`` is a fixed name, ``text`` is for people."""

    kind: str
    count: int
    text: str


@dataclass(frozen=True, slots=True)
class Exposure:
    """A logged recommendation response: what was shown, why, from which model."""

    subject_id: SubjectId
    items: tuple[ItemId, ...]
    reasons: Mapping[ItemId, tuple[Reason, ...]]
    model_version: str | None
    at: datetime
    context: str | None = None
    personalized: bool = False
    held_back: Mapping[str, int] = field(default_factory=dict)
    """Items the guards held back from this response, per guard kind."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An operator API key as stored: only the SHA-256 of the secret is kept."""

    key_id: str
    name: str
    scopes: frozenset[Scope]
    key_hash: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Signal:
    """Something derived about a person, with the evidence behind it and an expiry.

    ``kind`` names it: ``mood``, ``life_event:bereavement``, ``interest:running``,
    ``value:repairable``, ``fatigue``, ``trust``, ``retargeting:<item>`` ... ``purpose`` is the
    consent it was derived under, so withdrawing that purpose deletes it.
    """

    subject_id: SubjectId
    kind: str
    value: float
    purpose: Purpose
    created_at: datetime
    expires_at: datetime | None = None
    detail: Mapping[str, object] = field(default_factory=dict)
    evidence: tuple[EventId, ...] = ()
