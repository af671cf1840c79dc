"""Tactful's models by name: ``MODELS`` maps the name a model is saved under back to its
class (``tactful.recommend.artifacts`` loads through it), and ``make_scorer`` builds the
serving model a ``recommend.model`` setting names.

Every name in ``settings.SERVING_MODELS`` serves: the single models, ``cold_start``
(content + popularity, for people without history) and ``blend`` (EASE + ALS, and item-kNN
when ``blend_knn_weight`` gives it a share), the same
lineup ``tactful evaluate`` offers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from tactful.errors import InvalidInput, NotFound
from tactful.recommend.blend import PARTS, Blend
from tactful.recommend.content import Content
from tactful.recommend.ease import EASE
from tactful.recommend.factor import ALS, BPR
from tactful.recommend.itemknn import ItemKNN
from tactful.recommend.model import Model
from tactful.recommend.popularity import Popularity
from tactful.settings import MODEL_ALIASES, RecommendSettings
from tactful.types import Item

COLD_START = "cold_start"
BLEND = "blend"
MODELS: Mapping[str, type[Model]] = {**PARTS, COLD_START: Blend, BLEND: Blend}


def model_class(name: str) -> type[Model]:
    """The class that loads artifacts saved under this model name."""
    try:
        return MODELS[name]
    except KeyError:
        raise NotFound(f"unknown model {name!r}; known: {', '.join(MODELS)}") from None


def _builders(settings: RecommendSettings, items: Sequence[Item]) -> dict[str, Callable[[], Model]]:
    def als() -> ALS:
        return ALS(
            factors=settings.als_factors,
            regularization=settings.als_regularization,
            iterations=settings.als_iterations,
            alpha=settings.als_alpha,
            seed=settings.model_seed,
        )

    def ease() -> EASE:
        return EASE(l2=settings.ease_l2, dtype=settings.ease_dtype)

    def itemknn() -> ItemKNN:
        return ItemKNN(
            neighbours=settings.knn_neighbours,
            weighting=settings.knn_weighting,
            k1=settings.knn_bm25_k1,
            b=settings.knn_bm25_b,
        )

    def blend() -> Blend:
        """EASE, ALS and (with a positive share) item-kNN; parts without a share are left
        out, so a blend of EASE + ALS is saved as before."""
        ease_w, knn_w = settings.blend_ease_weight, settings.blend_knn_weight
        parts: list[tuple[Model, float]] = [(ease(), ease_w), (als(), 1.0 - ease_w - knn_w)]
        parts.append((itemknn(), knn_w))
        return Blend(parts=[(m, w) for m, w in parts if w > 1e-9], name=BLEND)

    content = settings.cold_start_content_weight
    return {
        "popularity": Popularity,
        "itemknn": itemknn,
        "ease": ease,
        "als": als,
        "bpr": lambda: BPR(
            factors=settings.als_factors,
            learning_rate=settings.bpr_learning_rate,
            iterations=settings.bpr_iterations,
            seed=settings.model_seed,
        ),
        "content": lambda: Content(items=items),
        COLD_START: lambda: Blend(
            parts=[(Content(items=items), content), (Popularity(), 1.0 - content)],
            name=COLD_START,
        ),
        BLEND: blend,
    }


def make_scorer(name: str, settings: RecommendSettings, *, items: Sequence[Item] = ()) -> Model:
    """A fresh, unfitted model of this name with the settings' parameters, saved under that
    name. ``items`` (the catalogue) feeds the content-based models: ``content`` and
    ``cold_start``."""
    builders = _builders(settings, items)
    name = MODEL_ALIASES.get(name, name)
    if name not in builders:
        raise InvalidInput(
            f"unknown model {name!r}; expected one of {', '.join(builders)}", field="model"
        )
    return builders[name]()
