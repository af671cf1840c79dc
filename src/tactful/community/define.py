"""Validating the communities operators write: the same errors from the library, the REST
API and the CLI, naming the field (``communities[2].min_members``) and the reason."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from tactful.errors import InvalidInput
from tactful.records import Community

FIELDS = frozenset({"community_id", "name", "description", "values", "categories", "min_members"})
ID = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")
MAX_COMMUNITIES = 1000


def _text(value: object, field: str, *, limit: int, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise InvalidInput(f"must be a non-empty string of at most {limit} characters", field=field)
    return value.strip()


def _names(value: object, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or len(value) > 50:
        raise InvalidInput("must be a list of at most 50 names", field=field)
    return tuple(_text(v, f"{field}[{i}]", limit=200, required=True) for i, v in enumerate(value))


def _k(value: object, field: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= 1_000_000:
        raise InvalidInput("must be a whole number of at least 2", field=field)
    return value


def parse_community(body: Mapping[str, Any], at: str, *, default_k: int) -> Community:
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", field=f"{at}.{unknown[0]}")
    cid = body.get("community_id")
    if not isinstance(cid, str) or not ID.match(cid):
        raise InvalidInput("must be 1-200 letters, digits or _.:-", field=f"{at}.community_id")
    community = Community(
        community_id=cid,
        name=_text(body.get("name"), f"{at}.name", limit=200, required=True),
        description=_text(body.get("description"), f"{at}.description", limit=2000, required=False),
        values=_names(body.get("values"), f"{at}.values"),
        categories=_names(body.get("categories"), f"{at}.categories"),
        min_members=_k(body.get("min_members"), f"{at}.min_members", default_k),
    )
    if not community.topics:
        raise InvalidInput("a community needs at least one value or category", field=f"{at}.values")
    return community


def parse_communities(rows: Sequence[Mapping[str, Any]], *, default_k: int) -> list[Community]:
    """Validated communities (all or none); ``default_k`` is ``community.min_members``."""
    if not isinstance(rows, list | tuple) or not rows or len(rows) > MAX_COMMUNITIES:
        raise InvalidInput(
            f"must be a list of 1 to {MAX_COMMUNITIES} communities", field="communities"
        )
    out: list[Community] = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise InvalidInput("must be an object", field=f"communities[{i}]")
        out.append(parse_community(row, f"communities[{i}]", default_k=default_k))
    ids = [c.community_id for c in out]
    if len(set(ids)) != len(ids):
        raise InvalidInput("each community_id may appear once", field="communities")
    return out
