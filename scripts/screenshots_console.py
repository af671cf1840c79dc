"""Screenshots of the operator console for docs/console.md, made from the demo shop.

Builds the demo shop in a temporary SQLite database (the same seed as `tactful demo`, with
its five weeks of replayed history), serves it on a free local port, signs in with an
operator key and saves PNGs into docs/img/. Needs Debian's Chromium (never
`playwright install`) and the [dev] extra (playwright)::

    python scripts/screenshots_console.py          # writes docs/img/console-*.png
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import uvicorn
from playwright.sync_api import Page, sync_playwright

from tactful.app import build
from tactful.app.history import replay
from tactful.app.seed import seed
from tactful.demo import generate
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.sql import open_stores
from tactful.web import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
SEED = 42  # as tactful demo
MAX_HEIGHT = 1400


def _serve(tmp: Path) -> tuple[str, str, uvicorn.Server]:
    url = f"sqlite:///{tmp / 'demo.db'}"
    settings = Settings(database_url=url, model_dir=tmp / "models")
    app = build(settings, open_stores(url), FileModelStore(tmp / "models"))
    shop = generate(rng=np.random.default_rng(SEED), now=app.clock())
    seed(app, shop, progress=lambda *_: None)
    app.training.train()
    replay(app, shop.favourites, rng=np.random.default_rng(SEED))
    _, secret = app.access.create_key("Dana (operations)", ["admin"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, app), port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", secret, server


def _shot(page: Page, name: str) -> None:
    box = page.locator("body").bounding_box()
    assert box is not None
    box["height"] = min(box["height"], MAX_HEIGHT)
    page.screenshot(path=OUT / name, clip=box, full_page=True, animations="disabled")  # type: ignore[arg-type]
    print(f"wrote docs/img/{name}")


def shoot(page: Page, base: str, secret: str) -> None:
    page.goto(f"{base}/console")
    _shot(page, "console-signin.png")
    page.get_by_label("API key").fill(secret)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/console/health")
    page.wait_for_load_state("networkidle")
    _shot(page, "console-health.png")
    for path, name in (
        ("fairness", "console-fairness.png"),
        ("handoffs", "console-handoffs.png"),
        ("models", "console-models.png"),
        ("audit", "console-audit.png"),
    ):
        page.goto(f"{base}/console/{path}")
        page.wait_for_load_state("networkidle")
        _shot(page, name)
    page.goto(f"{base}/console/handoffs")
    cases = page.locator("table a")
    if cases.count():
        cases.first.click()
        _shot(page, "console-case.png")
    page.goto(f"{base}/console/people?subject_id=u0002")
    _shot(page, "console-people.png")
    simulation(page, base)


def simulation(page: Page, base: str) -> None:
    """Start a small simulation from its page, wait for it, and shoot the list and the
    comparison (a few hundred people: the shot shows the page, not a finding)."""
    page.goto(f"{base}/console/simulations")
    for label, value in (("People", "300"), ("Weeks", "8"), ("Seed", "1")):
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Start the simulation").click()
    while page.get_by_role("heading", name="Comparison").count() == 0:
        time.sleep(1)
        page.reload()
    page.wait_for_load_state("networkidle")
    _shot(page, "console-simulation.png")
    page.goto(f"{base}/console/simulations")
    _shot(page, "console-simulations.png")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base, secret, server = _serve(Path(tmp))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            desk = browser.new_context(viewport={"width": 1200, "height": 800}, locale="en-GB")
            shoot(desk.new_page(), base, secret)
            browser.close()
        server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
