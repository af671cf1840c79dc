"""``/v1/simulations``: start a simulation (admin), then read its status and result."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tactful.app import build
from tactful.app.jobs import InlineRunner, ManualRunner
from tactful.recommend.artifacts import memory_models
from tactful.settings import Settings
from tactful.simulate.jobs import Simulations
from tactful.store import MemoryStores
from tactful.web import create_app
from tests.web.conftest import NOW

TINY = {"people": 50, "weeks": 1, "seed": 3}


def client_with(
    runner: InlineRunner | ManualRunner,
) -> tuple[TestClient, dict[str, dict[str, str]]]:
    app = build(Settings(), MemoryStores(), memory_models(), clock=lambda: NOW)
    sims = Simulations(runner, clock=lambda: NOW)
    keys = {
        s: {"Authorization": f"Bearer {app.access.create_key(s, [s])[1]}"}
        for s in ("admin", "read")
    }
    return TestClient(create_app(app.settings, app, simulations=sims)), keys


@pytest.fixture
def inline() -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    yield client_with(InlineRunner())


def test_a_simulation_runs_in_the_background_and_its_result_is_read_back(
    inline: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, keys = inline
    r = client.post("/v1/simulations", json=TINY, headers=keys["admin"])
    assert r.status_code == 202, r.text
    sid = r.json()["simulation_id"]
    assert r.headers["location"] == f"/v1/simulations/{sid}"
    got = client.get(f"/v1/simulations/{sid}", headers=keys["admin"]).json()
    assert got["status"] == "succeeded" and got["done"] == got["total"] == 2
    result = got["result"]
    assert list(result["policies"]) == ["tactful", "baseline"]
    assert result["policies"]["tactful"]["summary"]["lists_shown"] > 0


def test_a_queued_simulation_says_so(tmp_path: Path) -> None:
    runner = ManualRunner()
    client, keys = client_with(runner)
    sid = client.post("/v1/simulations", json=TINY, headers=keys["admin"]).json()["simulation_id"]
    assert client.get(f"/v1/simulations/{sid}", headers=keys["admin"]).json()["status"] == "queued"
    runner.run_next()
    assert (
        client.get(f"/v1/simulations/{sid}", headers=keys["admin"]).json()["status"] == "succeeded"
    )


def test_an_inline_team_policy_is_simulated(
    inline: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, keys = inline
    body = TINY | {
        "policies": [{"name": "gentle", "settings": {"engage": {"promotional_per_week": 1}}}]
    }
    r = client.post("/v1/simulations", json=body, headers=keys["admin"])
    assert r.status_code == 202, r.text
    got = client.get(r.headers["location"], headers=keys["admin"]).json()
    assert got["result"]["policies"]["gentle"]["settings"]["engage"] == {"promotional_per_week": 1}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (TINY | {"people": 10}, "people"),
        (TINY | {"policies": ["/etc/passwd.toml"]}, "policies"),
        (
            TINY | {"policies": [{"name": "x", "settings": {"engage": {"nope": 1}}}]},
            "policy.engage.nope",
        ),
        (TINY | {"sweep": "open_decay"}, "sweep"),
        (TINY | {"sweep": "nerve=1,2"}, "sweep"),
    ],
)
def test_bad_bodies_are_422_naming_the_field_and_nothing_starts(
    inline: tuple[TestClient, dict[str, dict[str, str]]], body: dict[str, object], field: str
) -> None:
    client, keys = inline
    r = client.post("/v1/simulations", json=body, headers=keys["admin"])
    assert r.status_code == 422, r.text
    assert field in str(r.json().get("field")), r.json()


def test_simulations_need_admin_and_unknown_ids_are_404(
    inline: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, keys = inline
    assert client.post("/v1/simulations", json=TINY, headers=keys["read"]).status_code == 403
    assert client.post("/v1/simulations", json=TINY).status_code == 401
    r = client.get("/v1/simulations/sim_nope", headers=keys["admin"])
    assert r.status_code == 404 and r.json()["field"] == "simulation_id"
