"""Subject tokens: signed, expiring, for one person only. Unit checks of the token itself and
the access matrix through the REST API (operator keys keep working exactly as before)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from tactful.errors import Forbidden, InvalidInput, Unauthorized
from tactful.privacy import Keyring
from tactful.privacy.tokens import issue, verify
from tests.privacy.conftest import Bed

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
RING = Keyring("token-test-secret")
DAY = timedelta(days=1)


def test_a_token_names_its_subject_until_it_expires() -> None:
    t = issue(RING, "alice", now=T0, ttl=timedelta(hours=1), max_ttl=DAY)
    assert t.token.startswith("ts_")
    assert t.expires_at == T0 + timedelta(hours=1)
    assert verify(RING, t.token, now=T0 + timedelta(minutes=59)) == "alice"
    with pytest.raises(Unauthorized, match="expired"):
        verify(RING, t.token, now=T0 + timedelta(hours=1))


def _forge(token: str, **claims: object) -> str:
    payload, sig = token.removeprefix("ts_").split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=="))
    body.update(claims)
    raw = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    return f"ts_{raw}.{sig}"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: _forge(t, sub="mallory"),
        lambda t: _forge(t, exp=2_000_000_000),
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: t.split(".")[0],
        lambda t: t + "é",
        lambda t: "ts_not-base64!.x",
        lambda t: issue(Keyring("other"), "alice", now=T0, ttl=DAY, max_ttl=DAY).token,
    ],
    ids=["other subject", "later expiry", "signature", "no signature", "non-ascii", "garbage",
         "other secret"],
)  # fmt: skip
def test_an_altered_token_is_refused(mangle: object) -> None:
    t = issue(RING, "alice", now=T0, ttl=DAY, max_ttl=DAY).token
    assert callable(mangle)
    with pytest.raises(Unauthorized):
        verify(RING, mangle(t), now=T0)


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(seconds=-1), DAY * 31])
def test_lifetimes_are_bounded(ttl: timedelta) -> None:
    with pytest.raises(InvalidInput) as err:
        issue(RING, "alice", now=T0, ttl=ttl, max_ttl=DAY * 30)
    assert err.value.field == "ttl"


def token_for(bed: Bed, subject: str, **body: object) -> str:
    r = bed.client.post(f"/v1/subjects/{subject}/tokens", json=body or None, headers=bed.admin)
    assert r.status_code == 200, r.text
    out: str = r.json()["token"]
    return out


SUBJECT_ENDPOINTS = [
    ("GET", "/v1/subjects/{s}/export", None),
    ("GET", "/v1/subjects/{s}/consents", None),
    ("PUT", "/v1/subjects/{s}/consents",
     {"decisions": [{"purpose": "analytics", "decision": "denied"}]}),
    ("GET", "/v1/subjects/{s}/preferences", None),
    ("PUT", "/v1/subjects/{s}/preferences", {"max_recommendations": 3}),
    ("DELETE", "/v1/subjects/{s}/signals/interest:odd", None),
    ("DELETE", "/v1/subjects/{s}", None),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body"), SUBJECT_ENDPOINTS)
def test_a_token_opens_its_own_data_only(bed: Bed, method: str, path: str, body: object) -> None:
    alice = bed.bearer(token_for(bed, "alice"))
    own = bed.client.request(method, path.format(s="alice"), json=body, headers=alice)
    assert own.status_code == 200, own.text
    other = bed.client.request(method, path.format(s="bob"), json=body, headers=alice)
    assert other.status_code == 403
    assert other.json()["error"] == "forbidden"


@pytest.mark.parametrize(("method", "path", "body"), SUBJECT_ENDPOINTS)
def test_expired_or_altered_tokens_get_401(bed: Bed, method: str, path: str, body: object) -> None:
    token = token_for(bed, "alice", ttl_minutes=5)
    altered = _forge(token, sub="alice-2")
    r = bed.client.request(method, path.format(s="alice-2"), json=body, headers=bed.bearer(altered))
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    bed.clock.now += timedelta(minutes=5)
    r = bed.client.request(method, path.format(s="alice"), json=body, headers=bed.bearer(token))
    assert r.status_code == 401
    assert "expired" in r.json()["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/subjects/alice/recommendations"), ("POST", "/v1/models/train"),
     ("POST", "/v1/retention/run"), ("GET", "/v1/audit/verify"),
     ("POST", "/v1/subjects/alice/tokens"), ("GET", "/v1/items/i1")],
)  # fmt: skip
def test_a_token_is_no_operator_key(bed: Bed, method: str, path: str) -> None:
    alice = bed.bearer(token_for(bed, "alice"))
    assert bed.client.request(method, path, headers=alice).status_code == 401


def test_operator_keys_keep_their_scopes_on_subject_endpoints(bed: Bed) -> None:
    path = "/v1/subjects/alice/consents"
    body = {"decisions": [{"purpose": "analytics", "decision": "granted"}]}
    assert bed.client.put(path, json=body, headers=bed.ingest).status_code == 200
    assert bed.client.put(path, json=body, headers=bed.read).status_code == 403
    assert bed.client.get(path, headers=bed.read).status_code == 200
    assert bed.client.get(path).status_code == 401
    assert bed.client.get("/v1/subjects/alice/export", headers=bed.ingest).status_code == 403
    assert bed.client.get("/v1/subjects/alice/export", headers=bed.read).status_code == 200


def test_the_subject_token_rule_in_one_call() -> None:
    from tactful.privacy.access import authorize_subject
    from tactful.store import MemoryStores
    from tactful.types import Scope

    keys = MemoryStores().keys
    token = issue(RING, "alice", now=T0, ttl=DAY, max_ttl=DAY).token
    who = authorize_subject(keys, RING, token, scope=Scope.ADMIN, subject="alice", now=T0)
    assert who.label == "subject"
    with pytest.raises(Forbidden):
        authorize_subject(keys, RING, token, scope=Scope.READ, subject="bob", now=T0)
    with pytest.raises(Unauthorized):
        authorize_subject(keys, RING, None, scope=Scope.READ, subject="alice", now=T0)
