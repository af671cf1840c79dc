"""Subject tokens: signed, expiring bearer tokens that let a person act on their own data.

A token is ``ts_<payload>.<signature>``: the payload is base64url JSON ``{"sub", "iat",
"exp"}`` (seconds since the epoch), the signature an HMAC-SHA256 of the payload under the
token key (see ``keyring``). Tokens are not stored; they end when they expire or when the
secret key changes. An altered, malformed or expired token is ``Unauthorized``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tactful.errors import InvalidInput, Unauthorized
from tactful.privacy.keyring import TOKEN, Keyring
from tactful.types import SubjectId

PREFIX = "ts_"


@dataclass(frozen=True, slots=True)
class SubjectToken:
    token: str
    subject_id: SubjectId
    expires_at: datetime


def is_token(secret: str) -> bool:
    """Whether a bearer credential is a subject token (operator keys start with ``tk_``)."""
    return secret.startswith(PREFIX)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(keyring: Keyring, payload: str) -> str:
    return _b64(bytes.fromhex(keyring.mac(TOKEN, payload.encode())))


def issue(
    keyring: Keyring, subject: SubjectId, *, now: datetime, ttl: timedelta, max_ttl: timedelta
) -> SubjectToken:
    """A token for ``subject`` valid for ``ttl`` (at most ``max_ttl``) from ``now``."""
    if not subject or len(subject) > 200:
        raise InvalidInput("a subject id is 1 to 200 characters", field="subject_id")
    if ttl <= timedelta(0) or ttl > max_ttl:
        raise InvalidInput(
            f"ttl must be positive and at most {max_ttl.total_seconds():.0f} seconds",
            field="ttl",
        )
    issued = int(now.timestamp())
    expires = issued + int(ttl.total_seconds())
    body = json.dumps({"sub": subject, "iat": issued, "exp": expires}, separators=(",", ":"))
    payload = _b64(body.encode())
    token = f"{PREFIX}{payload}.{_signature(keyring, payload)}"
    return SubjectToken(token, subject, datetime.fromtimestamp(expires, UTC))


def _claims(keyring: Keyring, token: str) -> dict[str, Any]:
    payload, dot, signature = token.removeprefix(PREFIX).partition(".")
    expected = _signature(keyring, payload).encode()
    if not dot or not hmac.compare_digest(signature.encode(), expected):
        raise Unauthorized("invalid subject token")
    try:
        claims = json.loads(_unb64(payload))
    except (ValueError, binascii.Error):
        raise Unauthorized("invalid subject token") from None
    if (
        not isinstance(claims, dict)
        or not isinstance(claims.get("sub"), str)
        or not isinstance(claims.get("exp"), int)
    ):
        raise Unauthorized("invalid subject token")
    return claims


def verify(keyring: Keyring, token: str, *, now: datetime) -> SubjectId:
    """The subject a valid, unexpired token belongs to; ``Unauthorized`` otherwise."""
    if not is_token(token):
        raise Unauthorized("not a subject token")
    claims = _claims(keyring, token)
    if claims["exp"] <= now.timestamp():
        raise Unauthorized("subject token expired; ask for a new one")
    subject: SubjectId = claims["sub"]
    return subject
