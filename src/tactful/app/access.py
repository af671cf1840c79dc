"""Who may do what: operator keys with scopes, and people's own subject tokens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from tactful import auth
from tactful.app.trail import AuditTrail
from tactful.errors import Unauthorized
from tactful.privacy import tokens
from tactful.privacy.access import SYSTEM, Actor, authorize_subject
from tactful.privacy.audit import Action
from tactful.privacy.keyring import Keyring
from tactful.privacy.tokens import SubjectToken
from tactful.settings import PrivacySettings
from tactful.store.ports import KeyStore
from tactful.types import ApiKey, Scope, SubjectId


class Access:
    """Operator keys (created, checked with a short trust cache) and subject tokens."""

    def __init__(
        self,
        keys: KeyStore,
        keyring: Keyring,
        trail: AuditTrail,
        settings: PrivacySettings,
        *,
        key_cache_seconds: float,
        clock: Callable[[], datetime],
    ) -> None:
        self._keys = keys
        self._keyring = keyring
        self._trail = trail
        self._settings = settings
        self._cache = auth.KeyCache(keys, seconds=key_cache_seconds)
        self._clock = clock

    def create_key(self, name: str, scopes: Sequence[str]) -> tuple[ApiKey, str]:
        """A new operator key and its secret (shown once; only its digest is stored)."""
        return auth.create_key(
            self._keys, name=name, scopes=auth.parse_scopes(scopes), now=self._clock()
        )

    def authorize(self, secret: str | None, scope: Scope) -> ApiKey:
        """The operator key behind ``secret`` if it holds ``scope`` (or ``admin``)."""
        key = self._cache.authenticate(secret)
        auth.require(key, scope)
        return key

    def authorize_subject(self, secret: str | None, scope: Scope, subject: SubjectId) -> Actor:
        """An operator key with ``scope``, or the person's own subject token."""
        return authorize_subject(
            self._keys, self._keyring, secret, scope=scope, subject=subject, now=self._clock()
        )

    def subject_of(self, token: str | None) -> SubjectId:
        """The person a subject token opens (``Unauthorized`` if it is missing, altered,
        expired or not a subject token): how a page session begins."""
        if not token or not tokens.is_token(token):
            raise Unauthorized("this link is not a valid sign-in link")
        return tokens.verify(self._keyring, token, now=self._clock())

    def note_read(self, actor: Actor, subject: SubjectId, resource: str) -> None:
        """Audit an operator's read of a person's data (people reading their own are not)."""
        if actor.operator:
            self._trail.record(Action.PERSONAL_DATA_READ, actor, subject, {"resource": resource})

    def issue_token(
        self, subject: SubjectId, *, ttl: timedelta | None = None, actor: Actor = SYSTEM
    ) -> SubjectToken:
        """A signed, expiring token that lets the person act on their own data only."""
        token = tokens.issue(
            self._keyring,
            subject,
            now=self._clock(),
            ttl=ttl if ttl is not None else timedelta(minutes=self._settings.token_ttl_minutes),
            max_ttl=timedelta(days=self._settings.token_max_ttl_days),
        )
        detail = {"expires_at": token.expires_at.isoformat()}
        self._trail.record(Action.TOKEN_ISSUED, actor, subject, detail)
        return token
