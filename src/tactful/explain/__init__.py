"""Explain: plain-words reasons for every recommended item, from real evidence."""

from tactful.explain.reasons import explain

__all__ = ["explain"]
