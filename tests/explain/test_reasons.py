from datetime import UTC, datetime

from tactful.curate import Context
from tactful.explain import explain
from tactful.types import Event, EventType, Evidence, Item, Preferences, Scored

NOW = datetime(2026, 6, 1, tzinfo=UTC)
CATALOGUE = {
    "shoe": Item("shoe", "Trail Runner 2", ("running",)),
    "sock": Item("sock", "Merino Socks", ("running",)),
    "tent": Item("tent", "Ultralight Tent", ("camping",)),
    "mat": Item("mat", "Yoga Mat", ("yoga",)),
}
HISTORY = (
    Event("e1", "u1", EventType.VIEW, NOW, "shoe"),
    Event("e2", "u1", EventType.PURCHASE, NOW, "shoe"),
    Event("e3", "u1", EventType.VIEW, NOW, "tent"),
)


def context(**kw: object) -> Context:
    base: dict[str, object] = {
        "subject_id": "u1",
        "now": NOW,
        "prefs": Preferences(),
        "catalogue": CATALOGUE,
        "history": HISTORY,
        "personalized": True,
        "consented": True,
    }
    base.update(kw)
    return Context(**base)  # type: ignore[arg-type]


def test_because_names_the_strongest_action_and_top_items() -> None:
    s = Scored(
        ("sock",),
        (1.0,),
        {"sock": (Evidence("item", 0.2, "tent"), Evidence("item", 0.7, "shoe"))},
    )
    (reason,) = explain(s, context())["sock"]
    assert reason.kind == "because_you_interacted"
    assert reason.text == "Because you bought Trail Runner 2 and viewed Ultralight Tent"
    assert reason.items == ("shoe", "tent")


def test_evidence_not_in_history_is_not_claimed() -> None:
    s = Scored(("sock",), (1.0,), {"sock": (Evidence("item", 0.9, "mat"),)})
    (reason,) = explain(s, context())["sock"]
    assert reason.kind == "popular"


def test_attribute_evidence_becomes_interest_and_value_reasons() -> None:
    s = Scored(
        ("mat",),
        (1.0,),
        {"mat": (Evidence("category", 0.5, detail="yoga"), Evidence("value", 0.2, detail="vegan"))},
    )
    kinds = [(r.kind, r.text) for r in explain(s, context())["mat"]]
    assert kinds == [
        ("matches_interest", "Matches your interest in yoga"),
        ("matches_value", "Matches a value you care about: vegan"),
    ]


def test_without_consent_the_reason_says_not_personalized() -> None:
    s = Scored(("tent",), (3.0,), {"tent": (Evidence("item", 0.9, "shoe"),)})
    (reason,) = explain(s, context(personalized=False, consented=False))["tent"]
    assert reason.kind == "popular"
    assert "Not personalized" in reason.text


def test_consented_newcomer_gets_cold_start() -> None:
    s = Scored(("tent",), (3.0,))
    (reason,) = explain(s, context(personalized=False, history=()))["tent"]
    assert reason.kind == "cold_start"
