"""Loaders read each supported format into the same columnar ``Ratings``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from tactful.errors import InvalidInput
from tactful.insights.evaluation.loaders import (
    datasets_dir,
    load_item_attributes,
    load_movies_csv,
    load_ratings,
    load_u_item,
)


def _pairs(r: object) -> set[tuple[str, str, float, int]]:
    from tactful.insights.evaluation.loaders import Ratings

    assert isinstance(r, Ratings)
    return {
        (r.user_ids[u], r.item_ids[i], float(v), int(t))
        for u, i, v, t in zip(r.users, r.items, r.values, r.timestamps, strict=True)
    }


def test_u_data_is_tab_separated(tmp_path: Path) -> None:
    f = tmp_path / "u.data"
    f.write_text("1\t10\t4\t100\n2\t10\t3\t101\n1\t20\t5\t102\n")
    r = load_ratings(f, "movielens")
    assert r.user_ids == ("1", "2")
    assert r.item_ids == ("10", "20")
    assert _pairs(r) == {("1", "10", 4.0, 100), ("2", "10", 3.0, 101), ("1", "20", 5.0, 102)}
    assert r.users.dtype == np.int32 and r.values.dtype == np.float32


def test_ratings_csv_with_crlf_and_repeated_pair_keeps_latest(tmp_path: Path) -> None:
    f = tmp_path / "ratings.csv"
    f.write_bytes(
        b"userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,2.5,964981247\r\n"
        b"1,1,1.0,964990000\r\n7,3,5.0,1\r\n"
    )
    r = load_ratings(f, "movielens-csv")
    assert len(r) == 3
    assert _pairs(r) == {("1", "1", 1.0, 964990000), ("1", "3", 2.5, 964981247), ("7", "3", 5.0, 1)}


@pytest.mark.parametrize("compressed", [True, False])
def test_amazon_json_lines_plain_or_gzip(tmp_path: Path, compressed: bool) -> None:
    rows = [
        {"reviewerID": "A1", "asin": "B1", "overall": 5.0, "unixReviewTime": 10, "x": "y"},
        {"reviewerID": "A2", "asin": "B1", "overall": 3.0, "unixReviewTime": 11},
    ]
    text = "\n".join(json.dumps(row) for row in rows) + "\n"
    f = tmp_path / "reviews.json"
    if compressed:
        f.write_bytes(gzip.compress(text.encode()))
    else:
        f.write_text(text)
    r = load_ratings(f, "amazon-json")
    assert _pairs(r) == {("A1", "B1", 5.0, 10), ("A2", "B1", 3.0, 11)}


@pytest.mark.parametrize(
    ("fmt", "content", "where"),
    [
        ("movielens", "1\t2\t3\t4\n1\t2\t3\n", ":2:"),
        ("movielens", "1\t2\tfive\t4\n", ":1: rating must be a number"),
        ("movielens-csv", "user,movie,rating,ts\n1,2,3,4\n", ":1: header"),
        ("movielens-csv", "userId,movieId,rating,timestamp\n1,2,3,4\n1,2,nan,4\n", ":3:"),
        ("amazon-json", '{"reviewerID": "a", "asin": "b", "overall": 1}\n', "unixReviewTime"),
        ("amazon-json", '{"reviewerID": "a"\n', ":1: not valid JSON"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, fmt: str, content: str, where: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_text(content)
    with pytest.raises(InvalidInput) as err:
        load_ratings(f, fmt)  # type: ignore[arg-type]
    assert str(f) in err.value.message
    assert where in err.value.message


def test_missing_and_empty_files_are_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        load_ratings(tmp_path / "nope.csv", "movielens-csv")
    empty = tmp_path / "u.data"
    empty.write_text("")
    with pytest.raises(InvalidInput, match="no ratings"):
        load_ratings(empty, "movielens")
    with pytest.raises(InvalidInput) as err:
        load_ratings(empty, "parquet")  # type: ignore[arg-type]
    assert err.value.field == "format"


def test_movies_csv_gives_titles_and_genres(tmp_path: Path) -> None:
    (tmp_path / "movies.csv").write_bytes(
        b"movieId,title,genres\r\n1,Toy Story (1995),Adventure|Animation\r\n"
        b'2,"Heat, The (1995)",(no genres listed)\r\n'
    )
    items = load_movies_csv(tmp_path / "movies.csv")
    assert [(i.item_id, i.title, i.categories) for i in items] == [
        ("1", "Toy Story (1995)", ("Adventure", "Animation")),
        ("2", "Heat, The (1995)", ()),
    ]
    assert load_item_attributes(tmp_path / "ratings.csv", "movielens-csv") == items
    assert load_item_attributes(tmp_path / "ratings.csv", "amazon-json") == []


def test_u_item_genre_flags(tmp_path: Path) -> None:
    flags = ["0"] * 19
    flags[1] = flags[5] = "1"  # Action, Comedy
    line = "|".join(["7", "Film (1995)", "01-Jan-1995", "", "http://x", *flags])
    (tmp_path / "u.item").write_text(line + "\n", encoding="latin-1")
    items = load_u_item(tmp_path / "u.item")
    assert items[0].categories == ("Action", "Comedy")
    assert load_item_attributes(tmp_path / "u.data", "movielens") == items


def test_datasets_dir_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TACTFUL_DATASETS", str(tmp_path))
    assert datasets_dir() == tmp_path
    monkeypatch.delenv("TACTFUL_DATASETS")
    assert datasets_dir().parts[-2:] == ("shared", "datasets")


@pytest.mark.datasets
def test_real_movielens_counts() -> None:
    path = datasets_dir() / "movielens-latest-small" / "ratings.csv"
    if not path.is_file():
        pytest.skip("MovieLens latest-small not available")
    r = load_ratings(path, "movielens-csv")
    assert (len(r), r.n_users, r.n_items) == (100_836, 610, 9_724)


def test_a_fixed_split_is_read_over_the_same_users_and_items(tmp_path: Path) -> None:
    from tactful.insights.evaluation.loaders import load_fixed_split

    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    train.write_text("userId,movieId,rating,timestamp\na,1,4,1\na,2,3,2\nb,2,5,3\n")
    test.write_text("userId,movieId,rating,timestamp\na,3,4,4\nc,1,2,5\n")
    tr, te = load_fixed_split(train, test, "movielens-csv")
    assert tr.user_ids == te.user_ids == ("a", "b", "c")
    assert tr.item_ids == te.item_ids == ("1", "2", "3")
    assert len(tr) == 3 and len(te) == 2
    assert tr.matrix().toarray().tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 0]]
    assert te.matrix().toarray().tolist() == [[0, 0, 1], [0, 0, 0], [1, 0, 0]]
    empty = tmp_path / "empty.csv"
    empty.write_text("userId,movieId,rating,timestamp\n")
    with pytest.raises(InvalidInput) as err:
        load_fixed_split(train, empty, "movielens-csv")
    assert err.value.field == "test"
