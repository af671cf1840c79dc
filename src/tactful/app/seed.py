"""Loading the demo shop into an application through the same use cases as real data:
events pass the consent gate, so unconsented ones are rejected and counted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from tactful.app import Tactful
from tactful.demo import DemoShop
from tactful.demo.communities import CommunityLife, community_life

BATCH = 10_000


@dataclass(frozen=True, slots=True)
class SeedReport:
    items: int
    people: int
    accepted: int
    rejected: int
    communities: int = 0
    members: int = 0


def seed(app: Tactful, shop: DemoShop, *, progress: Callable[[int, int], None]) -> SeedReport:
    """Write the shop; ``progress(done, total)`` is called after each event batch."""
    app.catalogue.upsert(shop.items)
    app.stores.consents.append(shop.consents)
    now = app.clock()
    for subject, prefs in shop.preferences.items():
        app.stores.preferences.put(subject, prefs, at=now)
    accepted = rejected = 0
    total = len(shop.events)
    for start in range(0, total, BATCH):
        rows = [_row(e) for e in shop.events[start : start + BATCH]]
        report = app.ingestion.record(rows)
        accepted += report.accepted
        rejected += len(report.rejected)
        progress(min(start + BATCH, total), total)
    life = community_life(shop, now=now)
    stored = _communities(app, life)
    return SeedReport(
        len(shop.items) + len(life.items),
        len(shop.preferences),
        accepted + stored,
        rejected,
        len(life.communities),
        len(life.members),
    )


def _communities(app: Tactful, life: CommunityLife) -> int:
    """The demo's communities, their content, the people who joined (through the same
    rule as the API: ``community`` granted) and their views; returns the events stored."""
    app.stores.communities.upsert(life.communities)
    app.catalogue.upsert(life.items)
    for m in life.members:
        app.communities.join(m.subject_id, m.community_id)
    return app.ingestion.record([_row(e) for e in life.events]).accepted


def _row(event: object) -> dict[str, object]:
    raw = asdict(event)  # type: ignore[call-overload]
    raw["type"] = raw["type"].value
    raw["occurred_at"] = raw["occurred_at"].isoformat()
    return {k: v for k, v in raw.items() if v is not None}
