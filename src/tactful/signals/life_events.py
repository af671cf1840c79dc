"""Life events read from text, each with its confidence, evidence and expiry.

The packaged classifier (``life_event_model``: hashed n-grams, cue flags and the keyword
patterns' confidences, one sentence at a time, gated by negation, hypotheticals and a distant
past) finds events in everyday words ("I was let go on Monday"). The keyword patterns
(``life_event_patterns``) are only its features: on their own they fire on other people's
events and old ones ("my neighbour lost his job", "made redundant back in 2009"), so they are
no override; ``keywords_only=True`` still reads with them alone, for comparison. Each event
expires after a default time, because a signal about a hard moment must not follow a person
forever.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType

from tactful.signals.life_event_model import KINDS, LifeEventModel, default_model
from tactful.signals.life_event_patterns import KEYWORD_KINDS, fold, keyword_matches, keyword_scores


class LifeEventKind(StrEnum):
    BEREAVEMENT = "bereavement"
    FINANCIAL_HARDSHIP = "financial_hardship"
    ILLNESS = "illness"
    RELOCATION = "relocation"
    NEW_BABY = "new_baby"
    JOB_LOSS = "job_loss"


DEFAULT_EXPIRY: Mapping[LifeEventKind, timedelta] = MappingProxyType(
    {
        LifeEventKind.BEREAVEMENT: timedelta(days=60),
        LifeEventKind.FINANCIAL_HARDSHIP: timedelta(days=90),
        LifeEventKind.ILLNESS: timedelta(days=30),
        LifeEventKind.RELOCATION: timedelta(days=30),
        LifeEventKind.NEW_BABY: timedelta(days=180),
        LifeEventKind.JOB_LOSS: timedelta(days=90),
    }
)


@dataclass(frozen=True, slots=True)
class LifeEvent:
    """A life event read from text; ``evidence`` is the phrase that triggered it, for
    explanations. ``confidence`` >= 0.5 is a sure reading (the classifier's threshold)."""

    kind: LifeEventKind
    confidence: float
    expires_after: timedelta
    evidence: str = ""


MIN_CONFIDENCE = 0.2
"""Weaker readings (a hedged or long-past mention) are not returned at all."""
__all__ = [
    "DEFAULT_EXPIRY",
    "MIN_CONFIDENCE",
    "LifeEvent",
    "LifeEventKind",
    "detect_life_events",
    "detect_life_events_many",
    "fold",
]
if KINDS != KEYWORD_KINDS or set(KINDS) != {k.value for k in LifeEventKind}:
    raise RuntimeError("life-event kinds differ between the classifier and the patterns")


def detect_life_events(
    text: str,
    *,
    expiry: Mapping[LifeEventKind, timedelta] | None = None,
    model: LifeEventModel | None = None,
    keywords_only: bool = False,
) -> list[LifeEvent]:
    """Life events mentioned in ``text``: one per kind (its surest reading), surest first.
    ``keywords_only`` skips the classifier (the old behaviour, for comparison)."""
    return detect_life_events_many([text], expiry=expiry, model=model, keywords_only=keywords_only)[
        0
    ]


def detect_life_events_many(
    texts: Sequence[str],
    *,
    expiry: Mapping[LifeEventKind, timedelta] | None = None,
    model: LifeEventModel | None = None,
    keywords_only: bool = False,
) -> list[list[LifeEvent]]:
    """:func:`detect_life_events` for many texts at once (much faster per text)."""
    expiry = DEFAULT_EXPIRY if expiry is None else expiry
    if keywords_only:
        readings = [
            {k: v for k, v in keyword_matches(t).items() if v[0] >= MIN_CONFIDENCE} for t in texts
        ]
    else:
        reader = model or default_model()
        found = reader.detect_many(texts, keyword_scores, floor=MIN_CONFIDENCE)
        readings = [{d.kind: (d.confidence, d.evidence) for d in ds} for ds in found]
    return [_events(text, best, expiry) for text, best in zip(texts, readings, strict=True)]


def _events(
    text: str, best: dict[str, tuple[float, str]], expiry: Mapping[LifeEventKind, timedelta]
) -> list[LifeEvent]:
    if LifeEventKind.BEREAVEMENT in best and _lost_baby(text):  # a loss, not a birth
        best.pop(LifeEventKind.NEW_BABY, None)
    events = [
        LifeEvent(
            LifeEventKind(kind),
            round(min(conf, 1.0), 3),
            expiry.get(LifeEventKind(kind), DEFAULT_EXPIRY[LifeEventKind(kind)]),
            evidence,
        )
        for kind, (conf, evidence) in best.items()
    ]
    return sorted(events, key=lambda e: (-e.confidence, e.kind.value))


def _lost_baby(text: str) -> bool:
    low = fold(text).lower()
    return any(w in low for w in ("miscarr", "stillb", "lost the baby", "lost our baby"))
