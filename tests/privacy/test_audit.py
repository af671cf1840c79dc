"""The audit log: a hash chain with a sealed head. Appends verify on every backend; editing,
deleting, reordering or appending behind the log's back is caught on SQLite and PostgreSQL,
naming the first bad record."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, create_engine, text

from tactful.privacy import Chain, Keyring, verify
from tactful.privacy.audit import GENESIS
from tactful.sql import open_stores
from tactful.store import Stores
from tactful.store.ports import HEAD_MISSING, AuditEntry

T0 = datetime(2026, 6, 1, tzinfo=UTC)
CHAIN = Chain(Keyring("audit-test-secret"))


def entries(n: int, start: int = 0) -> list[AuditEntry]:
    return [
        AuditEntry(
            "consent.recorded",
            T0 + timedelta(seconds=start + i),
            "key:abc",
            f"{start + i:064x}",
            {"decisions": [{"purpose": "personalization", "decision": "granted"}], "n": i},
        )
        for i in range(n)
    ]


def check(stores: Stores, chain: Chain = CHAIN) -> tuple[bool, int | None, str | None]:
    v = verify(stores.audit.records(), stores.audit.head(), chain)
    return v.intact, v.first_bad, v.problem


def test_appends_chain_and_verify_on_every_backend(stores: Stores) -> None:
    assert check(stores) == (True, None, None)  # an empty log is intact
    first = stores.audit.append(entries(3), CHAIN)
    stores.audit.append(entries(2, start=3), CHAIN)
    records = list(stores.audit.records())
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert first[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
    assert records[4].entry.detail == {"decisions": [{"purpose": "personalization",
                                      "decision": "granted"}], "n": 1}  # fmt: skip
    assert check(stores) == (True, None, None)
    head = stores.audit.head()
    assert head is not None and (head.seq, head.hash) == (5, records[4].hash)
    assert [r.seq for r in stores.audit.about(f"{3:064x}")] == [4]
    assert [r.seq for r in stores.audit.records(after=3)] == [4, 5]


def test_another_secret_key_does_not_verify(stores: Stores) -> None:
    stores.audit.append(entries(2), CHAIN)
    intact, bad, problem = check(stores, Chain(Keyring("someone-else")))
    assert not intact and bad == 2 and problem is not None and "seal" in problem


@pytest.fixture
def sql_log(sql_url: str) -> Iterator[tuple[Stores, Engine]]:
    """Six records in a fresh SQL database, and a raw engine to tamper with it."""
    stores = open_stores(sql_url)
    stores.audit.append(entries(6), CHAIN)
    engine = create_engine(sql_url)
    yield stores, engine
    engine.dispose()
    stores.close()


def run(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))


DELETE = "DELETE FROM audit_log WHERE seq = {}"
TAMPERING: dict[str, tuple[Callable[[Engine], None], int, str]] = {
    "update an action": (
        lambda e: run(e, "UPDATE audit_log SET action = 'nothing' WHERE seq = 3"), 3, "altered"
    ),
    "update the detail": (
        lambda e: run(e, "UPDATE audit_log SET detail = '{\"n\": 99}' WHERE seq = 2"),
        2, "altered",
    ),
    "update the time": (
        lambda e: run(e, "UPDATE audit_log SET at = (SELECT at FROM audit_log WHERE seq = 1) "
                         "WHERE seq = 4"), 4, "altered",
    ),
    "delete a middle record": (lambda e: run(e, DELETE.format(4)), 4, "missing"),
    "delete the first record": (lambda e: run(e, DELETE.format(1)), 1, "missing"),
    "delete the last record": (lambda e: run(e, DELETE.format(6)), 6, "missing"),
    "swap two records": (
        lambda e: run(
            e,
            "UPDATE audit_log SET seq = 100 WHERE seq = 2",
            "UPDATE audit_log SET seq = 2 WHERE seq = 5",
            "UPDATE audit_log SET seq = 5 WHERE seq = 100",
        ),
        2, "does not follow",
    ),
    "delete the last record and roll the head back": (
        lambda e: run(
            e,
            DELETE.format(6),
            "UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit_log WHERE seq = 5)",
        ),
        5, "seal",
    ),
    "re-link a record to skip one": (
        lambda e: run(
            e,
            "DELETE FROM audit_log WHERE seq = 3",
            "UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE seq = 2), "
            "seq = 3 WHERE seq = 4",
        ),
        3, "altered",
    ),
}  # fmt: skip


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_is_detected_on_sql(sql_log: tuple[Stores, Engine], how: str) -> None:
    stores, engine = sql_log
    assert check(stores) == (True, None, None)
    tamper, bad, says = TAMPERING[how]
    tamper(engine)
    intact, first_bad, problem = check(stores)
    assert not intact
    assert first_bad == bad
    assert problem is not None and says in problem


def test_a_lost_head_is_recorded_in_the_chain(sql_log: tuple[Stores, Engine]) -> None:
    stores, engine = sql_log
    run(engine, "DELETE FROM audit_log WHERE seq = 6", "DELETE FROM audit_head")
    assert check(stores)[0] is False  # records without a head
    stores.audit.append(entries(1, start=10), CHAIN)  # logging goes on ...
    records = list(stores.audit.records())
    assert [r.entry.action for r in records[-2:]] == [HEAD_MISSING, "consent.recorded"]
    intact, bad, problem = check(stores)  # ... and the gap stays on the record
    assert (intact, bad) == (False, 6)
    assert problem is not None and "head was missing" in problem


def test_concurrent_appends_keep_one_chain(sql_url: str) -> None:
    stores = open_stores(sql_url)
    errors: list[BaseException] = []

    def write(start: int) -> None:
        try:
            for i in range(10):
                stores.audit.append(entries(1, start=start + i), CHAIN)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k * 100,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert check(stores) == (True, None, None)
        assert len(list(stores.audit.records())) == 40
    finally:
        stores.close()


def test_a_record_forged_behind_the_heads_back_is_detected(
    sql_log: tuple[Stores, Engine],
) -> None:
    """Someone without the key can compute a valid next link but cannot move the head."""
    from tactful.sql.tables import audit_log

    stores, engine = sql_log
    head = stores.audit.head()
    assert head is not None
    entry = AuditEntry("consent.recorded", T0 + timedelta(hours=1), "key:abc")
    forged = Chain(Keyring("attacker")).link(entry, seq=7, prev_hash=head.hash)
    with engine.begin() as conn:
        conn.execute(
            audit_log.insert().values(
                seq=7, at=entry.at, action=entry.action, actor=entry.actor, pseudonym=None,
                detail={}, prev_hash=forged.prev_hash, hash=forged.hash,
            )
        )  # fmt: skip
    intact, bad, problem = check(stores)
    assert (intact, bad) == (False, 7)
    assert problem is not None and "behind the head" in problem
