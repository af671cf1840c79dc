"""Browser tests: Playwright driving Debian's Chromium (``/usr/bin/chromium``; never
``playwright install``) against a real server (uvicorn in a thread, on a free port) over a
temporary SQLite database seeded with the shop of ``tests/web/pages/world.py``.

One browser and one server per test module (Playwright's sync API holds an event
loop on the main thread while it runs, so it must end before other modules use asyncio);
each test gets a fresh browser context (its own cookies) and, where it changes data, a
person of its own. Without Chromium the tests skip
with a message, except in CI (``CI=true``), where they fail: CI must run them."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from tactful.app import Tactful, build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.sql import open_stores
from tactful.web import create_app
from tests.web.conftest import Clock
from tests.web.pages.world import seed

CHROMIUM = os.environ.get("TACTFUL_CHROMIUM", "/usr/bin/chromium")


def _require_chromium() -> None:
    reason = None
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        reason = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    else:
        try:
            import axe_playwright_python  # noqa: F401
            import playwright.sync_api  # noqa: F401
        except ImportError as e:
            reason = f"playwright or axe-playwright-python is not installed ({e})"
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@dataclass
class Server:
    base: str
    admin: dict[str, str]
    read: dict[str, str]

    def api(self, method: str, path: str, **kw: Any) -> Any:
        headers = kw.pop("headers", self.read)
        r = httpx.request(method, self.base + path, headers=headers, timeout=30, **kw)
        assert r.status_code < 400, r.text
        return r.json()

    def link(self, subject: str, **query: str) -> str:
        url: str = self.api("POST", f"/v1/subjects/{subject}/tokens", headers=self.admin)["url"]
        extra = "".join(f"&{k}={v}" for k, v in query.items())
        return url + extra


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(settings: Settings, app: Tactful, *, admin: str, read: str) -> Iterator[Server]:
    """The app served by uvicorn in a thread on a free port, until the block ends."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, app), host="127.0.0.1", port=port, log_level="warning"
    )
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not web.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        yield Server(
            f"http://127.0.0.1:{port}",
            {"Authorization": f"Bearer {admin}"},
            {"Authorization": f"Bearer {read}"},
        )
    finally:
        web.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _require_chromium()
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'tactful.db'}"
    settings = Settings(database_url=url, model_dir=tmp / "models")
    app = build(settings, open_stores(url), FileModelStore(tmp / "models"), clock=Clock())
    seed(app)
    admin, read = (app.access.create_key(n, [n])[1] for n in ("admin", "read"))
    with serving(settings, app, admin=admin, read=read) as running:
        yield running
    app.close()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        found = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield found
        found.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    context.set_default_timeout(15_000)
    found = context.new_page()
    yield found
    context.close()


def axe_clean(page: Any) -> None:
    """axe-core finds no violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
