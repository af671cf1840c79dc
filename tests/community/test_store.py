"""The CommunityStore contract, on every backend (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tactful.errors import NotFound
from tactful.records import Community, Membership
from tactful.store import Stores
from tactful.types import Event, EventType

T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)
TRAIL = Community("trail", "Trail Clean-ups", "Pick up litter", ("environment",), ("outdoor",), 3)
REPAIR = Community("repair", "Repair and Reuse", values=("repairable",), min_members=5)


def test_upsert_get_all_replace(stores: Stores) -> None:
    assert stores.communities.upsert([TRAIL, REPAIR]) == 2
    assert stores.communities.get("trail") == TRAIL
    assert stores.communities.get("nope") is None
    renamed = Community("trail", "Trail Clean-ups Berlin", values=("environment",))
    stores.communities.upsert([renamed])
    assert [c.community_id for c in stores.communities.all()] == ["repair", "trail"]
    assert stores.communities.get("trail") == renamed


def test_join_is_idempotent_and_leave(stores: Stores) -> None:
    stores.communities.upsert([TRAIL, REPAIR])
    first = stores.communities.join(Membership("u1", "trail", T0))
    again = stores.communities.join(Membership("u1", "trail", T0 + timedelta(days=1)))
    assert first == again == Membership("u1", "trail", T0)
    stores.communities.join(Membership("u1", "repair", T0))
    stores.communities.join(Membership("u2", "trail", T0))
    assert [m.community_id for m in stores.communities.memberships("u1")] == ["repair", "trail"]
    assert stores.communities.member_counts() == {"trail": 2, "repair": 1}
    assert stores.communities.members("trail") == {"u1", "u2"}
    many = stores.communities.memberships_of(["u1", "u2", "u9"])
    assert {s: [m.community_id for m in ms] for s, ms in many.items()} == {
        "u1": ["repair", "trail"],
        "u2": ["trail"],
        "u9": [],
    }
    assert stores.communities.leave("u1", "trail") is True
    assert stores.communities.leave("u1", "trail") is False
    assert stores.communities.leave_all("u1") == 1
    assert stores.communities.memberships("u1") == []
    assert stores.communities.member_counts() == {"trail": 1}


def test_joining_an_unknown_community_is_not_found(stores: Stores) -> None:
    with pytest.raises(NotFound) as err:
        stores.communities.join(Membership("u1", "nope", T0))
    assert err.value.field == "community_id"
    assert stores.communities.memberships("u1") == []


def test_engagement_counts_members_only_per_item(stores: Stores) -> None:
    stores.communities.upsert([TRAIL])
    for s in ("u1", "u2"):
        stores.communities.join(Membership(s, "trail", T0))
    stores.events.add(
        [
            Event("e1", "u1", EventType.VIEW, T0, item_id="guide"),
            Event("e2", "u1", EventType.CLICK, T0, item_id="guide"),
            Event("e3", "u2", EventType.VIEW, T0, item_id="guide"),
            Event("e4", "u3", EventType.VIEW, T0, item_id="guide"),  # not a member
            Event("e5", "u2", EventType.PURCHASE, T0, item_id="boots"),
            Event("e6", "u2", EventType.SEARCH, T0),
        ]
    )
    types = {EventType.VIEW, EventType.CLICK}
    everyone = {"u1", "u2", "u3"}
    assert stores.communities.engagement("trail", types=types, among=everyone) == {"guide": 2}
    assert stores.communities.engagement("trail", types=types, among={"u2", "u3"}) == {"guide": 1}
    assert stores.communities.engagement("trail", types=types, among=()) == {}
    both = stores.communities.engagement("trail", types={EventType.PURCHASE}, among=everyone)
    assert both == {"boots": 1}


def test_memberships_are_exported_and_erased(stores: Stores) -> None:
    stores.communities.upsert([TRAIL])
    stores.communities.join(Membership("u1", "trail", T0))
    stores.communities.join(Membership("u2", "trail", T0))
    assert stores.personal_tables()["community_members"] == "subject_id"
    rows = stores.export_subject("u1")["community_members"]
    assert [(r["community_id"], r["subject_id"]) for r in rows] == [("trail", "u1")]
    assert stores.erase_subject("u1")["community_members"] == 1
    assert stores.communities.memberships("u1") == []
    assert stores.communities.members("trail") == {"u2"}


def test_joining_and_leaving_change_the_persons_stamp(stores: Stores) -> None:
    stores.communities.upsert([TRAIL])
    stamp = lambda: stores.subject_view("u1", event_types=()).stamp  # noqa: E731
    before = stamp()
    stores.communities.join(Membership("u1", "trail", T0))
    joined = stamp()
    assert joined is not None and joined != before
    stores.communities.join(Membership("u1", "trail", T0))  # nothing new: may stay
    stores.communities.leave("u1", "trail")
    assert stamp() not in (None, joined)
