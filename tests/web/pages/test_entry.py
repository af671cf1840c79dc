"""Getting in: the token link, the session cookie, 401s in plain words, signing out, and
the headers every page carries."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.web.pages.conftest import Shop, make_shop
from tests.web.pages.world import ANN, csrf


def test_the_api_issues_a_token_and_the_link_to_the_page(shop: Shop) -> None:
    c = shop.client()
    r = c.post(f"/v1/subjects/{ANN}/tokens", headers=shop.admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"token", "url", "expires_at"} <= body.keys()
    assert body["url"] == f"http://testserver/me?token={body['token']}"
    assert c.post(f"/v1/subjects/{ANN}/tokens", headers=shop.read).status_code == 403


def test_the_link_uses_pages_base_url(tmp_path: Path) -> None:
    shop = next(make_shop(tmp_path, pages={"base_url": "https://prefs.example.com/"}))
    body = shop.client().post(f"/v1/subjects/{ANN}/tokens", headers=shop.admin).json()
    assert body["url"].startswith("https://prefs.example.com/me?token=ts_")


def test_the_token_becomes_a_session_and_leaves_the_address(shop: Shop) -> None:
    c = shop.client()
    token = shop.app.access.issue_token(ANN).token
    r = c.get("/me", params={"token": token})
    assert r.status_code == 303
    assert r.headers["location"] == "/me"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain HTTP here
    page = c.get("/me")
    assert page.status_code == 200
    assert "Trail shoe" in page.text and "Tent" not in page.text  # Ann runs
    assert token not in page.text


def test_the_cookie_is_secure_behind_https(shop: Shop) -> None:
    c = shop.client(base_url="https://testserver")
    r = c.get("/me", params={"token": shop.app.access.issue_token(ANN).token})
    assert "secure" in r.headers["set-cookie"].lower()


def test_bad_expired_or_missing_credentials_get_a_plain_401_page(shop: Shop) -> None:
    c = shop.client()
    expired = shop.app.access.issue_token(ANN, ttl=timedelta(minutes=5)).token
    key = shop.admin["Authorization"].split()[1]
    for token in ("nonsense", expired[:-3] + "abc", key):
        r = c.get("/me", params={"token": token})
        assert r.status_code == 401, token
        assert "text/html" in r.headers["content-type"]
        assert "This link is not valid any more" in r.text
    shop.clock.now += timedelta(minutes=6)
    assert c.get("/me", params={"token": expired}).status_code == 401
    r = c.get("/me")
    assert r.status_code == 401 and "Please sign in again" in r.text
    for path in ("/me/why/run1", "/me/export.json", "/me/export.zip", "/me/delete"):
        assert c.get(path).status_code == 401, path


def test_sign_out_ends_the_session(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    r = c.post("/me/signout", data={"csrf_token": shop.token_for(c)})
    assert r.status_code == 303 and r.headers["location"] == "/me/signed-out"
    assert "You are signed out." in c.get("/me/signed-out").text
    assert c.get("/me").status_code == 401


def test_a_new_link_starts_a_new_session_with_a_new_csrf_token(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    first = shop.token_for(c)
    c.get("/me", params={"token": shop.app.access.issue_token(ANN).token})
    assert shop.token_for(c) != first


def test_pages_send_csp_referrer_policy_and_frame_ancestors(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    for r in (c.get("/me"), c.get("/me/why/run1"), shop.client().get("/me")):
        csp = r.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["cache-control"] == "no-store"
    api = shop.client().get("/healthz")
    assert "content-security-policy" not in api.headers  # the API is left alone


def test_frame_ancestors_come_from_the_setting(tmp_path: Path) -> None:
    allowed = "'self' https://www.example.com"
    shop = next(make_shop(tmp_path, pages={"frame_ancestors": allowed}))
    r = shop.signed_in(ANN).get("/me")
    assert r.headers["content-security-policy"].endswith(f"frame-ancestors {allowed}")
    assert "x-frame-options" not in r.headers


def test_every_form_carries_the_session_csrf_token(shop: Shop) -> None:
    c = shop.signed_in(ANN)
    html = c.get("/me").text
    token = csrf(html)
    assert html.count("<form") == html.count(f'value="{token}"') + html.count('method="get"')
