"""The link to a person's own page, as e-mails and account pages carry it."""

from __future__ import annotations

from urllib.parse import quote


def page_link(base: str, token: str) -> str:
    """``<base>/me?token=<token>`` (``base`` with or without a trailing slash)."""
    return f"{base.rstrip('/')}/me?token={quote(token, safe='')}"
