"""The smaller SQL stores: preferences, the item catalogue, exposures and API keys."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from tactful.errors import Conflict
from tactful.sql.database import Database, chunks
from tactful.sql.documents import (
    preferences_document,
    preferences_from,
    reasons_document,
    reasons_from,
)
from tactful.sql.tables import (
    api_keys,
    catalog_version,
    exposure_tallies,
    exposures,
    items,
    preferences,
)
from tactful.types import (
    ApiKey,
    Exposure,
    Item,
    ItemId,
    ItemKind,
    Preferences,
    Scope,
    Sensitivity,
    SubjectId,
)


class SqlPreferenceStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, subject: SubjectId) -> Preferences | None:
        stmt = select(preferences.c.document).where(preferences.c.subject_id == subject)
        with self._db.reading("reading preferences") as conn:
            doc = conn.scalar(stmt)
        return None if doc is None else preferences_from(doc)

    def put(self, subject: SubjectId, prefs: Preferences, *, at: datetime) -> None:
        row = {"subject_id": subject, "document": preferences_document(prefs), "updated_at": at}
        stmt = self._db.insert(preferences).values(row)
        stmt = stmt.on_conflict_do_update(
            index_elements=[preferences.c.subject_id],
            set_={"document": stmt.excluded.document, "updated_at": stmt.excluded.updated_at},
        )
        with self._db.writing("saving preferences") as conn:
            conn.execute(stmt)


def _item_row(it: Item) -> dict[str, Any]:
    return {
        "item_id": it.item_id,
        "title": it.title,
        "categories": list(it.categories),
        "values": list(it.values),
        "sensitive": Sensitivity(it.sensitive).value,
        "price": it.price,
        "available": it.available,
        "promotional": it.promotional,
        "added_at": it.added_at,
        "kind": ItemKind(it.kind).value,
    }


def _item(r: Row[Any]) -> Item:
    return Item(
        item_id=r.item_id,
        title=r.title,
        categories=tuple(r.categories),
        values=tuple(r.values),
        sensitive=Sensitivity(r.sensitive),
        price=r.price,
        available=bool(r.available),
        promotional=bool(r.promotional),
        added_at=r.added_at,
        kind=ItemKind(r.kind),
    )


_KNOWN = select(items.c.item_id).where(items.c.item_id.in_(bindparam("ids", expanding=True)))
"""Built once: every ingest batch checks its item ids with it."""


class SqlItemStore:
    """The catalogue; every write bumps ``catalog_version`` in the same transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert(self, batch: Sequence[Item]) -> int:
        """Insert or replace; an id repeated in the batch keeps its last version."""
        latest = {it.item_id: _item_row(it) for it in batch}
        if not latest:
            return 0
        stmt = self._db.insert(items)
        replace: dict[str, Any] = {
            c.name: stmt.excluded[c.name] for c in items.columns if c.name != "item_id"
        }
        replace["updated_at"] = func.now()  # bookkeeping only: the database's clock
        stmt = stmt.on_conflict_do_update(index_elements=[items.c.item_id], set_=replace)
        bump = self._db.insert(catalog_version).values(id=1, version=1)
        bump = bump.on_conflict_do_update(
            index_elements=[catalog_version.c.id],
            set_={"version": catalog_version.c.version + 1},
        )
        with self._db.writing("saving items") as conn:
            conn.execute(stmt, list(latest.values()))
            conn.execute(bump)
        return len(latest)

    def get(self, item_id: ItemId) -> Item | None:
        with self._db.reading("reading an item") as conn:
            row = conn.execute(select(items).where(items.c.item_id == item_id)).first()
        return None if row is None else _item(row)

    def many(self, item_ids: Collection[ItemId]) -> dict[ItemId, Item]:
        out: dict[ItemId, Item] = {}
        with self._db.reading("reading items") as conn:
            for part in chunks(set(item_ids)):
                for row in conn.execute(select(items).where(items.c.item_id.in_(part))):
                    out[row.item_id] = _item(row)
        return out

    def known(self, item_ids: Collection[ItemId]) -> set[ItemId]:
        out: set[ItemId] = set()
        wanted = set(item_ids)
        with self._db.looking_up("checking item ids", len(wanted)) as conn:
            for part in chunks(wanted):
                out.update(conn.scalars(_KNOWN, {"ids": part}))
        return out

    def all(self) -> list[Item]:
        with self._db.reading("reading the catalogue") as conn:
            return [_item(r) for r in conn.execute(select(items).order_by(items.c.item_id))]

    def version(self) -> int:
        stmt = select(catalog_version.c.version).where(catalog_version.c.id == 1)
        with self._db.reading("reading the catalogue version") as conn:
            return int(conn.scalar(stmt) or 0)


def _exposure_row(x: Exposure) -> dict[str, Any]:
    return {
        "subject_id": x.subject_id,
        "at": x.at,
        "items": list(x.items),
        "reasons": reasons_document(x.reasons),
        "model_version": x.model_version,
        "context": x.context,
        "personalized": x.personalized,
        "held_back": dict(x.held_back),
    }


