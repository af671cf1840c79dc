"""The console's Simulations page through the ASGI client: the list, starting one (admin,
CSRF, the API's checks), a finished one's table with the very numbers of
``GET /v1/simulations/{id}``, its chart, and 404 for an unknown id."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tactful.app import build
from tactful.app.jobs import InlineRunner, JobRunner, ManualRunner
from tactful.recommend.artifacts import memory_models
from tactful.settings import Settings
from tactful.simulate.jobs import Simulations
from tactful.simulate.metrics import METRICS
from tactful.simulate.report import number_text, signed_text
from tactful.store import MemoryStores
from tactful.web import create_app
from tests.web.conftest import NOW
from tests.web.console.test_console import csrf

SMALL = {"people": "50", "weeks": "2", "seed": "4", "runs": "1"}


class Bench:
    """An app whose simulations run on ``runner``, with an admin and a read key."""

    def __init__(self, tmp: Path, runner: JobRunner) -> None:
        self.app = build(
            Settings(model_dir=tmp / "m"), MemoryStores(), memory_models(), clock=lambda: NOW
        )
        self.sims = Simulations(runner, clock=lambda: NOW)
        self.web = create_app(self.app.settings, self.app, simulations=self.sims)
        self.keys = {s: self.app.access.create_key(f"{s} key", [s])[1] for s in ("admin", "read")}

    def client(self, scope: str) -> TestClient:
        c = TestClient(self.web, raise_server_exceptions=False)
        token = csrf(c.get("/console").text)
        r = c.post("/console/signin", data={"api_key": self.keys[scope], "csrf_token": token})
        assert r.status_code == 200, r.text
        return c

    def start(self, c: TestClient, **fields: str | list[str]) -> tuple[int, str, str]:
        """Post the form (both built-in policies unless told); (status, final URL, page)."""
        token = csrf(c.get("/console/simulations").text)
        data = {"policies": ["tactful", "baseline"], **SMALL, **fields, "csrf_token": token}
        r = c.post("/console/simulations", data=data)
        return r.status_code, str(r.url), r.text


@pytest.fixture
def inline(tmp_path: Path) -> Iterator[Bench]:
    bench = Bench(tmp_path, InlineRunner())
    yield bench
    bench.app.close()


def cells(html: str) -> list[list[str]]:
    """The comparison table's rows, as the cells' text."""
    table = html.split('<table class="numbers">')[1].split("</table>", maxsplit=1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [[unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)] for r in rows]


def test_a_finished_simulation_shows_the_numbers_of_the_api(inline: Bench) -> None:
    admin = inline.client("admin")
    status, url, page = inline.start(admin)
    assert status == 200 and "The simulation started." in page
    sid = url.rsplit("/", 1)[1]
    api = admin.get(
        f"/v1/simulations/{sid}", headers={"Authorization": f"Bearer {inline.keys['admin']}"}
    )
    result = api.json()["result"]
    assert api.json()["status"] == "succeeded"
    first, other = (result["policies"][p]["summary"] for p in ("tactful", "baseline"))
    differences = result["comparison"]["tactful - baseline"]
    expected = [
        [number_text(first[m]), number_text(other[m]), signed_text(d["difference"])]
        for m, d in zip(METRICS, differences, strict=True)
    ]
    shown = cells(page)
    assert [row[1:] for row in shown] == expected
    assert shown[0][0] == "Purchases" and shown[-1][0] == "Promotions in hard times"
    assert first["purchases"] > 0 and shown[0][1] == f"{first['purchases']:,.0f}"
    assert "tactful - baseline" in page and "not a forecast" in page
    week_2 = result["policies"]["baseline"]["weeks"][1]
    assert "<td>" + "</td><td>".join(number_text(week_2[m]) for m in METRICS) + "</td>" in page
    assert f'src="/console/charts/simulation/{sid}.svg"' in page
    chart = admin.get(f"/console/charts/simulation/{sid}.svg")
    assert chart.headers["content-type"] == "image/svg+xml" and "<svg" in chart.text
    assert "messages sent" in chart.text  # a panel title, kept as text
    listing = admin.get("/console/simulations").text
    assert f'<a href="/console/simulations/{sid}">{sid}</a>' in listing
    assert "4 of 4 policy-weeks" in listing and "tactful, baseline" in listing


def test_several_runs_give_intervals(inline: Bench) -> None:
    admin = inline.client("admin")
    status, url, page = inline.start(admin, weeks="1", runs="2")
    assert status == 200 and "with its 95 % interval over the runs" in page
    sid = url.rsplit("/", 1)[1]
    got = admin.get(
        f"/v1/simulations/{sid}", headers={"Authorization": f"Bearer {inline.keys['admin']}"}
    )
    diffs = got.json()["result"]["comparison"]["tactful - baseline"]
    assert any(d["low"] != d["high"] for d in diffs)
    written = [
        f"{signed_text(d['difference'])} [{signed_text(d['low'])}, {signed_text(d['high'])}]"
        for d in diffs
    ]
    assert [row[-1] for row in cells(page)] == written


def test_starting_needs_admin_and_the_form_token(inline: Bench) -> None:
    reader = inline.client("read")
    page = reader.get("/console/simulations").text
    assert "Starting a simulation needs a key with the admin scope." in page
    assert "Start the simulation" not in page
    assert ">Simulations</a>" in page
    status, _, _ = inline.start(reader)
    assert status == 403
    admin = inline.client("admin")
    forged = admin.post(
        "/console/simulations", data={**SMALL, "policies": "tactful", "csrf_token": "x"}
    )
    assert forged.status_code == 403
    assert inline.sims.all() == []
    signed_out = TestClient(inline.web).get("/console/simulations", follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/console"
    chart = TestClient(inline.web).get("/console/charts/simulation/sim_x.svg")
    assert chart.status_code == 401


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"people": "10"}, "people", "Enter a whole number from 50 to 20000."),
        ({"weeks": "many"}, "weeks", "Enter a whole number from 1 to 104."),
        ({"seed": "-1"}, "seed", "Enter a whole number of at least 0."),
        ({"runs": "11"}, "runs", "Enter a whole number from 1 to 10."),
        ({"policies": []}, "policies", "Tick at least one policy."),
    ],
)
def test_bad_fields_are_named_and_nothing_starts(
    inline: Bench, fields: dict[str, str], field: str, message: str
) -> None:
    status, _, page = inline.start(inline.client("admin"), **fields)
    assert status == 422
    assert "Nothing was started" in page
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    assert inline.sims.all() == []


def test_a_policy_that_is_not_built_in_is_refused(inline: Bench) -> None:
    status, _, page = inline.start(inline.client("admin"), policies=["/etc/passwd.toml"])
    assert status == 422 and "unknown policy" in page
    assert inline.sims.all() == []


def test_a_queued_simulation_and_an_unknown_one(tmp_path: Path) -> None:
    runner = ManualRunner()
    bench = Bench(tmp_path, runner)
    try:
        admin = bench.client("admin")
        status, url, page = bench.start(admin, weeks="1")
        sid = url.rsplit("/", 1)[1]
        assert status == 200 and "This simulation has not finished yet." in page
        assert "queued" in admin.get("/console/simulations").text
        assert admin.get(f"/console/charts/simulation/{sid}.svg").status_code == 409
        runner.run_next()
        assert "Comparison" in admin.get(f"/console/simulations/{sid}").text
        assert admin.get("/console/simulations/sim_nope").status_code == 404
        assert admin.get("/console/charts/simulation/sim_nope.svg").status_code == 404
    finally:
        bench.app.close()


def test_the_page_in_german(inline: Bench) -> None:
    _, url, _ = inline.start(inline.client("admin"), weeks="1")
    page = inline.client("read").get(url + "?lang=de").text
    assert "Vergleich" in page and "keine Vorhersage" in page and "Käufe" in page


def test_a_sweep_started_over_the_api_shows_its_conclusions(inline: Bench) -> None:
    admin = {"Authorization": f"Bearer {inline.keys['admin']}"}
    body = {"people": 50, "weeks": 1, "seed": 2, "sweep": "campaign_per_week=1,7"}
    reader = inline.client("read")
    r = reader.post("/v1/simulations", json=body, headers=admin)
    assert r.status_code == 202, r.text
    sid = r.json()["simulation_id"]
    page = reader.get(f"/console/simulations/{sid}").text
    assert "Sweep of campaign_per_week" in page and "Does each conclusion hold" in page
    for c in r.json()["result"]["conclusions"]:
        assert f"<td>{c['verdict']}</td>" in page
    assert reader.get(f"/console/charts/simulation/{sid}.svg").status_code == 409
