"""Tactful: personalization with tact.

Consent-first recommendations and contact decisions that respect people's attention,
emotional context and privacy. Most users need only the names below.
"""

from tactful.errors import TactfulError
from tactful.settings import Settings
from tactful.types import Event, Item, Preferences, Purpose, Scored

__version__ = "0.1.0"

__all__ = ["Event", "Item", "Preferences", "Purpose", "Scored", "Settings", "TactfulError"]
