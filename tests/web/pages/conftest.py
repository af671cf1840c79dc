"""The person's pages over the seeded shop (memory stores, fixed clock), with helpers to
sign a client in as someone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tactful.app import Tactful, build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.store import MemoryStores
from tactful.web import create_app
from tests.web.conftest import Clock
from tests.web.pages.world import csrf, seed


@dataclass
class Shop:
    app: Tactful
    clock: Clock
    admin: dict[str, str]
    read: dict[str, str]

    def client(self, **kw: object) -> TestClient:
        return TestClient(create_app(self.app.settings, self.app), follow_redirects=False, **kw)  # type: ignore[arg-type]

    def signed_in(self, subject: str) -> TestClient:
        """A client with a page session for ``subject``, on its page."""
        c = self.client()
        token = self.app.access.issue_token(subject).token
        r = c.get("/me", params={"token": token})
        assert r.status_code == 303, r.text
        return c

    def token_for(self, client: TestClient) -> str:
        r = client.get("/me")
        assert r.status_code == 200, r.text
        return csrf(r.text)


def make_shop(tmp_path: Path, **settings: object) -> Iterator[Shop]:
    s = Settings(model_dir=tmp_path / "models", **settings)  # type: ignore[arg-type]
    clock = Clock()
    app = build(s, MemoryStores(), FileModelStore(tmp_path / "models"), clock=clock)
    seed(app)
    keys = {
        n: {"Authorization": f"Bearer {app.access.create_key(n, [n])[1]}"}
        for n in ("admin", "read")
    }
    yield Shop(app, clock, keys["admin"], keys["read"])
    app.close()


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    yield from make_shop(tmp_path)
