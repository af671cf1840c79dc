"""Read public rating datasets into one compact columnar shape for offline evaluation.

Formats: MovieLens ``u.data`` (tab-separated ``user item rating ts``), MovieLens
``ratings.csv`` (header ``userId,movieId,rating,timestamp``), and Amazon review JSON lines
(gzip or plain; ``reviewerID, asin, overall, unixReviewTime``). Item attributes come from
MovieLens ``movies.csv`` or ``u.item``. A bad file raises ``InvalidInput`` naming file and line.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from tactful.errors import InvalidInput
from tactful.types import Item, ItemId

Format = Literal["movielens", "movielens-csv", "amazon-json"]
FORMATS: tuple[Format, ...] = ("movielens", "movielens-csv", "amazon-json")

ML100K_GENRES = (
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
)

_Row = tuple[str, str, float, int]


@dataclass(frozen=True, eq=False)
class Ratings:
    """One row per distinct (user, item) pair; ``users``/``items`` index the id tuples.

    Every ``Ratings`` cut from the same source (train, test, validation) keeps the full id
    tuples, so matrices built from them share rows and columns.
    """

    users: npt.NDArray[np.int32]
    items: npt.NDArray[np.int32]
    values: npt.NDArray[np.float32]
    timestamps: npt.NDArray[np.int64]
    user_ids: tuple[str, ...]
    item_ids: tuple[ItemId, ...]

    def __len__(self) -> int:
        return int(self.users.shape[0])

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def take(self, rows: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> Ratings:
        """The subset of rows (mask or indices), over the same users and items."""
        return Ratings(
            self.users[rows],
            self.items[rows],
            self.values[rows],
            self.timestamps[rows],
            self.user_ids,
            self.item_ids,
        )

    def matrix(self, *, implicit: bool = True) -> sp.csr_matrix:
        """Users × items float32 CSR: 1.0 per rated pair when ``implicit``, else the rating."""
        data = np.ones(len(self), np.float32) if implicit else self.values.astype(np.float32)
        shape = (self.n_users, self.n_items)
        m = sp.csr_matrix((data, (self.users, self.items)), shape=shape, dtype=np.float32)
        m.sort_indices()
        return m

    @classmethod
    def from_rows(cls, rows: Sequence[_Row], *, source: str) -> Ratings:
        """Index raw (user, item, rating, ts) rows; a repeated pair keeps its latest rating."""
        if not rows:
            raise InvalidInput(f"{source}: no ratings found", field="data")
        user_raw, item_raw, values, stamps = zip(*rows, strict=True)
        user_ids, users = np.unique(np.asarray(user_raw, dtype=str), return_inverse=True)
        item_ids, items = np.unique(np.asarray(item_raw, dtype=str), return_inverse=True)
        ts = np.asarray(stamps, dtype=np.int64)
        # Sort by (user, item, ts, file order) and keep the last row of each pair.
        order = np.lexsort((np.arange(len(rows)), ts, items, users))
        u, i = users[order], items[order]
        last = np.ones(len(order), dtype=bool)
        last[:-1] = (u[1:] != u[:-1]) | (i[1:] != i[:-1])
        keep = order[last]
        return cls(
            users[keep].astype(np.int32),
            items[keep].astype(np.int32),
            np.asarray(values, dtype=np.float32)[keep],
            ts[keep],
            tuple(str(x) for x in user_ids),
            tuple(str(x) for x in item_ids),
        )


def _bad(path: Path, line: int, why: str) -> InvalidInput:
    return InvalidInput(f"{path}:{line}: {why}", field="data")


def _number(path: Path, line: int, raw: str, name: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _bad(path, line, f"{name} must be a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise _bad(path, line, f"{name} must be finite, got {raw!r}")
    return value


def _timestamp(path: Path, line: int, raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _bad(path, line, f"timestamp must be a number, got {raw!r}")
    return int(_number(path, line, str(raw), "timestamp"))


def _open_text(path: Path) -> IO[str]:
    """Open plain or gzip text (detected by magic bytes, not by suffix)."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file", field="data")
    with path.open("rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    if gz:
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def _u_data_rows(path: Path) -> Iterator[_Row]:
    with _open_text(path) as f:
        for n, raw in enumerate(f, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 4:
                raise _bad(path, n, f"expected 4 tab-separated fields, got {len(parts)}")
            rating = _number(path, n, parts[2], "rating")
            yield parts[0], parts[1], rating, _timestamp(path, n, parts[3])


def _ratings_csv_rows(path: Path) -> Iterator[_Row]:
    with _open_text(path) as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:4]] != [
            "userId",
            "movieId",
            "rating",
            "timestamp",
        ]:
            raise _bad(path, 1, "header must be userId,movieId,rating,timestamp")
        for parts in reader:
            n = reader.line_num
            if not parts:
                continue
            if len(parts) != 4:
                raise _bad(path, n, f"expected 4 comma-separated fields, got {len(parts)}")
            rating = _number(path, n, parts[2], "rating")
            yield parts[0], parts[1], rating, _timestamp(path, n, parts[3])


