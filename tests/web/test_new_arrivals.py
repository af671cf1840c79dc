"""New arrivals reach the people they suit (issue 10, defect 6): an item added after
training, which no one has interacted with, is offered through the content model to people
whose interests it matches, with a ``new_arrival`` reason, within their budget and past
every guard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.web.conftest import NOW, Api, trained
from tests.web.test_tact_scenarios import bought, held, ids, recs, seed, send

TENT = {"item_id": "tent9", "title": "Ridge Tent", "categories": ["camping"]}
YARN = {"item_id": "yarn", "title": "Merino Yarn", "categories": ["knitting"]}


def arrive(api: Api, *items: dict[str, Any]) -> None:
    r = api.client.put("/v1/items", json={"items": list(items)}, headers=api.ingest)
    assert r.status_code == 200, r.text


def prefs(api: Api, subject: str, **body: Any) -> None:
    r = api.client.put(f"/v1/subjects/{subject}/preferences", json=body, headers=api.ingest)
    assert r.status_code == 200, r.text


def reasons_of(body: dict[str, Any], item: str) -> list[str]:
    (found,) = [x for x in body["items"] if x["item_id"] == item]
    return [r["kind"] for r in found["reasons"]]


def test_a_new_item_reaches_people_who_like_its_category_and_no_one_else(api: Api) -> None:
    seed(api)
    before = recs(api, "p", preview="true")
    arrive(api, TENT, YARN)
    body = recs(api, "p")  # p buys camping things
    assert "tent9" in ids(body)
    assert "new_arrival" in reasons_of(body, "tent9")
    texts = [r["text"] for x in body["items"] if x["item_id"] == "tent9" for r in x["reasons"]]
    assert "New in the shop" in texts and "Matches your interest in camping" in texts
    assert len(body["items"]) == len(before["items"]) <= 5  # within the budget, not beyond
    assert ids(body)[:-1] == ids(before)[: len(before["items"]) - 1]  # it took the last place
    assert "yarn" not in ids(body)  # nothing p likes
    for runner in ("run0", "run1"):
        assert not {"tent9", "yarn"} & set(ids(recs(api, runner)))


def test_a_new_arrival_passes_every_guard(api: Api) -> None:
    seed(api)
    hidden = {"item_id": "kit", "title": "Camping First Aid", "categories": ["camping"],
              "sensitive": "health"}  # fmt: skip
    offer = {"item_id": "deal", "title": "Camp Stove Deal", "categories": ["camping"],
             "promotional": True}  # fmt: skip
    arrive(api, hidden, offer)
    assert "kit" not in ids(recs(api, "p"))  # sensitive: never suggested unless allowed
    assert "deal" in ids(recs(api, "p"))
    prefs(api, "p", pause_until=(NOW + timedelta(days=3)).isoformat())
    paused = recs(api, "p")  # a hard time: no offers
    assert "deal" not in ids(paused)
    prefs(api, "p", muted_categories=["camping"])
    assert "deal" not in ids(recs(api, "p"))


def test_a_new_arrival_counts_within_a_small_budget(api: Api) -> None:
    seed(api)
    arrive(api, TENT)
    prefs(api, "p", max_recommendations=1)
    one = recs(api, "p")
    assert len(one["items"]) == 1 and "tent9" not in ids(one)  # the one place is p's best
    prefs(api, "p", max_recommendations=2)
    two = recs(api, "p", limit=2)
    assert len(two["items"]) == 2 and ids(two)[1] == "tent9"
    assert held(two)["new_arrivals"]["text"] == (
        "1 item left out to make room for something new in the shop."
    )
    assert "new_arrivals" not in held(recs(api, "p"))  # the budget guard counts it then


def test_an_item_is_new_only_for_a_while(api: Api) -> None:
    seed(api)
    arrive(api, TENT)
    api.clock.now = NOW + timedelta(days=13)
    assert "tent9" in ids(recs(api, "p"))
    api.clock.now = NOW + timedelta(days=15)  # past recommend.new_arrival_days
    assert "tent9" not in ids(recs(api, "p"))


def test_an_item_is_new_until_the_model_learns_it(api: Api) -> None:
    seed(api)
    arrive(api, TENT)
    assert "new_arrival" in reasons_of(recs(api, "p"), "tent9")
    send(api, *(bought(f"cam{n}", "tent9") for n in range(4)))
    trained(api.client, api.admin)
    r = api.client.get("/v1/subjects/p/recommendations/tent9/why", headers=api.read)
    body = r.json()  # the model scores it now: no longer "new"
    assert body["candidate"] is True and body["model_score"] > 0
    assert "new_arrival" not in [e["kind"] for e in body["evidence"]]


def test_an_item_added_long_ago_is_not_new(api: Api) -> None:
    seed(api)
    arrive(api, {**TENT, "added_at": (NOW - timedelta(days=30)).isoformat()})
    assert "tent9" not in ids(recs(api, "p"))


def test_a_declared_interest_is_enough(api: Api) -> None:
    seed(api)
    arrive(api, YARN)
    prefs(api, "run0", preferred_categories=["knitting"])
    body = recs(api, "run0")
    assert "yarn" in ids(body) and "new_arrival" in reasons_of(body, "yarn")


def test_new_arrivals_on_sql_stores(sql_api: Api) -> None:
    seed(sql_api)
    arrive(sql_api, TENT)
    body = recs(sql_api, "p")
    assert "tent9" in ids(body) and "new_arrival" in reasons_of(body, "tent9")
    assert "tent9" not in ids(recs(sql_api, "run0"))
