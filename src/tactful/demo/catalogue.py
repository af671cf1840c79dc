"""The demo shop's catalogue: outdoor-gear and fitness departments, brands and the values they
stand for, and a handful of sensitive items, drawn into a seeded, believable inventory.

Besides the ``Item`` values it keeps what the event generator needs to make behaviour
learnable: each item's department, a popularity weight, and its kit (items bought together).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from tactful.demo.departments import (
    BRANDS,
    DEPARTMENTS,
    EDITIONS,
    MODELS,
    SENSITIVE,
    TOPICS,
    VALUES,
    Department,
)
from tactful.errors import InvalidInput
from tactful.types import Item, Sensitivity

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_MIN_PER_DEPARTMENT = 3
_KIT_SIZE = 3
_PRELOVED = 0.06
_PROMOTIONAL = 0.10
_UNAVAILABLE = 0.03
_SENSITIVE_POPULARITY = 0.1


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The items plus the latent structure behind them; ``pick`` draws by popularity."""

    items: tuple[Item, ...]
    departments: tuple[str, ...]
    department: IntArray
    query: tuple[str, ...]
    value_mask: BoolArray
    mates: tuple[tuple[int, ...], ...]
    pools: dict[tuple[int, int], tuple[IntArray, FloatArray]] = field(repr=False)

    def index_of(self, title: str) -> int:
        """Position of the item with this title (titles are unique)."""
        return next(i for i, item in enumerate(self.items) if item.title == title)

    def first_with(self, noun: str, category: str) -> int | None:
        """Position of the first item whose title names this product noun, or else of the
        first in this category (a small catalogue may not hold the noun), or None."""
        named = (i for i, item in enumerate(self.items) if noun in item.title)
        alike = (i for i, item in enumerate(self.items) if category in item.categories)
        return next(named, next(alike, None))

    def pick(
        self, rng: np.random.Generator, departments: IntArray, values: IntArray | None = None
    ) -> IntArray:
        """One item per entry, by popularity within its department (and value, if not -1)."""
        wanted = np.full(len(departments), -1) if values is None else values
        width = len(VALUES) + 1
        keys = departments * width + wanted + 1
        out = np.empty(len(departments), dtype=np.int64)
        for key in np.unique(keys):
            where = np.flatnonzero(keys == key)
            dept, value = divmod(int(key), width)
            pool = self.pools.get((dept, value - 1)) or self.pools[(dept, -1)]
            out[where] = rng.choice(pool[0], size=len(where), p=pool[1])
        return out

    def mate(self, items: IntArray, u: FloatArray) -> IntArray:
        """A kit companion of each item (chosen by ``u`` in [0, 1)), or -1 if it has none."""
        out = np.full(len(items), -1, dtype=np.int64)
        for k, (i, x) in enumerate(zip(items.tolist(), u.tolist(), strict=True)):
            kit = self.mates[i]
            if kit:
                out[k] = kit[int(x * len(kit))]
        return out


@dataclass(frozen=True, slots=True)
class _Draft:
    title: str
    categories: tuple[str, ...]
    values: tuple[str, ...]
    price: float
    query: str
    sensitive: Sensitivity = Sensitivity.NONE
    promotional: bool = False
    available: bool = True


def stock(rng: np.random.Generator, n_items: int) -> Catalogue:
    """Draw a catalogue of exactly ``n_items`` items with unique titles and ids."""
    counts = _apportion(n_items - len(SENSITIVE))
    drafts: list[_Draft] = []
    for dept, count in zip(DEPARTMENTS, counts, strict=True):
        drafts.extend(_draw_department(rng, dept, count))
    drafts.extend(
        _Draft(title, cats, (), price, title.lower(), sensitive=s)
        for title, cats, s, price in SENSITIVE
    )
    order = rng.permutation(len(drafts))
    width = max(4, len(str(n_items)))
    items = tuple(_to_item(f"i{k + 1:0{width}d}", drafts[j]) for k, j in enumerate(order))
    return _index(rng, items, tuple(drafts[j].query for j in order))


