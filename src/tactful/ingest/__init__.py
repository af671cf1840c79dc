"""Ingest: parse and validate raw rows, de-duplicate, pass the consent gate, store."""

from tactful.ingest.gate import GateResult, gate
from tactful.ingest.parse import Unparsed, parse_event
from tactful.ingest.preferences import validate_preferences
from tactful.ingest.report import IngestReport, Rejection, ingest

__all__ = [
    "GateResult",
    "IngestReport",
    "Rejection",
    "Unparsed",
    "gate",
    "ingest",
    "parse_event",
    "validate_preferences",
]
