"""Which responses are logged under a person's id (issue 10, defect 4): only for people who
granted ``personalization`` or ``analytics``; everyone else is counted per day without
their id; an operator's ``preview`` is neither."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.conftest import NOW, Api
from tests.web.test_recommendations import seed


def grant(api: Api, subject: str, *purposes: str) -> None:
    body = {"decisions": [{"purpose": p, "decision": "granted"} for p in purposes]}
    r = api.client.put(f"/v1/subjects/{subject}/consents", json=body, headers=api.ingest)
    assert r.status_code == 200, r.text


def ask(api: Api, subject: str, **params: str) -> None:
    r = api.client.get(f"/v1/subjects/{subject}/recommendations", params=params, headers=api.read)
    assert r.status_code == 200, r.text
    api.app.exposures.flush()


def rows(api: Api, subject: str) -> int:
    return len(api.app.stores.exposures.for_subject(subject))


@pytest.mark.parametrize("purposes", [(), ("messaging",), ("emotional_context",)])
def test_a_person_without_personalization_or_analytics_is_only_counted(
    api: Api, purposes: tuple[str, ...]
) -> None:
    seed(api)
    if purposes:
        grant(api, "quiet", *purposes)
    ask(api, "quiet")
    ask(api, "quiet")
    assert rows(api, "quiet") == 0
    assert api.app.stores.exposures.tallies() == {date(2026, 6, 1): 2}


def test_an_unknown_id_leaves_no_row(api: Api) -> None:
    seed(api)
    ask(api, "never-seen-before")
    assert rows(api, "never-seen-before") == 0
    assert api.app.stores.exposures.tallies(since=NOW.date()) == {NOW.date(): 1}


@pytest.mark.parametrize("purpose", ["personalization", "analytics"])
def test_a_granted_purpose_logs_the_showing(api: Api, purpose: str) -> None:
    seed(api)
    grant(api, "open", purpose)
    ask(api, "open", context="home")
    (shown,) = api.app.stores.exposures.for_subject("open")
    assert shown.context == "home"
    assert shown.personalized is False  # open has no history yet
    assert api.app.stores.exposures.tallies() == {}


def test_a_preview_is_neither_logged_nor_counted(api: Api) -> None:
    seed(api)
    before = rows(api, "r1")
    ask(api, "r1", preview="true")
    ask(api, "stranger", preview="true")
    assert rows(api, "r1") == before
    assert api.app.stores.exposures.tallies() == {}


def test_previews_do_not_move_the_retargeting_cap(api: Api) -> None:
    """A preview shows what the person would see now, and asking again changes nothing."""
    seed(api)
    first = api.client.get("/v1/subjects/r1/recommendations?preview=true", headers=api.read).json()
    for _ in range(5):
        again = api.client.get(
            "/v1/subjects/r1/recommendations?preview=true", headers=api.read
        ).json()
        assert again == first


def test_tallies_are_counted_on_sql_stores(sql_api: Api) -> None:
    seed(sql_api)
    ask(sql_api, "stranger")
    ask(sql_api, "stranger")
    ask(sql_api, "other-stranger")
    assert rows(sql_api, "stranger") == 0
    assert sql_api.app.stores.exposures.tallies() == {NOW.date(): 3}