def _apportion(n: int) -> list[int]:
    """Split ``n`` over the departments by share, at least a few each (largest remainder)."""
    spare = n - _MIN_PER_DEPARTMENT * len(DEPARTMENTS)
    shares = np.array([d.share for d in DEPARTMENTS])
    exact = spare * shares / shares.sum()
    counts = np.floor(exact).astype(np.int64)
    for j in np.argsort(-(exact - counts), kind="stable")[: spare - int(counts.sum())]:
        counts[j] += 1
    return [int(c) + _MIN_PER_DEPARTMENT for c in counts]


def _draw_department(rng: np.random.Generator, dept: Department, count: int) -> list[_Draft]:
    """``count`` distinct brand × product × model combinations of one department."""
    books = dept.name == "books"
    models = EDITIONS if books else MODELS
    combos = [(b, p, m) for b in range(len(BRANDS)) for p in dept.products for m in models]
    if count > len(combos):
        raise InvalidInput(
            f"the {dept.name} department can hold at most {len(combos)} distinct titles",
            field="n_items",
        )
    chosen = rng.choice(len(combos), size=count, replace=False)
    u = rng.random((count, 5))
    noise = rng.lognormal(0.0, 0.15, size=count)
    drafts = []
    for k, c in enumerate(chosen.tolist()):
        b, (noun, base), (model, factor) = combos[c]
        brand, brand_values = BRANDS[b]
        title = f"{noun}{model} ({brand} Press)" if books else f"{brand} {noun}{model}"
        values = {v for v in brand_values if u[k, 0] < 0.85}
        values |= {v for v in dept.values if u[k, 1] < 0.25}
        price = base * factor * noise[k]
        if u[k, 2] < _PRELOVED and not books:
            title, price = f"{title} (pre-loved)", price * 0.55
            values.add("second-hand")
        categories: tuple[str, ...] = (dept.name,)
        if noun in TOPICS:
            categories += (TOPICS[noun],)
        elif dept.related and u[k, 3] < 0.6:
            categories += (dept.related[int(u[k, 4] * len(dept.related))],)
        drafts.append(_Draft(title, categories, tuple(sorted(values)), _price(price), noun.lower()))
    return _flag(rng, drafts)


def _flag(rng: np.random.Generator, drafts: list[_Draft]) -> list[_Draft]:
    """Mark about one in ten items as on promotion and a few as out of stock."""
    u = rng.random((len(drafts), 2))
    return [
        replace(
            d, promotional=bool(u[k, 0] < _PROMOTIONAL), available=bool(u[k, 1] >= _UNAVAILABLE)
        )
        for k, d in enumerate(drafts)
    ]


def _price(x: float) -> float:
    """Shop-style price: 134.99 rather than 135.27."""
    return max(round(x) - 0.01, 0.99)


def _to_item(item_id: str, d: _Draft) -> Item:
    return Item(
        item_id=item_id,
        title=d.title,
        categories=d.categories,
        values=d.values,
        sensitive=d.sensitive,
        price=d.price,
        available=d.available,
        promotional=d.promotional,
    )


def _index(rng: np.random.Generator, items: tuple[Item, ...], query: tuple[str, ...]) -> Catalogue:
    """Department, popularity pools and kits for the drawn items."""
    names = tuple(d.name for d in DEPARTMENTS)
    department = np.array([names.index(i.categories[0]) for i in items], dtype=np.int64)
    sensitive = np.array([i.sensitive is not Sensitivity.NONE for i in items])
    value_mask = np.array([[v in i.values for v in VALUES] for i in items], dtype=np.bool_)
    popularity = rng.lognormal(0.0, 1.0, size=len(items))
    popularity[sensitive] *= _SENSITIVE_POPULARITY
    pools: dict[tuple[int, int], tuple[IntArray, FloatArray]] = {}
    mates: list[tuple[int, ...]] = [()] * len(items)
    for d in range(len(names)):
        members = np.flatnonzero(department == d)
        pools[(d, -1)] = (members, popularity[members] / popularity[members].sum())
        for v in range(len(VALUES)):
            have = members[value_mask[members, v]]
            if have.size:
                pools[(d, v)] = (have, popularity[have] / popularity[have].sum())
        kitted = rng.permutation(members[~sensitive[members]])
        for kit in np.array_split(kitted, max(1, len(kitted) // _KIT_SIZE)):
            for i in kit.tolist():
                mates[i] = tuple(j for j in kit.tolist() if j != i)
    return Catalogue(items, names, department, query, value_mask, tuple(mates), pools)