def _amazon_rows(path: Path) -> Iterator[_Row]:
    with _open_text(path) as f:
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                obj: Any = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise _bad(path, n, f"not valid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise _bad(path, n, "expected a JSON object")
            for key in ("reviewerID", "asin", "overall", "unixReviewTime"):
                if key not in obj:
                    raise _bad(path, n, f"missing field {key!r}")
            user, item = obj["reviewerID"], obj["asin"]
            if not isinstance(user, str) or not isinstance(item, str) or not user or not item:
                raise _bad(path, n, "reviewerID and asin must be non-empty strings")
            rating = _number(path, n, str(obj["overall"]), "overall")
            yield user, item, rating, _timestamp(path, n, obj["unixReviewTime"])


def _read_rows(path: Path, fmt: Format) -> list[_Row]:
    readers = {
        "movielens": _u_data_rows,
        "movielens-csv": _ratings_csv_rows,
        "amazon-json": _amazon_rows,
    }
    if fmt not in readers:
        raise InvalidInput(f"unknown format {fmt!r}; expected one of {FORMATS}", field="format")
    path = Path(path)
    try:
        return list(readers[fmt](path))
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason})", field="data") from None
    except (OSError, EOFError) as exc:
        raise InvalidInput(f"{path}: cannot read ({exc})", field="data") from None


def load_ratings(path: Path, fmt: Format) -> Ratings:
    """Read a ratings file of the given format into ``Ratings``."""
    return Ratings.from_rows(_read_rows(path, fmt), source=str(path))


def _over(part: Ratings, whole: Ratings) -> Ratings:
    """``part`` re-indexed over the (larger) id tuples of ``whole``."""
    users = {u: k for k, u in enumerate(whole.user_ids)}
    items = {i: k for k, i in enumerate(whole.item_ids)}
    user_of = np.array([users[u] for u in part.user_ids], dtype=np.int32)
    item_of = np.array([items[i] for i in part.item_ids], dtype=np.int32)
    return Ratings(
        user_of[part.users] if len(part) else part.users,
        item_of[part.items] if len(part) else part.items,
        part.values,
        part.timestamps,
        whole.user_ids,
        whole.item_ids,
    )


def load_fixed_split(train: Path, test: Path, fmt: Format) -> tuple[Ratings, Ratings]:
    """A split the user gives as two files of one format, read over the same users and
    items (the union of both), so results compare with other toolkits on the same data.
    Each file keeps a repeated pair's latest rating; nothing moves between the files."""
    train_rows, test_rows = _read_rows(train, fmt), _read_rows(test, fmt)
    for rows, path, field in ((train_rows, train, "train"), (test_rows, test, "test")):
        if not rows:
            raise InvalidInput(f"{path}: no ratings found", field=field)
    whole = Ratings.from_rows(train_rows + test_rows, source=f"{train} and {test}")
    first = Ratings.from_rows(train_rows, source=str(train))
    second = Ratings.from_rows(test_rows, source=str(test))
    return _over(first, whole), _over(second, whole)


def load_movies_csv(path: Path) -> list[Item]:
    """MovieLens ``movies.csv``: title and pipe-separated genres as item categories."""
    items: list[Item] = []
    with _open_text(Path(path)) as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:3]] != ["movieId", "title", "genres"]:
            raise _bad(Path(path), 1, "header must be movieId,title,genres")
        for parts in reader:
            if not parts:
                continue
            if len(parts) != 3:
                raise _bad(Path(path), reader.line_num, f"expected 3 fields, got {len(parts)}")
            genres = tuple(g for g in parts[2].split("|") if g and g != "(no genres listed)")
            items.append(Item(item_id=parts[0], title=parts[1], categories=genres))
    return items


def load_u_item(path: Path) -> list[Item]:
    """MovieLens 100k ``u.item`` (latin-1, pipe-separated, 19 genre flags)."""
    items: list[Item] = []
    with Path(path).open("r", encoding="latin-1") as f:
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            parts = raw.rstrip("\r\n").split("|")
            if len(parts) != 5 + len(ML100K_GENRES):
                raise _bad(Path(path), n, f"expected {5 + len(ML100K_GENRES)} fields")
            flags = parts[5:]
            genres = tuple(g for g, flag in zip(ML100K_GENRES, flags, strict=True) if flag == "1")
            items.append(Item(item_id=parts[0], title=parts[1], categories=genres))
    return items


def load_item_attributes(ratings_path: Path, fmt: Format) -> list[Item]:
    """Item attributes found next to a ratings file (``movies.csv``/``u.item``), else none."""
    folder = Path(ratings_path).parent
    if fmt == "movielens-csv" and (folder / "movies.csv").is_file():
        return load_movies_csv(folder / "movies.csv")
    if fmt == "movielens" and (folder / "u.item").is_file():
        return load_u_item(folder / "u.item")
    return []


def datasets_dir() -> Path:
    """Where the shared read-only datasets live: ``$TACTFUL_DATASETS`` or ``../shared/datasets``."""
    env = os.environ.get("TACTFUL_DATASETS")
    if env:
        return Path(env)
    repo_root = Path(__file__).resolve().parents[4]
    return repo_root.parent / "shared" / "datasets"
