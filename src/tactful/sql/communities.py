"""``CommunityStore`` on SQL: communities and the memberships people choose."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Row, delete, func, select

from tactful.errors import NotFound
from tactful.records import Community, Membership
from tactful.sql.consents import read_state
from tactful.sql.database import Database, chunks
from tactful.sql.subject_locks import lock_subjects
from tactful.sql.tables import communities, community_members, events
from tactful.store.ports_community import JoinCheck
from tactful.types import EventType, ItemId, SubjectId


def _community(r: Row[Any]) -> Community:
    return Community(
        community_id=r.community_id,
        name=r.name,
        description=r.description,
        values=tuple(r.values),
        categories=tuple(r.categories),
        min_members=int(r.min_members),
    )


def _membership(r: Row[Any]) -> Membership:
    return Membership(r.subject_id, r.community_id, r.joined_at)


class SqlCommunityStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert(self, batch: Sequence[Community]) -> int:
        latest = {
            c.community_id: {
                "community_id": c.community_id,
                "name": c.name,
                "description": c.description,
                "values": list(c.values),
                "categories": list(c.categories),
                "min_members": c.min_members,
            }
            for c in batch
        }
        if not latest:
            return 0
        stmt = self._db.insert(communities)
        stmt = stmt.on_conflict_do_update(
            index_elements=[communities.c.community_id],
            set_={
                c.name: stmt.excluded[c.name]
                for c in communities.columns
                if c.name != "community_id"
            },
        )
        with self._db.writing("saving communities") as conn:
            conn.execute(stmt, list(latest.values()))
        return len(latest)

    def get(self, community_id: str) -> Community | None:
        stmt = select(communities).where(communities.c.community_id == community_id)
        with self._db.reading("reading a community") as conn:
            row = conn.execute(stmt).first()
        return None if row is None else _community(row)

    def all(self) -> list[Community]:
        stmt = select(communities).order_by(communities.c.community_id)
        with self._db.reading("reading communities") as conn:
            return [_community(r) for r in conn.execute(stmt)]

    def member_counts(self) -> dict[str, int]:
        cm = community_members
        stmt = select(cm.c.community_id, func.count()).group_by(cm.c.community_id)
        with self._db.reading("counting members") as conn:
            return {str(k): int(n) for k, n in conn.execute(stmt)}

    def join(self, membership: Membership, *, admit: JoinCheck | None = None) -> Membership:
        cm = community_members
        row = {
            "community_id": membership.community_id,
            "subject_id": membership.subject_id,
            "joined_at": membership.joined_at,
        }
        stmt = self._db.insert(cm).values(row).on_conflict_do_nothing()
        found = select(cm).where(
            cm.c.community_id == membership.community_id,
            cm.c.subject_id == membership.subject_id,
        )
        known = select(communities.c.community_id).where(
            communities.c.community_id == membership.community_id
        )
        with self._db.writing("joining a community") as conn:
            if conn.scalar(known) is None:
                raise NotFound(f"no community {membership.community_id!r}", field="community_id")
            if admit is not None:
                lock_subjects(conn, [membership.subject_id], exclusive=False)
                admit(read_state(conn, [membership.subject_id]))
            conn.execute(stmt)
            return _membership(conn.execute(found).one())

    def leave(self, subject: SubjectId, community_id: str) -> bool:
        cm = community_members
        stmt = delete(cm).where(cm.c.subject_id == subject, cm.c.community_id == community_id)
        with self._db.writing("leaving a community") as conn:
            return bool(conn.execute(stmt).rowcount)

    def leave_all(self, subject: SubjectId) -> int:
        stmt = delete(community_members).where(community_members.c.subject_id == subject)
        with self._db.writing("leaving communities") as conn:
            return int(conn.execute(stmt).rowcount)

    def memberships(self, subject: SubjectId) -> list[Membership]:
        cm = community_members
        stmt = select(cm).where(cm.c.subject_id == subject).order_by(cm.c.community_id)
        with self._db.reading("reading memberships") as conn:
            return [_membership(r) for r in conn.execute(stmt)]

    def memberships_of(self, subjects: Collection[SubjectId]) -> dict[SubjectId, list[Membership]]:
        cm = community_members
        out: dict[SubjectId, list[Membership]] = {s: [] for s in subjects}
        with self._db.reading("reading memberships") as conn:
            for part in chunks(sorted(out)):
                stmt = select(cm).where(cm.c.subject_id.in_(part)).order_by(cm.c.community_id)
                for r in conn.execute(stmt):
                    out[r.subject_id].append(_membership(r))
        return out

    def members(self, community_id: str) -> set[SubjectId]:
        cm = community_members
        stmt = select(cm.c.subject_id).where(cm.c.community_id == community_id)
        with self._db.reading("reading members") as conn:
            return {str(s) for s in conn.scalars(stmt)}

    def engagement(
        self,
        community_id: str,
        *,
        types: Collection[EventType],
        among: Collection[SubjectId],
    ) -> dict[ItemId, int]:
        """Counted in the database, a chunk of ``among`` at a time: the chunks hold
        different people, so their distinct counts add up."""
        cm = community_members
        names = sorted(EventType(t).value for t in types)
        out: dict[ItemId, int] = {}
        with self._db.reading("reading community engagement") as conn:
            for part in chunks(sorted(set(among))):
                stmt = (
                    select(events.c.item_id, func.count(events.c.subject_id.distinct()))
                    .join(cm, cm.c.subject_id == events.c.subject_id)
                    .where(
                        cm.c.community_id == community_id,
                        cm.c.subject_id.in_(part),
                        events.c.item_id.is_not(None),
                        events.c.type.in_(names),
                    )
                    .group_by(events.c.item_id)
                )
                for item, n in conn.execute(stmt):
                    out[str(item)] = out.get(str(item), 0) + int(n)
        return out
