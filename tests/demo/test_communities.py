"""The demo shop's communities: three of them, content for each, members who granted
`community` and match them, and u0001 (a runner who cares about sustainability) seeing
community content with its reasons once the shop is loaded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from tactful.app import build
from tactful.app.seed import seed
from tactful.consent import fold
from tactful.demo import DemoShop, generate
from tactful.demo.communities import COMMUNITIES, community_life
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.store import MemoryStores
from tactful.types import ConsentRecord, Decision, ItemKind, Purpose

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def shop() -> DemoShop:
    return generate(rng=np.random.default_rng(7), now=NOW, n_people=300, n_events=8000)


def test_three_communities_with_content_and_consenting_members(shop: DemoShop) -> None:
    life = community_life(shop, now=NOW)
    assert [c.community_id for c in life.communities] == [
        "trail-running",
        "repair-reuse",
        "trail-cleanups",
    ]
    assert {it.kind for it in life.items} == {ItemKind.CONTENT}
    tied = {
        c.community_id: [it for it in life.items if c.topics & {*it.categories, *it.values}]
        for c in COMMUNITIES
    }
    assert all(len(found) >= 3 for found in tied.values())
    history: dict[str, list[ConsentRecord]] = {}
    for r in shop.consents:
        history.setdefault(r.subject_id, []).append(r)
    for m in life.members:
        assert fold(history[m.subject_id])[Purpose.COMMUNITY] is Decision.GRANTED
    assert community_life(shop, now=NOW) == life  # the same shop gives the same


def test_u0001_sees_community_content_after_the_demo_loads(shop: DemoShop, tmp_path: Path) -> None:
    settings = Settings(model_dir=tmp_path / "models")
    app = build(settings, MemoryStores(), FileModelStore(tmp_path / "models"), clock=lambda: NOW)
    try:
        report = seed(app, shop, progress=lambda _d, _t: None)
        assert report.communities == 3 and report.members > 0
        app.training.train()
        joined = {m.community_id for m in app.stores.communities.memberships("u0001")}
        assert joined == {"trail-running", "trail-cleanups"}
        rec = app.recommendations.recommend("u0001", kinds="content", preview=True)
        assert rec.items and {r.item.kind for r in rec.items} == {ItemKind.CONTENT}
        kinds = {reason.kind for r in rec.items for reason in r.reasons}
        assert "community" in kinds
    finally:
        app.close()
