"""Access: the export holds every row about the person in every table holding personal data
(derived from the declarations, so a table left out fails here), their consents with history,
live inferences, what was recommended with its reasons, an inventory, and the audit trail."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

from sqlalchemy import MetaData

from tactful.sql import metadata, personal_columns, personal_tables
from tactful.sql.tables import pseudonymous_tables
from tactful.store import Stores
from tests.privacy.conftest import NOW, TARGET, Bed, purchase, seed
from tests.privacy.test_erasure import occurrences


def test_every_table_with_personal_data_is_exported_or_pseudonymous() -> None:
    """Fails when a table gains personal columns without saying whose rows they are."""
    exported, pseudonymous = personal_tables(), pseudonymous_tables()
    for name in personal_columns():
        assert name in exported or name in pseudonymous, f"{name} is not covered by export"
    assert set(pseudonymous) == {"audit_log", "tombstones"}
    assert not set(exported) & set(pseudonymous)
    meta = MetaData()
    assert personal_tables(meta) == pseudonymous_tables(meta) == {}
    assert "items" not in personal_columns(metadata)


def test_the_store_exports_exactly_its_personal_tables(stores: Stores) -> None:
    """Memory, SQLite and PostgreSQL: one section per declared table, even when empty."""
    assert set(stores.export_subject("nobody")) == set(stores.personal_tables())
    assert all(rows == [] for rows in stores.export_subject("nobody").values())


def test_every_table_holding_the_id_is_in_the_export(sql_bed: Bed) -> None:
    """Scan every column of every table: wherever the id is, the export has those rows."""
    seed(sql_bed)
    assert sql_bed.url is not None
    found = occurrences(sql_bed.url, TARGET)
    doc = sql_bed.client.get(f"/v1/subjects/{TARGET}/export", headers=sql_bed.read).json()
    assert len(found) >= 7
    for table, n in found.items():
        assert len(doc["data"][table]) == n, table


def test_export_content(bed: Bed) -> None:
    seed(bed)
    bed.events([purchase(TARGET, "i5", days_ago=40, kind="view")])
    doc = bed.client.get(f"/v1/subjects/{TARGET}/export", headers=bed.read).json()
    assert doc["subject_id"] == TARGET and doc["tombstone"] is None
    assert doc["consents"]["current"]["personalization"] == "granted"
    assert doc["consents"]["current"]["location"] == "unset"
    assert len(doc["consents"]["history"]) == 3
    data = doc["data"]
    assert sorted(e["event_id"] for e in data["events"] if e["type"] == "purchase") == sorted(
        f"{TARGET}-purchase-i{n}-1.0" for n in range(3)
    )
    assert data["preferences"][0]["document"]["muted_categories"] == ["x"]
    (shown,) = data["exposures"]
    first = shown["items"][0]
    assert shown["reasons"][first][0]["text"].startswith("Because you")
    assert [s["kind"] for s in data["signals"]] == ["mood"]
    assert data["contact_decisions"][0]["message_id"] == "m1"
    assert data["handoff_cases"][0]["case_id"] == "case-1"
    kinds = {s["kind"] for s in doc["inferences"]}
    assert {"mood", "interest:odd"} <= kinds


def test_inventory_says_what_for_since_and_until(bed: Bed) -> None:
    seed(bed)
    bed.events([purchase(TARGET, "i5", days_ago=40, kind="view")])
    doc = bed.client.get(f"/v1/subjects/{TARGET}/export", headers=bed.read).json()
    by = {(h["table"], h["category"]): h for h in doc["inventory"]}
    behavioral = by[("events", "behavioral")]
    assert behavioral["records"] == 1 and behavioral["kinds"] == {"view": 1}
    assert behavioral["purposes"] == ["analytics", "personalization"]
    assert behavioral["used_for"] == ["personalization"]
    seen = NOW - timedelta(days=40)
    assert behavioral["since"] == seen.isoformat().replace("+00:00", "Z")
    assert behavioral["until"] == (seen + timedelta(days=365)).isoformat().replace("+00:00", "Z")
    transactional = by[("events", "transactional")]
    assert transactional["records"] == 3
    assert "730 days" in transactional["retention"]
    assert by[("events", "text")]["used_for"] == ["emotional_context"]
    assert by[("preferences", "declared")]["until"] is None
    assert by[("signals", "inferred")]["purposes"] == ["emotional_context"]
    assert {t for t, _ in by} == {t for t, rows in doc["data"].items() if rows}


def test_export_lists_the_audit_trail_and_is_itself_audited(bed: Bed) -> None:
    seed(bed)
    bed.client.get(f"/v1/subjects/{TARGET}/consents", headers=bed.read)
    bed.client.get(f"/v1/subjects/{TARGET}/export", headers=bed.read)
    doc = bed.client.get(f"/v1/subjects/{TARGET}/export", headers=bed.read).json()
    actions = [a["action"] for a in doc["audit"]]
    assert actions.count("consent.recorded") == 1
    assert actions[-2:] == ["personal_data.read", "subject.exported"]
    read_by = doc["audit"][-2]["actor"]
    assert read_by.startswith("key:") and doc["audit"][-2]["detail"] == {"resource": "consents"}


def test_zip_export_holds_one_csv_per_section(bed: Bed) -> None:
    seed(bed)
    r = bed.client.get(f"/v1/subjects/{TARGET}/export?format=zip", headers=bed.read)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    names = set(archive.namelist())
    assert {"README.txt", "data_events.csv", "consents.csv", "inventory.csv", "audit.csv"} <= names
    rows = list(csv.DictReader(io.StringIO(archive.read("data_events.csv").decode())))
    assert len(rows) == 4 and {r["subject_id"] for r in rows} == {TARGET}
    consents = list(csv.DictReader(io.StringIO(archive.read("consents.csv").decode())))
    assert {"purpose": "personalization", "decision": "granted"} in consents


def test_zip_after_erasure_is_the_notice(bed: Bed) -> None:
    seed(bed)
    bed.client.delete(f"/v1/subjects/{TARGET}", headers=bed.admin).raise_for_status()
    r = bed.client.get(f"/v1/subjects/{TARGET}/export?format=zip", headers=bed.read)
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    assert set(archive.namelist()) == {"README.txt", "tombstone.csv", "NOTICE.txt"}
    assert "erased" in archive.read("NOTICE.txt").decode()
