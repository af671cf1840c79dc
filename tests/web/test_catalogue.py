from datetime import timedelta

from tests.web.conftest import Api

TENT = {
    "item_id": "tent",
    "title": "Ultralight Tent",
    "categories": ["camping"],
    "values": ["repairable"],
    "price": 299.0,
    "promotional": True,
}


def test_put_then_get_item(api: Api) -> None:
    r = api.client.put("/v1/items", json={"items": [TENT]}, headers=api.ingest)
    assert r.json() == {"upserted": 1}
    got = api.client.get("/v1/items/tent", headers=api.read).json()
    added = "2026-06-01T12:00:00Z"  # the clock's now: when it was first upserted
    assert got == {
        **TENT,
        "sensitive": "none",
        "available": True,
        "added_at": added,
        "kind": "product",
    }
    api.clock.now += timedelta(days=3)
    api.client.put("/v1/items", json={"items": [{**TENT, "available": False}]}, headers=api.ingest)
    again = api.client.get("/v1/items/tent", headers=api.read).json()
    assert again["available"] is False
    assert again["added_at"] == added  # an update keeps when it was added


def test_an_item_may_say_when_it_was_added(sql_api: Api) -> None:
    api = sql_api
    old = {**TENT, "added_at": "2025-01-02T03:04:05+01:00"}
    api.client.put("/v1/items", json={"items": [old]}, headers=api.ingest).raise_for_status()
    got = api.client.get("/v1/items/tent", headers=api.read).json()
    assert got["added_at"] == "2025-01-02T02:04:05Z"
    api.client.put("/v1/items", json={"items": [TENT]}, headers=api.ingest).raise_for_status()
    assert api.client.get("/v1/items/tent", headers=api.read).json()["added_at"] == got["added_at"]
    naive = {**TENT, "added_at": "2025-01-02T03:04:05"}
    r = api.client.put("/v1/items", json={"items": [naive]}, headers=api.ingest)
    assert r.status_code == 422 and r.json()["field"] == "items[0].added_at"


def test_unknown_item_is_404(api: Api) -> None:
    r = api.client.get("/v1/items/nope", headers=api.read)
    assert r.status_code == 404
    assert r.json()["field"] == "item_id"


def test_bad_items_name_the_field_and_write_nothing(api: Api) -> None:
    items = [TENT, {**TENT, "item_id": "x", "price": -3}]
    r = api.client.put("/v1/items", json={"items": items}, headers=api.ingest)
    assert r.status_code == 422
    assert r.json()["field"] == "items[1].price"
    assert api.client.get("/v1/items/tent", headers=api.read).status_code == 404
    r = api.client.put(
        "/v1/items", json={"items": [{**TENT, "sensitive": "spicy"}]}, headers=api.ingest
    )
    assert r.json()["field"] == "items[0].sensitive"
