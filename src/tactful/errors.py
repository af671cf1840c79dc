"""The one error tree of Tactful.

::

    TactfulError
    ├── InvalidInput        bad input; names the field and the reason      HTTP 422, exit 2
    │   └── PayloadTooLarge a batch or body over the limit                 HTTP 413, exit 2
    ├── ConsentRequired     the purpose that would allow it is not granted HTTP 403, exit 3
    ├── NotFound            an unknown item, model, case ...               HTTP 404, exit 4
    ├── NotFitted           no trained model yet                           HTTP 409, exit 5
    ├── Conflict            the state forbids it (e.g. erased subject)     HTTP 409, exit 5
    ├── Unauthorized        no or bad credentials                          HTTP 401, exit 6
    ├── Forbidden           credentials lack the scope                     HTTP 403, exit 6
    └── StoreError          the database failed                            HTTP 503, exit 7

The mapping to HTTP lives in ``tactful.web.errors``, to exit codes in ``tactful.cli.errors``.
The core raises these and never imports a web framework.
"""

from __future__ import annotations


class TactfulError(Exception):
    """Base of every error Tactful raises on purpose."""

    code = "error"

    def __init__(
        self, message: str, *, field: str | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reason = reason
        """A stable machine reason (e.g. ``consent_required:community``), if one is given."""

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"error": self.code, "message": self.message}
        if self.field is not None:
            out["field"] = self.field
        if self.reason is not None:
            out["errors"] = [{"field": self.field or "body", "reason": self.reason}]
        return out


class InvalidInput(TactfulError):
    code = "invalid_input"


class PayloadTooLarge(InvalidInput):
    code = "payload_too_large"


class ConsentRequired(TactfulError):
    code = "consent_required"


class NotFound(TactfulError):
    code = "not_found"


class NotFitted(TactfulError):
    code = "not_fitted"


class Conflict(TactfulError):
    code = "conflict"


class Unauthorized(TactfulError):
    code = "unauthorized"


class Forbidden(TactfulError):
    code = "forbidden"


class StoreError(TactfulError):
    code = "store_error"
