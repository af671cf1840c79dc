"""Who is acting on a person's data: an operator key, the person (with a subject token), the
command line or the system itself. Subject endpoints accept both kinds of bearer credential;
operator keys keep their scopes, a subject token works only for its own subject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from tactful import auth
from tactful.errors import Forbidden
from tactful.privacy import tokens
from tactful.privacy.keyring import Keyring
from tactful.store.ports import KeyStore
from tactful.types import ApiKey, Scope, SubjectId

Kind = Literal["operator", "subject", "cli", "system"]


@dataclass(frozen=True, slots=True)
class Actor:
    """``label`` is what the audit log records: ``key:<key id>``, ``subject``, ``cli`` or
    ``system`` (never a subject id)."""

    kind: Kind
    key: ApiKey | None = None

    @property
    def label(self) -> str:
        return f"key:{self.key.key_id}" if self.key is not None else self.kind

    @property
    def operator(self) -> bool:
        return self.kind == "operator"


CLI = Actor("cli")
SYSTEM = Actor("system")
SUBJECT = Actor("subject")


def operator(key: ApiKey) -> Actor:
    return Actor("operator", key)


def authorize_subject(
    keys: KeyStore,
    keyring: Keyring,
    secret: str | None,
    *,
    scope: Scope,
    subject: SubjectId,
    now: datetime,
) -> Actor:
    """An operator key with ``scope`` (or admin), or a valid subject token for ``subject``.
    No or bad credentials: ``Unauthorized``; another person's token or a key without the
    scope: ``Forbidden``."""
    if secret is not None and tokens.is_token(secret):
        owner = tokens.verify(keyring, secret, now=now)
        if owner != subject:
            raise Forbidden("this subject token is for another person; it opens only its own data")
        return SUBJECT
    key = auth.authenticate(keys, secret)
    auth.require(key, scope)
    return operator(key)
