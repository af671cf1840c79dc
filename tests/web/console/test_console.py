"""The operator console through the ASGI client, over the stored insights fixture: sign-in,
every page, CSRF, scopes, the hand-off round trip, training and the audited look-up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tactful.app import build
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import InsightsSettings, Settings
from tactful.store import MemoryStores
from tactful.web import create_app
from tests.insights.fixture import END, load
from tests.web.conftest import Clock

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Console:
    def __init__(self, tmp: Path) -> None:
        settings = Settings(model_dir=tmp / "m", insights=InsightsSettings(min_people=2))
        stores = MemoryStores()
        load(stores)
        clock = Clock()
        clock.now = END
        self.app = build(settings, stores, FileModelStore(tmp / "m"), clock=clock)
        self.keys = {
            s: self.app.access.create_key(f"{s} key", [s])[1] for s in ("admin", "read", "ingest")
        }
        self.keys["agent"] = self.app.access.create_key("agent key", ["read", "ingest"])[1]
        self.web = create_app(settings, self.app)

    def client(self, scope: str | None = None) -> TestClient:
        c = TestClient(self.web, raise_server_exceptions=False)
        if scope is not None:
            token = csrf(c.get("/console").text)
            r = c.post("/console/signin", data={"api_key": self.keys[scope], "csrf_token": token})
            assert r.status_code == 200 and "Connection health" in r.text, r.text
        return c


def csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, html
    return found.group(1)


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    found = Console(tmp_path)
    yield found
    found.app.close()


def test_sign_in_form_and_refused_keys(console: Console) -> None:
    c = console.client()
    page = c.get("/console")
    assert page.status_code == 200
    assert '<label for="api_key">API key</label>' in page.text and ">Sign in</button>" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    token = csrf(page.text)
    for bad in ("nope", console.keys["ingest"]):  # unknown; no read scope
        r = c.post("/console/signin", data={"api_key": bad, "csrf_token": token})
        assert r.status_code == 401 and "was not accepted" in r.text
    r = c.post("/console/signin", data={"api_key": console.keys["read"], "csrf_token": "forged"})
    assert r.status_code == 403
    assert c.get("/console/health", follow_redirects=False).headers["location"] == "/console"


def test_every_page_with_its_navigation(console: Console) -> None:
    c = console.client("read")
    for path, text in [
        ("/console/health?days=14", "Withdrawal rate"),
        ("/console/fairness?days=14", "Sensitive items were shown"),
        ("/console/handoffs", "Open and claimed cases"),
        ("/console/models", "No model has been trained yet"),
        ("/console/people", "Subject id"),
        ("/console/audit", "The chain is intact"),
    ]:
        r = c.get(path)
        assert r.status_code == 200, (path, r.text)
        assert text in r.text, path
        for name in ("Health", "Fairness", "Hand-offs", "Models", "People", "Audit"):
            assert f">{name}</a>" in r.text
    health = c.get("/console/health?days=14").text
    assert "66.7 %" in health  # the withdrawal rate of the fixture
    assert "Crossed" in health and "dismissal_rate" in health
    chart = c.get("/console/charts/health.svg?days=14")
    assert chart.headers["content-type"] == "image/svg+xml" and "<svg" in chart.text
    assert c.get("/console/charts/fairness.svg?days=14").status_code == 200


def test_the_hand_off_round_trip_needs_ingest(console: Console) -> None:
    reader = console.client("read")
    queue = reader.get("/console/handoffs").text
    assert '<a href="/console/handoffs/hc3">c</a>' in queue
    page = reader.get("/console/handoffs/hc3").text
    assert "Claiming and resolving need a key with the ingest scope" in page
    refused = reader.post(
        "/console/handoffs/hc3/claim", data={"agent": "x", "csrf_token": csrf(page)}
    )
    assert refused.status_code == 403
    agent = console.client("agent")
    page = agent.get("/console/handoffs/hc3").text
    assert 'value="agent key"' in page  # the key's name is the default agent
    r = agent.post("/console/handoffs/hc3/claim", data={"agent": "Ana", "csrf_token": csrf(page)})
    assert r.status_code == 200 and "The case is yours." in r.text and "Ana" in r.text
    again = agent.post(
        "/console/handoffs/hc3/claim", data={"agent": "Bo", "csrf_token": csrf(r.text)}
    )
    assert again.status_code == 409  # claimed already: the API's rule, as a page
    done = agent.post(
        "/console/handoffs/hc3/resolve", data={"outcome": "Called her", "csrf_token": csrf(r.text)}
    )
    assert done.status_code == 200 and "The case is resolved." in done.text
    assert console.app.handoffs.case("hc3").outcome == "Called her"
    assert "hc3" not in agent.get("/console/handoffs").text


def test_train_now_needs_admin_and_people_lookups_are_audited(console: Console) -> None:
    reader = console.client("read")
    page = reader.get("/console/models").text
    assert "Training needs a key with the admin scope" in page
    assert reader.post("/console/models/train", data={"csrf_token": csrf(page)}).status_code == 403
    admin = console.client("admin")
    page = admin.get("/console/models").text
    r = admin.post("/console/models/train", data={"csrf_token": csrf(page)})
    assert r.status_code == 200 and "Training started." in r.text
    assert "serving" in r.text
    found = reader.get("/console/people?subject_id=a")
    assert found.status_code == 200 and "What we hold about a" in found.text
    last = list(console.app.stores.audit.records())[-1]
    assert last.entry.action == "personal_data.read"
    assert dict(last.entry.detail) == {"resource": "console:people", "operator": "read key"}
