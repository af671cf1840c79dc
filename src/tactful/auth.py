"""Operator API keys: random secrets shown once, stored only as SHA-256 digests, with scopes.
``admin`` implies every other scope."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from tactful.errors import Forbidden, InvalidInput, Unauthorized
from tactful.store.ports import KeyStore
from tactful.types import ApiKey, Scope

PREFIX = "tk_"


def digest(secret: str) -> str:
    """Keys are 256-bit random, so a plain SHA-256 is a safe, fast lookup digest."""
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(names: Iterable[str]) -> frozenset[Scope]:
    scopes: set[Scope] = set()
    for name in names:
        try:
            scopes.add(Scope(name))
        except ValueError:
            known = ", ".join(s.value for s in Scope)
            raise InvalidInput(f"unknown scope {name!r}; known: {known}", field="scope") from None
    if not scopes:
        raise InvalidInput("at least one scope is required", field="scope")
    return frozenset(scopes)


def create_key(
    keys: KeyStore, *, name: str, scopes: frozenset[Scope], now: datetime
) -> tuple[ApiKey, str]:
    """A new key; the secret is returned once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(secrets.token_hex(8), name, scopes, digest(secret), now)
    keys.add(key)
    return key, secret


def authenticate(keys: KeyStore, secret: str | None) -> ApiKey:
    if not secret:
        raise Unauthorized("missing API key: send 'Authorization: Bearer <key>'")
    key = keys.by_hash(digest(secret))
    if key is None:
        raise Unauthorized("unknown or revoked API key")
    return key


class KeyCache:
    """``authenticate`` that remembers keys it found valid, by digest, for ``seconds``:
    the key table is read at most that often per key and worker. Unknown keys are looked
    up every time. Keys are never revoked in place today; were one deleted, it would stop
    working within ``seconds`` in every worker."""

    MAX_KEYS = 1024

    def __init__(
        self,
        keys: KeyStore,
        *,
        seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys = keys
        self._seconds = seconds
        self._monotonic = monotonic
        self._seen: dict[str, tuple[ApiKey, float]] = {}

    def authenticate(self, secret: str | None) -> ApiKey:
        if not secret:
            return authenticate(self._keys, secret)
        hashed, now = digest(secret), self._monotonic()
        hit = self._seen.get(hashed)
        if hit is not None and now - hit[1] < self._seconds:
            return hit[0]
        key = authenticate(self._keys, secret)
        if len(self._seen) >= self.MAX_KEYS:
            self._seen.clear()
        self._seen[hashed] = (key, now)
        return key


def require(key: ApiKey, scope: Scope) -> None:
    if scope not in key.scopes and Scope.ADMIN not in key.scopes:
        have = ", ".join(sorted(s.value for s in key.scopes))
        raise Forbidden(f"this key lacks the '{scope.value}' scope (it has: {have})")