# Built once (per-request statement building cost more than running them): every request
# authenticates, and serving reads the recent exposures.
RECENT_COLUMNS = (
    exposures.c.id,
    exposures.c.at,
    exposures.c["items"],
    exposures.c.model_version,
    exposures.c.context,
    exposures.c.personalized,
)
_RECENT = (
    select(*RECENT_COLUMNS)
    .where(exposures.c.subject_id == bindparam("subject"), exposures.c.at >= bindparam("since"))
    .order_by(exposures.c.at.desc(), exposures.c.id.desc())
    .limit(bindparam("limit"))
)
_BY_HASH = select(api_keys).where(api_keys.c.key_hash == bindparam("key_hash"))


def read_recent(
    conn: Connection, subject: SubjectId, *, since: datetime, limit: int
) -> list[tuple[int, Exposure]]:
    """The newest ``limit`` exposures since ``since`` with their row ids, oldest first,
    without reasons."""
    bound = {"subject": subject, "since": since, "limit": max(limit, 0)}
    return recent_of(subject, reversed(list(conn.execute(_RECENT, bound))))


def recent_of(subject: SubjectId, rows: Iterable[Any]) -> list[tuple[int, Exposure]]:
    """``read_recent``'s pairs from rows of ``RECENT_COLUMNS`` (in that order)."""
    return [
        (i, Exposure(subject, tuple(items), {}, version, at, context, bool(personalized)))
        for i, at, items, version, context, personalized in rows
    ]


class SqlExposureStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, batch: Sequence[Exposure]) -> None:
        if not batch:
            return
        with self._db.writing("logging exposures") as conn:
            conn.execute(exposures.insert(), [_exposure_row(x) for x in batch])

    def for_subject(self, subject: SubjectId, *, since: datetime | None = None) -> list[Exposure]:
        stmt = select(exposures).where(exposures.c.subject_id == subject)
        if since is not None:
            stmt = stmt.where(exposures.c.at >= since)
        stmt = stmt.order_by(exposures.c.at, exposures.c.id)
        with self._db.reading("reading exposures") as conn:
            return [
                Exposure(
                    subject_id=r.subject_id,
                    items=tuple(r.items),
                    reasons=reasons_from(r.reasons),
                    model_version=r.model_version,
                    at=r.at,
                    context=r.context,
                    personalized=bool(r.personalized),
                    held_back=dict(r.held_back or {}),
                )
                for r in conn.execute(stmt)
            ]

    def recent(self, subject: SubjectId, *, since: datetime, limit: int) -> list[Exposure]:
        with self._db.reading("reading recent exposures") as conn:
            return [x for _, x in read_recent(conn, subject, since=since, limit=limit)]

    def delete(self, *, before: datetime) -> int:
        stmt = exposures.delete().where(exposures.c.at < before)
        with self._db.writing("deleting old exposures") as conn:
            return conn.execute(stmt).rowcount

    def tally(self, counts: Mapping[date, int]) -> None:
        rows = [{"day": d.isoformat(), "responses": n} for d, n in counts.items() if n]
        if not rows:
            return
        stmt = self._db.insert(exposure_tallies)
        add = {"responses": exposure_tallies.c.responses + stmt.excluded.responses}
        with self._db.writing("counting anonymous responses") as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["day"], set_=add), rows)

    def tallies(self, *, since: date | None = None) -> dict[date, int]:
        stmt = select(exposure_tallies).order_by(exposure_tallies.c.day)
        if since is not None:
            stmt = stmt.where(exposure_tallies.c.day >= since.isoformat())
        with self._db.reading("reading anonymous response counts") as conn:
            return {date.fromisoformat(r.day): int(r.responses) for r in conn.execute(stmt)}


class SqlKeyStore:
    """Operator API keys; a second key with the same id or hash is a ``Conflict``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, key: ApiKey) -> None:
        row = {
            "key_id": key.key_id,
            "name": key.name,
            "scopes": sorted(Scope(s).value for s in key.scopes),
            "key_hash": key.key_hash,
            "created_at": key.created_at,
        }
        with self._db.writing("adding an API key") as conn:
            try:
                conn.execute(api_keys.insert().values(row))
            except IntegrityError:
                raise Conflict(
                    f"an API key with id {key.key_id!r} or the same secret already exists",
                    field="key_id",
                ) from None

    def by_hash(self, key_hash: str) -> ApiKey | None:
        with self._db.reading("reading API keys") as conn:
            row = conn.execute(_BY_HASH, {"key_hash": key_hash}).first()
        return None if row is None else _key(row)

    def all(self) -> list[ApiKey]:
        stmt = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.key_id)
        with self._db.reading("reading API keys") as conn:
            return [_key(r) for r in conn.execute(stmt)]


def _key(r: Row[Any]) -> ApiKey:
    return ApiKey(
        key_id=r.key_id,
        name=r.name,
        scopes=frozenset(Scope(s) for s in r.scopes),
        key_hash=r.key_hash,
        created_at=r.created_at,
    )
