"""Keys derived from the one secret in settings, one per use, and pseudonyms of subject ids.

Every use (pseudonyms, subject tokens, the audit seal) gets its own key,
``HMAC-SHA256(secret, "tactful/<use>")``, so a value made for one use is worthless for another.
Changing ``secret_key`` changes every pseudonym: tombstones stop matching, tokens stop working
and the audit head no longer verifies, so keep it stable.
"""

from __future__ import annotations

import hashlib
import hmac

from tactful.types import SubjectId

PSEUDONYM = "pseudonym/v1"
TOKEN = "subject-token/v1"
SESSION = "pages-session/v1"
AUDIT = "audit-seal/v1"


class Keyring:
    """Derived keys and keyed hashes over one secret."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()
        self._keys: dict[str, bytes] = {}

    def key(self, use: str) -> bytes:
        """The key for one use, derived once and cached."""
        found = self._keys.get(use)
        if found is None:
            found = hmac.new(self._secret, f"tactful/{use}".encode(), hashlib.sha256).digest()
            self._keys[use] = found
        return found

    def mac(self, use: str, data: bytes) -> str:
        """HMAC-SHA256 of ``data`` under the key for ``use``, as 64 hex digits."""
        return hmac.new(self.key(use), data, hashlib.sha256).hexdigest()

    def pseudonym(self, subject: SubjectId) -> str:
        """The keyed hash that stands for a subject id wherever the id itself must not be
        kept (tombstones, the audit log). Without the secret it cannot be reversed or
        recomputed from a guessed id."""
        return self.mac(PSEUDONYM, subject.encode())
