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
    assert got == {**TENT, "sensitive": "none", "available": True}
    api.client.put("/v1/items", json={"items": [{**TENT, "available": False}]}, headers=api.ingest)
    assert api.client.get("/v1/items/tent", headers=api.read).json()["available"] is False


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
