"""A population fitted from a ratings file: history ingested, held-out items as tastes."""

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from tactful.errors import InvalidInput
from tactful.insights.evaluation.loaders import datasets_dir
from tactful.simulate import Behaviour, Config, simulate
from tactful.simulate.fitted import fitted_shop
from tactful.simulate.people import from_shop

START = datetime(2026, 1, 5, tzinfo=UTC)
GENRES = ("Comedy", "Drama", "Horror")


def ratings_file(tmp_path: Path, users: int = 60) -> Path:
    """Each user rates 6 movies of one genre, in time order: 3 early, 3 late (liked)."""
    rows = ["userId,movieId,rating,timestamp"]
    for u in range(users):
        genre = u % 3
        for k in range(6):
            movie = genre * 100 + (u + k) % 20
            rows.append(f"{u + 1},{movie},{5.0 if k >= 3 else 3.0},{1_000_000 + u * 10 + k}")
    (tmp_path / "ratings.csv").write_text("\n".join(rows) + "\n")
    movies = ["movieId,title,genres"]
    movies += [f"{g * 100 + m},Movie {g}-{m},{GENRES[g]}" for g in range(3) for m in range(20)]
    (tmp_path / "movies.csv").write_text("\n".join(movies) + "\n")
    return tmp_path / "ratings.csv"


def test_held_out_ratings_are_the_tastes_and_the_history_is_the_earlier_half(
    tmp_path: Path,
) -> None:
    shop, liked = fitted_shop(
        ratings_file(tmp_path), people=60, rng=np.random.default_rng(0), start=START
    )
    assert len(liked) == 60 and len(shop.events) == 60 * 3
    assert all(e.occurred_at < START for e in shop.events)
    first = liked["m1"]  # user 1 is a comedy person (genre 0)
    assert len(first) == 3 and shop.favourites["m1"] == ("Comedy",)
    history = {e.item_id for e in shop.events if e.subject_id == "m1"}
    assert not history & first
    people = from_shop(shop, np.random.default_rng(1), Behaviour(), liked)
    row = people.subjects.index("m1")
    items = {it.item_id: it for it in shop.items}
    favourite = next(iter(first))
    assert people.item_appeal(row, items[favourite], Behaviour()) == 1.0
    other = next(i for i in items if i not in first and items[i].categories == ("Comedy",))
    assert people.item_appeal(row, items[other], Behaviour()) == 0.5


def test_a_fitted_population_runs_through_the_application(tmp_path: Path) -> None:
    path = ratings_file(tmp_path)
    out = simulate(Config(people=60, weeks=1, seed=1, population=str(path)))
    assert out["policies"]["tactful"]["summary"]["lists_shown"] > 0
    assert out["parameters"]["population"] == str(path)


def test_a_bad_population_is_refused_naming_it(tmp_path: Path) -> None:
    for bad in (str(tmp_path / "nowhere.csv"), str(tmp_path / "ratings.parquet")):
        with pytest.raises(InvalidInput) as err:
            simulate(Config(population=bad))
        assert err.value.field == "population"
    with pytest.raises(InvalidInput, match="at least 50"):
        simulate(Config(people=50, weeks=1, population=str(ratings_file(tmp_path, users=20))))


@pytest.mark.datasets
def test_movielens_latest_small_fits() -> None:
    path = datasets_dir() / "movielens-latest-small" / "ratings.csv"
    if not path.is_file():
        pytest.skip("MovieLens latest-small is not in the shared datasets")
    shop, liked = fitted_shop(path, people=80, rng=np.random.default_rng(0), start=START)
    assert len(liked) == 80 and all(liked.values())
    assert all(len(f) >= 1 for f in shop.favourites.values())
