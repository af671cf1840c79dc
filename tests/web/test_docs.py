"""``/docs`` and ``/redoc`` work without internet: every asset they load comes from this
server (the installed package's Swagger UI and ReDoc), and no CDN is referenced anywhere."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.web.conftest import Api

ROOT = Path(__file__).resolve().parents[2]
CDN = re.compile(
    r"cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|fonts\.googleapis\.com"
    r"|fonts\.gstatic\.com|fastapi\.tiangolo\.com/img|validator\.swagger\.io"
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "spec-url"):
            if found.get(name):
                self.urls.append(str(found[name]))
        self._inline = tag == "script" and "src" not in found

    def handle_data(self, data: str) -> None:
        if self._inline:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._inline = False


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_every_asset_of_the_docs_pages_is_served_here(api: Api, page: str) -> None:
    r = api.client.get(page)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "http://" not in r.text and "https://" not in r.text
    links = _Links()
    links.feed(r.text)
    assert len(links.urls) >= 2  # the script and the favicon at least
    for url in links.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        got = api.client.get(url)
        assert got.status_code == 200, url
        assert len(got.content) > 0
    script = (
        "/docs-assets/swagger-ui-bundle.js"
        if page == "/docs"
        else "/docs-assets/redoc.standalone.js"
    )
    assert script in links.urls


def test_swagger_ui_loads_this_servers_openapi_and_no_validator(api: Api) -> None:
    page = api.client.get("/docs").text
    assert "url: '/openapi.json'" in page
    assert '"validatorUrl": null' in page
    assert "/docs-assets/swagger-ui.css" in page
    assert api.client.get("/openapi.json").json()["info"]["title"] == "Tactful"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_carry_a_policy_that_admits_only_this_server(api: Api, page: str) -> None:
    r = api.client.get(page)
    parts = [p.strip().split(" ", 1) for p in r.headers["content-security-policy"].split(";")]
    policy = {name: value for name, value in parts}
    assert policy["default-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    links = _Links()
    links.feed(r.text)
    allowed = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in links.scripts
    }
    assert set(policy["script-src"].split()) == {"'self'", *allowed}
    assert (len(allowed) == 1) is (page == "/docs")  # Swagger UI's one inline start-up


def test_no_cdn_is_referenced_anywhere_in_the_project() -> None:
    sources = [
        p
        for d in ("src", "docs", "scripts", "benchmarks")
        for p in (ROOT / d).rglob("*")
        if p.suffix in {".py", ".html", ".js", ".css", ".md", ".toml", ".j2", ".jinja"}
    ]
    sources += [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / "tactful.example.toml"]
    assert len(sources) > 50
    found = [
        f"{p.relative_to(ROOT)}: {m.group()}" for p in sources for m in CDN.finditer(p.read_text())
    ]
    assert found == []
