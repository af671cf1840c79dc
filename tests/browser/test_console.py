"""The operator console in Debian's Chromium: sign-in by label, every page axe-clean with
its navigation and charts, no request leaves the server, keyboard use, the hand-off
claim / resolve round trip checked through the REST API, and a small simulation started
from the Simulations page whose comparison matches ``GET /v1/simulations/{id}``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tactful.app import build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import InsightsSettings, Settings
from tactful.simulate.report import number_text
from tactful.sql import open_stores
from tests.browser.conftest import Server, _require_chromium, axe_clean, serving
from tests.insights.fixture import END, load
from tests.web.conftest import Clock

Page = Any
KEYS: dict[str, str] = {}
NAV = ("Health", "Fairness", "Hand-offs", "Models", "People", "Audit", "Simulations")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _require_chromium()
    tmp = tmp_path_factory.mktemp("console")
    url = f"sqlite:///{tmp / 'tactful.db'}"
    settings = Settings(
        database_url=url, model_dir=tmp / "models", insights=InsightsSettings(min_people=2)
    )
    stores = open_stores(url)
    load(stores)
    clock = Clock()
    clock.now = END
    app = build(settings, stores, FileModelStore(tmp / "models"), clock=clock)
    for name, scopes in (("admin", ["admin"]), ("read", ["read"]), ("agent", ["read", "ingest"])):
        KEYS[name] = app.access.create_key(f"{name} key", scopes)[1]
    with serving(settings, app, admin=KEYS["admin"], read=KEYS["read"]) as running:
        yield running
    app.close()


def sign_in(page: Page, server: Server, key: str) -> None:
    page.goto(f"{server.base}/console")
    page.get_by_label("API key").fill(KEYS[key])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.base}/console/health")


def test_sign_in_then_every_page_is_clean(page: Page, server: Server) -> None:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(f"{server.base}/console")
    axe_clean(page)
    sign_in(page, server, "read")
    assert page.get_by_role("heading", name="Connection health").is_visible()
    for name in NAV:
        page.get_by_role("navigation", name="Console").get_by_role("link", name=name).click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name=name).get_attribute("aria-current") == "page"
        axe_clean(page)
    page.goto(f"{server.base}/console/health?days=14")
    chart = page.get_by_role("img", name="Weekly charts of the connection health figures")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "66.7 %" in page.content()
    page.goto(f"{server.base}/console/fairness?days=14")
    assert page.get_by_role("alert").inner_text().startswith("Sensitive items were shown")
    assert all(u.startswith(server.base) for u in asked), [
        u for u in asked if not u.startswith(server.base)
    ]


def test_people_look_up_and_audit(page: Page, server: Server) -> None:
    sign_in(page, server, "read")
    page.goto(f"{server.base}/console/people")
    page.get_by_label("Subject id").fill("a")
    page.get_by_role("button", name="Look up").click()
    assert page.get_by_role("heading", name="What we hold about a").is_visible()
    axe_clean(page)
    page.goto(f"{server.base}/console/audit")
    assert "The chain is intact" in page.content()
    assert "console:people" in page.content() and "read key" in page.content()


def test_keyboard_only_sign_in(page: Page, server: Server) -> None:
    page.goto(f"{server.base}/console")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "api_key":
            break
    assert page.evaluate("document.activeElement.id") == "api_key"
    page.keyboard.type(KEYS["read"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.base}/console/health")


def test_claim_and_resolve_a_hand_off(page: Page, server: Server) -> None:
    sign_in(page, server, "agent")
    page.get_by_role("link", name="Hand-offs").click()
    page.get_by_role("link", name="c", exact=True).click()
    axe_clean(page)
    assert page.get_by_label("Agent").input_value() == "agent key"
    page.get_by_label("Agent").fill("Ana")
    page.get_by_role("button", name="Claim").click()
    assert page.get_by_role("status").inner_text() == "The case is yours."
    assert server.api("GET", "/v1/handoffs/hc3")["claimed_by"] == "Ana"
    page.get_by_label("Outcome").fill("Called her; she is fine")
    page.get_by_role("button", name="Resolve").click()
    assert page.get_by_role("status").inner_text() == "The case is resolved."
    case = server.api("GET", "/v1/handoffs/hc3")
    assert (case["status"], case["outcome"]) == ("resolved", "Called her; she is fine")
    axe_clean(page)


def test_train_now_with_an_admin_key(page: Page, server: Server) -> None:
    sign_in(page, server, "admin")
    page.goto(f"{server.base}/console/models")
    page.get_by_role("button", name="Train now").click()
    assert page.get_by_role("status").inner_text() == "Training started."
    axe_clean(page)


def test_start_a_simulation_and_read_its_comparison(page: Page, server: Server) -> None:
    sign_in(page, server, "read")
    page.get_by_role("link", name="Simulations").click()
    assert "needs a key with the admin scope" in page.content()
    assert page.get_by_role("button", name="Start the simulation").count() == 0
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, server, "admin")
    page.goto(f"{server.base}/console/simulations")
    page.get_by_label("baseline").uncheck()
    page.get_by_label("People").fill("50")
    page.get_by_label("Weeks").fill("1")
    page.get_by_label("Seed").fill("5")
    page.get_by_label("Weeks").press("Enter")  # the keyboard submits the form
    assert page.get_by_role("status").inner_text() == "The simulation started."
    sid = page.url.rsplit("/", 1)[1]
    deadline = time.monotonic() + 120
    while page.get_by_role("heading", name="Comparison").count() == 0:
        assert time.monotonic() < deadline, "the simulation did not finish"
        time.sleep(0.5)
        page.reload()
    axe_clean(page)
    chart = page.get_by_role("img", name="Weekly curves of every figure")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    result = server.api("GET", f"/v1/simulations/{sid}", headers=server.admin)["result"]
    purchases = result["policies"]["tactful"]["summary"]["purchases"]
    row = page.get_by_role("row", name="Purchases").first
    assert row.get_by_role("cell").first.inner_text() == number_text(purchases)
    page.get_by_role("link", name="All simulations").click()
    assert page.get_by_role("link", name=sid).is_visible()
    axe_clean(page)


def test_the_console_in_german(browser: Any, server: Server) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    try:
        page.goto(f"{server.base}/console")
        page.get_by_label("API-Schlüssel").fill(KEYS["read"])
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(f"{server.base}/console/health")
        assert page.get_by_role("heading", name="Verbindungsgesundheit").is_visible()
        assert page.locator("html").get_attribute("lang") == "de"
        axe_clean(page)
        page.get_by_role("link", name="Übergaben").click()
        assert page.get_by_role("heading", name="Übergaben").is_visible()
        axe_clean(page)
        page.get_by_role("link", name="Simulationen").click()
        assert page.get_by_role("heading", name="Simulationen", exact=True).is_visible()
        assert "keine Vorhersage" in page.content()
        axe_clean(page)
    finally:
        context.close()
