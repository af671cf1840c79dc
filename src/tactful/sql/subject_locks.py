"""Per-person write locks, so a consent change and a write that depends on consent never
interleave: an ingest (or a signal refresh) re-reads the person's consent inside its own
transaction while holding the person's lock shared; recording consent holds it exclusively.

PostgreSQL: transaction-scoped advisory locks on one of ``BUCKETS`` keys per person (a
bounded number of locks per transaction however many people a batch names; two people
sharing a bucket only wait for each other). Keys are always taken in ascending order, so
lockers never deadlock. SQLite: every write transaction already starts with ``BEGIN
IMMEDIATE``, which serializes all writers of the database, across processes too.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import Integer

NAMESPACE = 0x7461_6374  # "tact": the first key of every Tactful advisory lock
BUCKETS = 256


def bucket(subject: str) -> int:
    """The person's lock key: stable across processes and Python versions."""
    return zlib.crc32(subject.encode("utf-8", "surrogatepass")) % BUCKETS


def _statement(exclusive: bool) -> str:
    fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    # Sorted keys through unnest (which keeps array order): one round trip for the batch.
    return f"SELECT count({fn}(:ns, k)) FROM unnest(:keys) AS k"


_SHARED = text(_statement(False)).bindparams(
    bindparam("keys", type_=postgresql.ARRAY(Integer)), bindparam("ns", type_=Integer)
)
_EXCLUSIVE = text(_statement(True)).bindparams(
    bindparam("keys", type_=postgresql.ARRAY(Integer)), bindparam("ns", type_=Integer)
)


def lock_subjects(conn: Connection, subjects: Collection[str], *, exclusive: bool) -> None:
    """Hold these people's write locks until the transaction ends (shared or exclusive)."""
    if conn.dialect.name != "postgresql" or not subjects:
        return  # SQLite: BEGIN IMMEDIATE already made this transaction the only writer
    keys = sorted({bucket(s) for s in subjects})
    conn.execute(_EXCLUSIVE if exclusive else _SHARED, {"ns": NAMESPACE, "keys": keys})
