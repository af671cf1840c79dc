"""DriverQuery gives what SQLAlchemy's own execution gives, on each SQL backend."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, select

from tactful.errors import StoreError
from tactful.sql import open_stores
from tactful.sql.database import Database
from tactful.sql.driver_query import DriverQuery
from tactful.sql.tables import exposures
from tactful.types import Exposure, Reason

T0 = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
STMT = (
    select(exposures.c.id, exposures.c.at, exposures.c["items"], exposures.c.personalized)
    .where(exposures.c.subject_id == bindparam("subject"), exposures.c.at >= bindparam("since"))
    .order_by(exposures.c.id)
    .limit(bindparam("limit"))
)


def test_rows_and_types_match_sqlalchemys(sql_url: str) -> None:
    stores = open_stores(sql_url)
    try:
        shown = [
            Exposure("ann", ("i1", "i2"), {"i1": (Reason("popular", "x"),)}, "v1", T0, None, True),
            Exposure("ann", ("i3",), {}, None, T0.replace(hour=13), "home", False),
            Exposure("bob", ("i9",), {}, None, T0),
        ]
        stores.exposures.add(shown)
        db: Database = stores._db
        values = {"subject": "ann", "since": T0, "limit": 10}
        with db.statement("test") as conn:
            ours = db.driver_query(STMT).run(conn, values)
            theirs = [tuple(r) for r in conn.execute(STMT, values).all()]
        assert ours == theirs
        assert [(r[1], r[2], r[3]) for r in ours] == [
            (T0, ["i1", "i2"], True),
            (T0.replace(hour=13), ["i3"], False),
        ]
    finally:
        stores.close()


def test_a_driver_error_is_a_store_error(sql_url: str) -> None:
    stores = open_stores(sql_url)
    try:
        db: Database = stores._db
        broken = DriverQuery(STMT, db.engine.dialect)
        broken.sql = broken.sql.replace("exposures", "no_such_table")
        with db.statement("test") as conn, pytest.raises(StoreError, match="database error"):
            broken.run(conn, {"subject": "ann", "since": T0, "limit": 1})
    finally:
        stores.close()
