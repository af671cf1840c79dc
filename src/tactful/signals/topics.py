"""What a text is about, as catalogue categories: "please cancel the tent for the trip with
my father" is about ``camping`` in a shop whose tents are camping items.

A category's words are its own name, a few everyday synonyms (``SYNONYMS``: "tent",
"campsite" for camping) and the title words distinctive of it in the catalogue (a word in
the titles of at least ``MIN_ITEMS`` items that all share the category: a product noun such
as "Tent", not a brand across departments nor a one-off word of a book title). Words are
compared lower-cased, with a plural "s" dropped, so "tents" finds "Family Tent 4P". Pure:
no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from types import MappingProxyType

from tactful.types import Item

Vocabulary = Mapping[str, frozenset[str]]
"""Per category, its words and phrases (normalised, see ``words_of``)."""

SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "camping": ("camp", "tent", "campsite", "campfire", "sleeping bag"),
        "hiking": ("hike", "hiker", "trek", "trekking", "walking boot"),
        "running": ("run", "runner", "jog", "jogging", "marathon"),
        "cycling": ("bike", "bicycle", "cycle", "cyclist"),
        "swimming": ("swim", "swimmer", "pool"),
        "climbing": ("climb", "climber", "boulder", "bouldering"),
        "yoga": ("yoga",),
        "fishing": ("fish", "angling", "rod"),
        "skiing": ("ski", "skis", "snowboard"),
        "baby": ("pram", "stroller", "nappy", "nappies", "diaper"),
        "toys": ("toy",),
    }
)
MIN_WORD = 3
"""Shorter title words ("2P", "4L", "of") never stand for a category."""
MIN_ITEMS = 2
"""A title word stands for a category only if this many items carry it."""
STOPWORDS = frozenset(
    {
        *("the", "and", "for", "with", "from", "your", "our", "you", "this", "that"),
        *("set", "kit", "pack", "pro", "plus", "mini", "max", "new", "lite", "one"),
        *("day", "week", "month", "year", "time", "home", "life", "last", "out", "all"),
    }
)
_WORD = re.compile(r"[a-z]+")


def _norm(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def words_of(text: str) -> tuple[str, ...]:
    """The text's words, lower-cased and without a plural "s"."""
    return tuple(_norm(w) for w in _WORD.findall(text.lower().replace("’", "'")))


def _phrase(text: str) -> str:
    return " ".join(words_of(text))


def vocabulary(items: Iterable[Item]) -> Vocabulary:
    """Each category of these items with its name, synonyms and distinctive title words."""
    terms: dict[str, set[str]] = {}
    shared: dict[str, set[str]] = {}  # title word -> the categories every item with it has
    carried: dict[str, int] = {}  # title word -> how many items carry it
    for item in items:
        cats = set(item.categories)
        for c in cats:
            terms.setdefault(c, set()).add(_phrase(c.replace("-", " ").replace("_", " ")))
        for w in set(words_of(item.title)):
            if len(w) >= MIN_WORD and w not in STOPWORDS:
                shared[w] = shared[w] & cats if w in shared else set(cats)
                carried[w] = carried.get(w, 0) + 1
    for w, cats in shared.items():
        for c in cats if carried[w] >= MIN_ITEMS else ():
            terms[c].add(w)
    for c, synonyms in SYNONYMS.items():
        if c in terms:
            terms[c].update(_phrase(s) for s in synonyms)
    return MappingProxyType({c: frozenset(t for t in ts if t) for c, ts in terms.items()})


def topics_of(text: str, categories: Mapping[str, Collection[str]]) -> tuple[str, ...]:
    """The categories whose words or phrases (as ``vocabulary`` gives them) the text
    names, sorted."""
    padded = f" {_phrase(text)} "
    return tuple(
        sorted(c for c, terms in categories.items() if any(f" {t} " in padded for t in terms))
    )
