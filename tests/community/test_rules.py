"""The community rules on values: what operators may write, the anonymity rule at k-1, k
and k+1, suggestions and their reasons, and the evidence added to scored candidates."""

from __future__ import annotations

import pytest

from tactful.community import (
    FEWER,
    Joined,
    community_evidence,
    engaged_counts,
    parse_communities,
    shown_members,
    suggest,
    tied,
)
from tactful.errors import InvalidInput
from tactful.records import Community
from tactful.types import Item, ItemKind, Scored

K = 5
TRAIL = Community(
    "trail", "Trail Clean-ups", values=("Environment",), categories=("hiking",), min_members=K
)
REPAIR = Community("repair", "Repair and Reuse", values=("repairable",), min_members=K)
CATALOGUE = {
    "boots": Item("boots", "Boots", categories=("hiking",)),
    "guide": Item("guide", "Guide", values=("environment",), kind=ItemKind.CONTENT),
    "walk": Item("walk", "Walk", categories=("hiking",), kind=ItemKind.CONTENT),
    "knit": Item("knit", "Knitting", categories=("knitting",), kind=ItemKind.CONTENT),
    "gone": Item(
        "gone", "Old event", categories=("hiking",), kind=ItemKind.CONTENT, available=False
    ),
}
BOTH = {ItemKind.PRODUCT, ItemKind.CONTENT}


# -- define ---------------------------------------------------------------------------------
def test_defaults_and_validation_name_the_field() -> None:
    [c] = parse_communities([{"community_id": "t", "name": " T ", "values": ["x"]}], default_k=10)
    assert (c.name, c.min_members, c.description) == ("T", 10, "")
    bad = [
        ({"community_id": "a b", "name": "n", "values": ["x"]}, "communities[0].community_id"),
        (
            {"community_id": "a", "name": "n", "values": ["x"], "min_members": 1},
            "communities[0].min_members",
        ),
        (
            {"community_id": "a", "name": "n", "values": ["x"], "min_members": True},
            "communities[0].min_members",
        ),
        ({"community_id": "a", "name": "n"}, "communities[0].values"),
        ({"community_id": "a", "name": "n", "values": [""]}, "communities[0].values[0]"),
        ({"community_id": "a", "values": ["x"]}, "communities[0].name"),
    ]
    for row, field in bad:
        with pytest.raises(InvalidInput) as err:
            parse_communities([row], default_k=10)
        assert err.value.field == field, row
    twice = {"community_id": "a", "name": "n", "values": ["x"]}
    with pytest.raises(InvalidInput) as err:
        parse_communities([twice, twice], default_k=10)
    assert err.value.field == "communities"


# -- anonymity ------------------------------------------------------------------------------
@pytest.mark.parametrize(("members", "shown"), [(K - 1, FEWER.format(k=K)), (K, K), (K + 1, K + 1)])
def test_member_counts_below_k_are_hidden_except_from_admins(members: int, shown: object) -> None:
    assert shown_members(TRAIL, members, admin=False) == shown
    assert shown_members(TRAIL, members, admin=True) == members


@pytest.mark.parametrize(("engaged", "counted"), [(K - 1, None), (K, K), (K + 1, K + 1)])
def test_an_engaged_count_shows_only_at_k_and_above(engaged: int, counted: int | None) -> None:
    found = engaged_counts(TRAIL, {"guide": engaged, "boots": 1}, members=K + 3)
    assert found.get("guide") == counted
    assert "boots" not in found


def test_a_community_below_k_members_counts_nothing() -> None:
    assert engaged_counts(TRAIL, {"guide": K + 1}, members=K - 1) == {}
    assert engaged_counts(TRAIL, {"guide": K + 1}, members=K) == {"guide": K + 1}


# -- suggest --------------------------------------------------------------------------------
def test_declared_values_come_first_then_interests_and_joined_ones_are_left_out() -> None:
    found = suggest([TRAIL, REPAIR], joined=(), values=("repairable",), interests=("hiking",))
    assert [s.community.community_id for s in found] == ["repair", "trail"]
    assert found[0].reasons[0].kind == "declared_value"
    assert found[0].reasons[0].text == "You told us you care about repairable"
    assert [r.kind for r in found[1].reasons] == ["interest"]
    again = suggest([TRAIL, REPAIR], joined={"repair"}, values=("repairable",))
    assert again == []
    assert (
        suggest([TRAIL], joined=(), values=("environment",))[0].reasons[0].kind == "declared_value"
    )


# -- evidence -------------------------------------------------------------------------------
def scored() -> Scored:
    return Scored(("boots", "knit", "guide"), (0.9, 0.5, 0.2), {})


def test_content_is_tied_by_value_or_category_and_products_never_are() -> None:
    assert tied(CATALOGUE["guide"], TRAIL) and tied(CATALOGUE["walk"], TRAIL)
    assert not tied(CATALOGUE["boots"], TRAIL) and not tied(CATALOGUE["knit"], TRAIL)


def test_only_the_asked_kinds_remain_without_communities() -> None:
    out = community_evidence(
        scored(), catalogue=CATALOGUE, joined=(), kinds={ItemKind.PRODUCT}, boost=0.5
    )
    assert out.items == ("boots",)
    out = community_evidence(
        scored(), catalogue=CATALOGUE, joined=(), kinds={ItemKind.CONTENT}, boost=0.5
    )
    assert out.items == ("knit", "guide")


def test_tied_content_is_added_lifted_and_says_so() -> None:
    joined = [Joined(TRAIL, K, {"guide": K + 1, "boots": K})]
    out = community_evidence(scored(), catalogue=CATALOGUE, joined=joined, kinds=BOTH, boost=4.0)
    assert out.items[:2] == ("guide", "boots")  # lifted: 0.2 * (1 + 4) = 1.0 > 0.9
    assert set(out.items) == {"boots", "guide", "knit", "walk"}  # "gone" is unavailable
    kinds = {i: [(e.kind, e.detail, e.weight) for e in out.evidence.get(i, ())] for i in out.items}
    assert ("community_tie", "Trail Clean-ups", 1.0) in kinds["guide"]
    assert ("community_popular", "Trail Clean-ups", float(K + 1)) in kinds["guide"]
    assert kinds["boots"] == [("community_popular", "Trail Clean-ups", float(K))]
    assert kinds["knit"] == []


def test_a_community_below_k_adds_nothing() -> None:
    joined = [Joined(TRAIL, K - 1, {"guide": K})]
    out = community_evidence(scored(), catalogue=CATALOGUE, joined=joined, kinds=BOTH, boost=4.0)
    assert out == scored()


def test_engaged_counts_are_reused_for_their_seconds_and_a_new_definition_misses() -> None:
    from tactful.app.communities import EngagedCounts

    clock = [0.0]
    kept = EngagedCounts(5.0, monotonic=lambda: clock[0])
    calls: list[int] = []

    def count() -> dict[str, int]:
        calls.append(1)
        return {"guide": len(calls) + K}

    assert kept.get(TRAIL, count) == {"guide": K + 1}
    clock[0] = 4.9
    assert kept.get(TRAIL, count) == {"guide": K + 1}
    renamed = Community("trail", "Trail Clean-ups Berlin", values=("environment",), min_members=K)
    assert kept.get(renamed, count) == {"guide": K + 2}
    clock[0] = 5.1
    assert kept.get(TRAIL, count) == {"guide": K + 3}
    assert len(calls) == 3
    assert EngagedCounts(0).get(TRAIL, count) == {"guide": K + 4}  # 0 s: never kept
