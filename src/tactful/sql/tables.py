"""The SQL schema: one SQLAlchemy Core ``MetaData`` and its tables, with personal data
declared next to the columns that hold it.

A table that holds a subject says so with ``info={"subject_column": ...}``; every column that
holds personal data carries ``info={"personal": True}``. Erasure and the data inventory are
derived from these declarations (``personal_tables``, ``personal_columns``), so a new table
cannot be forgotten. Migrations in ``tactful.sql.migrations`` must produce exactly this schema.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from tactful.instants import require_aware

PERSONAL = {"personal": True}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant stored as UTC; read back as an aware UTC datetime on every
    backend. Naive datetimes are refused. SQLite keeps no zone, so there it is stored as UTC
    text (see ``_sqlite_text``) and gets UTC re-attached on the way back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else _utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def bind_processor(self, dialect: Dialect) -> Callable[[datetime | None], Any] | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        return _sqlite_text

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], datetime | None] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        return _sqlite_datetime


def _utc(value: datetime) -> datetime:
    return require_aware(value, "timestamp").astimezone(UTC)


# SQLite stores SQLAlchemy's own text layout ("2024-05-01 12:00:00.000000", UTC), which sorts
# as time does; the C-level isoformat/fromisoformat make bulk inserts and scans much cheaper.
def _sqlite_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = _utc(value)
    return value.isoformat(" ", "microseconds")[:26]  # drop the "+00:00"


def _sqlite_datetime(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:  # parsing the offset is several times cheaper than ``replace(tzinfo=UTC)``
        return datetime.fromisoformat(value + "+00:00")
    except ValueError:  # a value that carries its own offset (or no time): as before
        return datetime.fromisoformat(value).replace(tzinfo=UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(200), primary_key=True),
    Column("subject_id", String(200), nullable=False, info=PERSONAL),
    Column("type", String(32), nullable=False),
    Column("item_id", String(200), nullable=True, info=PERSONAL),
    Column("value", Float, nullable=True, info=PERSONAL),
    Column("text", Text, nullable=True, info=PERSONAL),
    Column("source", String(200), nullable=True),
    Column("occurred_at", UtcDateTime, nullable=False, info=PERSONAL),
    # Reads by subject and retention by type; every extra index slows bulk ingest.
    Index(None, "subject_id", "occurred_at"),
    Index(None, "type", "occurred_at"),
    info={"subject_column": "subject_id"},
)

consents = Table(
    "consents",
    metadata,
    # Recording order: the tie-breaker of the fold when two decisions share a timestamp.
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", String(200), nullable=False, info=PERSONAL),
    Column("purpose", String(32), nullable=False, info=PERSONAL),
    Column("decision", String(16), nullable=False, info=PERSONAL),
    Column("at", UtcDateTime, nullable=False, info=PERSONAL),
    Column("source", String(200), nullable=False, info=PERSONAL),
    Column("policy_version", String(64), nullable=False),
    Index(None, "subject_id", "seq"),
    Index(None, "purpose", "subject_id"),
    info={"subject_column": "subject_id"},
)

preferences = Table(
    "preferences",
    metadata,
    Column("subject_id", String(200), primary_key=True, info=PERSONAL),
    Column("document", JSON, nullable=False, info=PERSONAL),
    Column("updated_at", UtcDateTime, nullable=False),
    info={"subject_column": "subject_id"},
)

items = Table(
    "items",
    metadata,
    Column("item_id", String(200), primary_key=True),
    Column("title", Text, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("values", JSON, nullable=False),
    Column("sensitive", String(32), nullable=False),
    Column("price", Float, nullable=True),
    Column("available", Boolean, nullable=False),
    Column("promotional", Boolean, nullable=False),
    # When the item entered the catalogue, by the application's clock (new arrivals).
    Column("added_at", UtcDateTime, nullable=True),
    # product (something to buy) or content (guides, stories, events, volunteering).
    Column("kind", String(16), nullable=False, server_default="product"),
    # Bookkeeping for operators, set by the database's clock; no domain logic reads it.
    Column("updated_at", UtcDateTime, nullable=False, server_default=func.now()),
)

exposures = Table(
    "exposures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", String(200), nullable=False, info=PERSONAL),
    Column("at", UtcDateTime, nullable=False, info=PERSONAL),
    Column("items", JSON, nullable=False, info=PERSONAL),
    Column("reasons", JSON, nullable=False, info=PERSONAL),
    Column("model_version", String(200), nullable=True),
    Column("context", String(200), nullable=True, info=PERSONAL),
    Column("personalized", Boolean, nullable=False),
    # Items held back per guard kind ({"kind": count}); None for rows logged before 0010.
    Column("held_back", JSON, nullable=True, info=PERSONAL),
    Index(None, "subject_id", "at"),
    info={"subject_column": "subject_id"},
)

# Derived context per person (mood, life events, ...): one row per (subject, kind), each
# with the purpose it was derived under (withdrawing it deletes the row) and an expiry.
signals = Table(
    "signals",
    metadata,
    Column("subject_id", String(200), primary_key=True, info=PERSONAL),
    Column("kind", String(200), primary_key=True, info=PERSONAL),
    Column("value", Float, nullable=False, info=PERSONAL),
    Column("purpose", String(32), nullable=False, info=PERSONAL),
    Column("created_at", UtcDateTime, nullable=False, info=PERSONAL),
    Column("expires_at", UtcDateTime, nullable=True, info=PERSONAL),
    Column("detail", JSON, nullable=False, info=PERSONAL),
    Column("evidence", JSON, nullable=False, info=PERSONAL),
    info={"subject_column": "subject_id"},
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(200), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("key_hash", String(128), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

# One row per person whose data serving reads: a random stamp that triggers (migration 0005)
# change on every insert, update or delete of their events, consents, preferences or
# signals. A serving cache entry is reused only while its stamp is the current one.
subject_stamps = Table(
    "subject_stamps",
    metadata,
    Column("subject_id", String(200), primary_key=True, info=PERSONAL),
    Column("stamp", BigInteger, nullable=False),
    info={"subject_column": "subject_id"},
)

# Recommendation responses to people who allowed neither personalization nor analytics:
# counted per UTC day, never with their id (no personal data).
exposure_tallies = Table(
    "exposure_tallies",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("responses", BigInteger, nullable=False),
)

# One row (id = 1) counting catalogue writes; ItemStore.version() reads it.
catalog_version = Table(
    "catalog_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)


# -- engage: contact decisions, milestones and hand-off cases ----------------------------
# Every contact decision is kept: the contact budget counts them and people see them.
contact_decisions = Table(
    "contact_decisions",
    metadata,
    Column("decision_id", String(64), primary_key=True),
    Column("subject_id", String(200), nullable=False, info=PERSONAL),
    Column("message_id", String(200), nullable=False, info=PERSONAL),
    Column("kind", String(32), nullable=False, info=PERSONAL),
    Column("requested_channel", String(16), nullable=False, info=PERSONAL),
    Column("channel", String(16), nullable=True, info=PERSONAL),
    Column("topic", String(200), nullable=True, info=PERSONAL),
    Column("urgency", String(16), nullable=False, info=PERSONAL),
    Column("decided_at", UtcDateTime, nullable=False, info=PERSONAL),
    Column("verdict", String(16), nullable=False, info=PERSONAL),
    Column("send_at", UtcDateTime, nullable=True, info=PERSONAL),
    Column("reasons", JSON, nullable=False, info=PERSONAL),
    Column("digest_id", String(80), nullable=True, info=PERSONAL),
    Column("why", Text, nullable=True, info=PERSONAL),
    Column("outcome", String(16), nullable=True, info=PERSONAL),
    Column("outcome_at", UtcDateTime, nullable=True, info=PERSONAL),
    Index(None, "subject_id", "decided_at"),
    info={"subject_column": "subject_id"},
)

# Reached once per (subject, key); ``decision_id`` names the celebration decision, if any.
milestones = Table(
    "milestones",
    metadata,
    Column("subject_id", String(200), primary_key=True, info=PERSONAL),
    Column("key", String(200), primary_key=True, info=PERSONAL),
    Column("kind", String(32), nullable=False, info=PERSONAL),
    Column("reached_at", UtcDateTime, nullable=False, info=PERSONAL),
    Column("title", Text, nullable=False, info=PERSONAL),
    Column("message", Text, nullable=False, info=PERSONAL),
    Column("decision_id", String(64), nullable=True, info=PERSONAL),
    info={"subject_column": "subject_id"},
)

# ``active_subject`` is the subject while the case is open or claimed and NULL once it is
# resolved; its unique constraint is what keeps one active case per person, on both
# backends and across workers (NULLs never collide).
handoff_cases = Table(
    "handoff_cases",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("subject_id", String(200), nullable=False, info=PERSONAL),
    Column("active_subject", String(200), nullable=True, unique=True, info=PERSONAL),
    Column("trigger", String(64), nullable=False, info=PERSONAL),
    Column("opened_at", UtcDateTime, nullable=False, info=PERSONAL),
    Column("status", String(16), nullable=False, info=PERSONAL),
    Column("brief", JSON, nullable=False, info=PERSONAL),
    Column("claimed_by", String(200), nullable=True, info=PERSONAL),
    Column("claimed_at", UtcDateTime, nullable=True, info=PERSONAL),
    Column("resolved_at", UtcDateTime, nullable=True, info=PERSONAL),
    Column("outcome", Text, nullable=True, info=PERSONAL),
    Index(None, "subject_id", "opened_at"),
    Index(None, "status", "opened_at"),
    info={"subject_column": "subject_id"},
)


# -- communities: defined by operators, joined by people -----------------------------------
communities = Table(
    "communities",
    metadata,
    Column("community_id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("values", JSON, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("min_members", Integer, nullable=False),
)

# A person's choice to belong to a community; withdrawing ``community`` removes every row.
community_members = Table(
    "community_members",
    metadata,
    Column("community_id", String(200), primary_key=True),
    Column("subject_id", String(200), primary_key=True, info=PERSONAL),
    Column("joined_at", UtcDateTime, nullable=False, info=PERSONAL),
    Index(None, "subject_id"),
    info={"subject_column": "subject_id"},
)


# -- privacy: tables that name people only by pseudonym -----------------------------------
# A pseudonym is the keyed hash (HMAC-SHA256 with the secret key) of a subject id, never the
# id itself. These tables declare ``info={"pseudonym_column": ...}`` instead of
# ``subject_column``: erasure keeps them on purpose (the tombstone blocks re-ingest; the audit
# log is the accountability record) and export shows their rows about the person.
PSEUDONYM = {"personal": True, "pseudonym": True}

# One row per erased person: later events for the id are refused until consent is granted.
tombstones = Table(
    "tombstones",
    metadata,
    Column("pseudonym", String(64), primary_key=True, info=PSEUDONYM),
    Column("erased_at", UtcDateTime, nullable=False),
    info={"pseudonym_column": "pseudonym"},
)

# Append-only and hash-chained: each record holds the SHA-256 of the previous one.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    Column("action", String(64), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("pseudonym", String(64), nullable=True, info=PSEUDONYM),
    Column("detail", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index(None, "pseudonym"),
    info={"pseudonym_column": "pseudonym"},
)

# The chain's newest record, sealed with a keyed hash, so dropping the last records shows.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("seal", String(64), nullable=False),
)


# Background jobs (training), seen by every worker. ``active_kind`` is the kind while the job
# is queued or running and NULL once it has finished; its unique constraint keeps one active
# job per kind across workers (NULLs never collide), like ``handoff_cases.active_subject``.
jobs = Table(
    "jobs",
    metadata,
    Column("job_id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("active_kind", String(32), nullable=True, unique=True),
    Column("status", String(16), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("heartbeat_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("cancel_requested", Boolean, nullable=False),
    Column("report", JSON, nullable=True),
    Column("error", Text, nullable=True),
    Index(None, "kind", "created_at"),
)


def pseudonymous_tables(meta: MetaData = metadata) -> dict[str, str]:
    """Each table naming people only by pseudonym, mapped to that column."""
    out: dict[str, str] = {}
    for table in meta.sorted_tables:
        column = table.info.get("pseudonym_column")
        if column is not None:
            out[table.name] = str(column)
    return out


def personal_tables(meta: MetaData = metadata) -> dict[str, str]:
    """Each table that holds a subject, mapped to the column naming the subject."""
    out: dict[str, str] = {}
    for table in meta.sorted_tables:
        column = table.info.get("subject_column")
        if column is not None:
            out[table.name] = str(column)
    return out


def personal_columns(meta: MetaData = metadata) -> dict[str, tuple[str, ...]]:
    """Each table's columns declared personal (what an access request must show)."""
    out: dict[str, tuple[str, ...]] = {}
    for table in meta.sorted_tables:
        names = tuple(c.name for c in table.columns if c.info.get("personal"))
        if names:
            out[table.name] = names
    return out
