from tests.web.conftest import Api


def test_missing_key_is_401_with_a_clear_message(api: Api) -> None:
    r = api.client.get("/v1/items/x")
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized"
    assert "Authorization: Bearer" in r.json()["message"]
    assert r.headers["www-authenticate"] == "Bearer"


def test_unknown_key_is_401(api: Api) -> None:
    r = api.client.get("/v1/items/x", headers={"Authorization": "Bearer tk_nope"})
    assert r.status_code == 401


def test_wrong_scope_is_403_naming_the_scope(api: Api) -> None:
    r = api.client.post("/v1/models/train", headers=api.read)
    assert r.status_code == 403
    assert "'admin'" in r.json()["message"]
    r = api.client.post("/v1/events", headers=api.read, json={"events": []})
    assert r.status_code == 403


def test_admin_implies_every_scope(api: Api) -> None:
    assert api.client.get("/v1/subjects/u1/consents", headers=api.admin).status_code == 200


def test_keys_are_stored_hashed(api: Api) -> None:
    secret = api.admin["Authorization"].removeprefix("Bearer ")
    stored = api.app.stores.keys.all()
    assert stored and all(secret not in k.key_hash for k in stored)


def test_health_and_docs_need_no_key(api: Api) -> None:
    assert api.client.get("/healthz").json()["status"] == "ok"
    assert api.client.get("/docs").status_code == 200
    paths = api.client.get("/openapi.json").json()["paths"]
    assert "/v1/subjects/{subject_id}/recommendations" in paths
