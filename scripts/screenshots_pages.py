"""Screenshots of the person's pages for docs/pages.md, made from the demo shop.

Builds the demo shop in a temporary SQLite database (the same seed as `tactful demo`),
serves it on a free local port, signs in as demo people with their own links and saves
PNGs into docs/img/. Needs Debian's Chromium (`apt-get install -y chromium`; never
`playwright install`) and the [dev] extra (playwright)::

    python scripts/screenshots_pages.py            # writes docs/img/pages-*.png
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
from tactful.app.seed import seed
from tactful.demo import generate
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.sql import open_stores
from tactful.web import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
SEED = 42  # as tactful demo


def _serve(tmp: Path) -> tuple[str, object]:
    url = f"sqlite:///{tmp / 'demo.db'}"
    settings = Settings(database_url=url, model_dir=tmp / "models")
    app = build(settings, open_stores(url), FileModelStore(tmp / "models"))
    seed(app, generate(rng=np.random.default_rng(SEED), now=app.clock()), progress=lambda *_: None)
    app.training.train()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, app), port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    links = {s: app.access.issue_token(s).token for s in ("u0001", "u0002", "u0004")}
    return base, (server, links)


MAX_HEIGHT = 1100
"""Long sections are cut here, so every PNG stays small."""


def _section(page: Page, selector: str, name: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    box["height"] = min(box["height"], MAX_HEIGHT)
    page.screenshot(path=OUT / name, clip=box, full_page=True, animations="disabled")  # type: ignore[arg-type]
    print(f"wrote docs/img/{name}")


def shoot(page: Page, base: str, links: dict[str, str]) -> None:
    page.goto(f"{base}/me?token={links['u0001']}&lang=en")
    page.screenshot(path=OUT / "pages-top.png")
    print("wrote docs/img/pages-top.png")
    _section(page, "#preferences", "pages-preferences.png")
    _section(page, "#recommended", "pages-recommended.png")
    _section(page, "#communities", "pages-communities.png")
    page.locator("li.item a").first.click()
    _section(page, "main", "pages-why.png")
    page.goto(f"{base}/me?token={links['u0002']}")
    _section(page, "#inferences", "pages-inferences.png")
    _section(page, "#data", "pages-data.png")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base, (server, links) = _serve(Path(tmp))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            desk = browser.new_context(viewport={"width": 1000, "height": 760}, locale="en-GB")
            shoot(desk.new_page(), base, links)  # type: ignore[arg-type]
            phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="de-DE")
            page = phone.new_page()
            page.goto(f"{base}/me?token={links['u0004']}")  # type: ignore[index]
            page.screenshot(path=OUT / "pages-mobile-de.png")
            print("wrote docs/img/pages-mobile-de.png")
            browser.close()
        server.should_exit = True  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
