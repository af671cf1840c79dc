"""Offline evaluation: load rating datasets, split them per user, rank all items and score
the rankings for accuracy (NDCG, recall, precision, MAP, hit rate) and beyond (coverage,
diversity, novelty, popularity, exposure Gini)."""

from tactful.insights.evaluation.loaders import Ratings, load_item_attributes, load_ratings
from tactful.insights.evaluation.runner import ModelSpec, Result, Setup, evaluate_models
from tactful.insights.evaluation.splits import Split, split, split_random, split_temporal

__all__ = [
    "ModelSpec",
    "Ratings",
    "Result",
    "Setup",
    "Split",
    "evaluate_models",
    "load_item_attributes",
    "load_ratings",
    "split",
    "split_random",
    "split_temporal",
]
