"""Recommendation models behind one ``Scorer`` contract."""

from tactful.recommend.interactions import History, Interactions
from tactful.recommend.scorer import Scorer

__all__ = ["History", "Interactions", "Scorer"]
