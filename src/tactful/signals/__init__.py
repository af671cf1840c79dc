"""Signals: context derived from what a person wrote, used only under ``emotional_context``.

``analyse(text)`` gives a :class:`MoodReading` (valence, sentiment and emotion groups, distress,
life events); ``mood_state`` folds readings into a decayed :class:`MoodState`. The emotion
model is loaded lazily from the package on first use.
"""

from tactful.signals.emotions import EMOTION_GROUPS, SENTIMENT_GROUPS, EmotionModel
from tactful.signals.life_events import (
    DEFAULT_EXPIRY,
    LifeEvent,
    LifeEventKind,
    detect_life_events,
)
from tactful.signals.mood import MoodReading, MoodState, analyse, analyse_many, mood_state

__all__ = [
    "DEFAULT_EXPIRY",
    "EMOTION_GROUPS",
    "SENTIMENT_GROUPS",
    "EmotionModel",
    "LifeEvent",
    "LifeEventKind",
    "MoodReading",
    "MoodState",
    "analyse",
    "analyse_many",
    "detect_life_events",
    "mood_state",
]
