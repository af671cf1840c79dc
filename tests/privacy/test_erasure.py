"""Erasure end to end on SQLite and PostgreSQL: no trace of the id in any column of any table
or in any model artifact, EASE equal to a retrain without the person, an export that holds
only the tombstone notice, and later events refused until the person consents again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import String, cast, column, create_engine, func, inspect, select, table

from tactful.consent.policy import ConsentPolicy
from tactful.recommend.ease import EASE
from tactful.recommend.weighting import interactions_from_events
from tactful.types import Purpose
from tests.privacy.conftest import OTHERS, TARGET, Bed, seed


def occurrences(url: str, needle: str) -> dict[str, int]:
    """Rows per table in which any column, read as text, contains ``needle``."""
    engine = create_engine(url)
    found: dict[str, int] = {}
    try:
        names = inspect(engine).get_table_names()
        with engine.connect() as conn:
            for name in names:
                cols = [c["name"] for c in inspect(engine).get_columns(name)]
                t = table(name, *[column(c) for c in cols])
                hit = func.coalesce(cast(t.c[cols[0]], String), "").contains(needle)
                for c in cols[1:]:
                    hit = hit | func.coalesce(cast(t.c[c], String), "").contains(needle)
                n = conn.scalar(select(func.count()).select_from(t).where(hit)) or 0
                if n:
                    found[name] = n
    finally:
        engine.dispose()
    return found


def artifact_mentions(model_dir: Path, needle: str) -> list[str]:
    """Model files whose arrays (any string array) or manifest mention ``needle``."""
    hits: list[str] = []
    for path in sorted(model_dir.glob("*")):
        if path.suffix == ".json" and needle in path.read_text():
            hits.append(path.name)
        if path.suffix == ".npz":
            with np.load(path, allow_pickle=False) as arrays:
                for key in arrays.files:
                    a = arrays[key]
                    if a.dtype.kind == "U" and any(needle in str(v) for v in a.ravel()):
                        hits.append(f"{path.name}:{key}")
    return hits


def erase(bed: Bed, subject: str = TARGET) -> dict[str, Any]:
    r = bed.client.delete(f"/v1/subjects/{subject}", headers=bed.admin)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_erasure_leaves_no_trace_and_models_equal_a_retrain(sql_bed: Bed) -> None:
    seed(sql_bed)
    assert sql_bed.url is not None
    before = occurrences(sql_bed.url, TARGET)
    assert {"events", "consents", "preferences", "exposures", "signals"} <= set(before)
    assert artifact_mentions(sql_bed.model_dir, TARGET)  # the trained models hold them

    receipt = erase(sql_bed)

    assert receipt["rows_deleted"]["events"] == 4  # 3 purchases and a text
    assert receipt["rows_deleted"]["consents"] == 3
    for name in before:
        assert receipt["rows_deleted"][name] == before[name], name
    assert sorted(v.split("-")[0] for v in receipt["models_updated"]) == ["ease", "popularity"]
    assert len(receipt["tombstone"]["pseudonym"]) == 64
    assert occurrences(sql_bed.url, TARGET) == {}
    assert artifact_mentions(sql_bed.model_dir, TARGET) == []

    models = sql_bed.app.models
    assert len(models.versions()) == 2  # one per model; older versions held the person
    latest = models.latest("ease")
    assert latest is not None
    forgot, _ = models.load(latest)
    assert isinstance(forgot, EASE)
    types = ConsentPolicy().event_types_for(Purpose.PERSONALIZATION)
    left = [e for e in sql_bed.app.stores.events.scan(types=types) if e.item_id]
    settings = sql_bed.app.settings.recommend
    data = interactions_from_events(
        left, settings.event_weights, settings.rating_scale,
        item_universe=[it.item_id for it in sql_bed.app.stores.items.all()],
    )  # fmt: skip
    retrain = EASE(l2=settings.ease_l2, dtype="float64").fit(data)
    assert forgot.interactions_.subjects == data.subjects
    rows = data.matrix
    gap = np.abs(forgot.score_batch(rows) - retrain.score_batch(rows)).max()
    assert gap < 1e-5


def test_after_erasure_export_is_the_notice_and_events_wait_for_consent(sql_bed: Bed) -> None:
    seed(sql_bed)
    receipt = erase(sql_bed)
    r = sql_bed.client.get(f"/v1/subjects/{TARGET}/export", headers=sql_bed.read)
    assert r.status_code == 200
    doc = r.json()
    assert set(doc) == {"subject_id", "generated_at", "format", "erased", "tombstone", "notice"}
    assert doc["tombstone"] == receipt["tombstone"]

    view = {"event_id": "late-1", "subject_id": TARGET, "type": "view", "item_id": "i1"}
    other = {"event_id": "late-2", "subject_id": OTHERS[0], "type": "view", "item_id": "i1"}
    got = sql_bed.events([view, other])
    assert got["accepted"] == 1
    assert got["rejected"] == [{"index": 0, "event_id": "late-1", "reason": "erased_subject"}]

    sql_bed.grant(TARGET, "analytics", decision="denied")  # a denial does not lift it
    assert sql_bed.events([view])["rejected"][0]["reason"] == "erased_subject"
    sql_bed.grant(TARGET, "personalization")
    assert sql_bed.events([view])["accepted"] == 1
    export = sql_bed.client.get(f"/v1/subjects/{TARGET}/export", headers=sql_bed.read).json()
    assert export["tombstone"] is None
    assert [e["event_id"] for e in export["data"]["events"]] == ["late-1"]


def test_erasure_on_memory_and_recommendations_forget_the_person(bed: Bed) -> None:
    seed(bed)
    before = bed.client.get(f"/v1/subjects/{TARGET}/recommendations", headers=bed.read).json()
    assert before["personalized"] is True
    receipt = erase(bed)
    assert receipt["rows_deleted"]["handoff_cases"] == 1
    assert receipt["rows_deleted"]["contact_decisions"] == 1
    left = bed.app.stores.export_subject(TARGET)
    assert set(left) == set(bed.app.stores.personal_tables())
    assert all(rows == [] for rows in left.values())
    after = bed.client.get(f"/v1/subjects/{TARGET}/recommendations", headers=bed.read).json()
    assert after["personalized"] is False
    bed.app.exposures.flush()
    assert bed.app.stores.exposures.for_subject(TARGET) == []  # asking does not record again
    bed.client.get("/v1/subjects/stranger/recommendations", headers=bed.read)
    bed.app.exposures.flush()
    # neither the erased person nor a stranger granted anything: counted, never named
    assert bed.app.stores.exposures.for_subject("stranger") == []
    assert sum(bed.app.stores.exposures.tallies().values()) == 2


def test_erasing_an_unknown_person_still_leaves_a_tombstone(bed: Bed) -> None:
    receipt = erase(bed, "nobody-ever")
    assert set(receipt["rows_deleted"].values()) == {0}
    assert receipt["models_updated"] == []
    event = {"event_id": "n1", "subject_id": "nobody-ever", "type": "view", "item_id": "i1"}
    assert bed.events([event])["rejected"][0]["reason"] == "erased_subject"


def test_the_audit_log_records_the_erasure_without_the_id(sql_bed: Bed) -> None:
    seed(sql_bed)
    erase(sql_bed)
    records = list(sql_bed.app.stores.audit.records())
    actions = [r.entry.action for r in records]
    assert actions[-2:] == ["subject.erased", "models.forgot"]
    erased = records[-2].entry
    assert erased.pseudonym == sql_bed.app.keyring.pseudonym(TARGET)
    assert erased.detail["rows_deleted"]["events"] == 4
    assert TARGET not in json.dumps([r.entry.detail for r in records])
    assert sql_bed.app.rights.verify_audit().intact


@pytest.mark.parametrize("scope", ["read", "ingest"])
def test_erasure_needs_admin_or_the_persons_token(bed: Bed, scope: str) -> None:
    r = bed.client.delete(f"/v1/subjects/{TARGET}", headers=getattr(bed, scope))
    assert r.status_code == 403
    assert "admin" in r.json()["message"]
