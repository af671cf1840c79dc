"""Events naming an item the catalogue does not hold: rejected per row ``unknown:item_id``
by default, with one set-wise look-up per batch, on every store backend; a setting accepts
them (issue 10, defect 7)."""

from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from tactful.app import Tactful, build
from tactful.app.seed import seed
from tactful.consent import ConsentPolicy, record
from tactful.demo.shop import generate
from tactful.ingest import ingest
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.store import MemoryStores
from tactful.store.ports import ItemStore, Stores
from tactful.types import Item, ItemId

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


class Counted:
    """The item store, counting ``known`` calls (the only look-up ingest may make)."""

    def __init__(self, inner: ItemStore) -> None:
        self.inner = inner
        self.calls: list[set[ItemId]] = []

    def known(self, item_ids: Collection[ItemId]) -> set[ItemId]:
        self.calls.append(set(item_ids))
        return self.inner.known(item_ids)

    def many(self, item_ids: Collection[ItemId]) -> dict[ItemId, Item]:
        raise AssertionError("ingest reads ids only")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def row(eid: str, item: str | None, etype: str = "view", subject: str = "ann") -> dict[str, Any]:
    out: dict[str, Any] = {"event_id": eid, "subject_id": subject, "type": etype}
    if item is not None:
        out["item_id"] = item
    return out


def run(stores: Stores, items: ItemStore, rows: list[Any], **kw: Any) -> Any:
    return ingest(
        rows,
        events=stores.events,
        consents=stores.consents,
        items=items,
        policy=ConsentPolicy(),
        now=NOW,
        **kw,
    )


def prepared(stores: Stores) -> Counted:
    stores.consents.append([record("ann", "personalization", "granted", at=NOW)])
    stores.items.upsert([Item("i1", "Tent"), Item("i2", "Stove")])
    return Counted(stores.items)


def test_unknown_items_are_rejected_per_row_with_one_look_up(stores: Stores) -> None:
    items = prepared(stores)
    rows = [
        row("e1", "i1"),
        row("e2", "ghost"),
        row("e3", None, "search"),  # no item: nothing to check
        row("e4", "i2", "purchase"),
        row("e5", "ghost", "purchase"),
        row("e6", "i9", subject="bob"),  # unknown item and no consent: the item is named
    ]
    report = run(stores, items, rows)
    assert report.accepted == 3
    assert [(r.index, r.event_id, r.reason) for r in report.rejected] == [
        (1, "e2", "unknown:item_id"),
        (4, "e5", "unknown:item_id"),
        (5, "e6", "unknown:item_id"),
    ]
    assert items.calls == [{"i1", "i2", "ghost", "i9"}]
    assert stores.events.existing_ids({f"e{i}" for i in range(1, 7)}) == {"e1", "e3", "e4"}


def test_an_atomic_batch_with_an_unknown_item_stores_nothing(stores: Stores) -> None:
    items = prepared(stores)
    report = run(stores, items, [row("e1", "i1"), row("e2", "ghost")], atomic=True)
    assert report.accepted == 0 and [r.reason for r in report.rejected] == ["unknown:item_id"]
    assert stores.events.existing_ids({"e1", "e2"}) == set()


def test_the_setting_accepts_unknown_items_without_a_look_up(stores: Stores) -> None:
    items = prepared(stores)
    report = run(stores, items, [row("e1", "i1"), row("e2", "ghost")], accept_unknown_items=True)
    assert report.accepted == 2 and report.rejected == ()
    assert items.calls == []


def test_a_retry_of_a_stored_event_is_a_duplicate_not_a_rejection(stores: Stores) -> None:
    items = prepared(stores)
    run(stores, items, [row("e1", "ghost")], accept_unknown_items=True)
    report = run(stores, items, [row("e1", "ghost")])
    assert (report.accepted, report.duplicates, report.rejected) == (0, 1, ())


def app_with(tmp_path: Path, **ingest: bool) -> Tactful:
    settings = Settings(model_dir=tmp_path / "models", ingest=ingest)
    models = FileModelStore(tmp_path / "models")
    return build(settings, MemoryStores(), models, clock=lambda: NOW)


def test_the_app_follows_the_setting(tmp_path: Path) -> None:
    for accept, stored in ((False, 0), (True, 1)):
        app = app_with(tmp_path, accept_unknown_items=accept)
        app.consents.record("ann", [{"purpose": "personalization", "decision": "granted"}])
        report = app.ingestion.record([row("e1", "ghost")])
        assert report.accepted == stored
        assert [r.reason for r in report.rejected] == ([] if accept else ["unknown:item_id"])
        app.close()


def test_the_demo_seed_writes_items_first_so_none_is_unknown(tmp_path: Path) -> None:
    shop = generate(rng=np.random.default_rng(7), now=NOW, n_events=3000)
    reports = []
    for accept in (False, True):
        app = app_with(tmp_path, accept_unknown_items=accept)
        reports.append(seed(app, shop, progress=lambda done, total: None))
        app.close()
    strict, lenient = reports
    assert strict == lenient and strict.accepted > 0
