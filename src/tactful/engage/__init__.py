"""Engage: decide whether, when and on which channel to contact a person, and explain it.

The values live here; the use cases that read and write the stores are in
``tactful.engage.contact`` (decisions, outcomes, fatigue) and
``tactful.engage.celebration`` (milestones and their celebrations).
"""

from tactful.engage.message import Candidate, parse_candidate
from tactful.records import (
    Channel,
    ContactDecision,
    MessageKind,
    Milestone,
    Outcome,
    Urgency,
    Verdict,
)

__all__ = [
    "Candidate",
    "Channel",
    "ContactDecision",
    "MessageKind",
    "Milestone",
    "Outcome",
    "Urgency",
    "Verdict",
    "parse_candidate",
]
