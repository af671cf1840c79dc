"""The same bad preferences give the same field and reason through the core, the Python
API (``consents.set_preferences``) and REST (422), and nothing is stored."""

from typing import Any

import pytest

from tactful.errors import InvalidInput
from tactful.ingest import validate_preferences
from tactful.types import Preferences
from tests.ingest.test_preferences import CASES
from tests.web.conftest import Api


@pytest.mark.parametrize(("body", "kwargs", "field", "reason"), CASES, ids=[c[2] for c in CASES])
def test_core_python_api_and_rest_agree(
    api: Api, body: dict[str, Any], kwargs: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as core:
        validate_preferences(Preferences(**kwargs))
    with pytest.raises(InvalidInput) as python:
        api.app.consents.set_preferences("u1", Preferences(**kwargs))
    r = api.client.put("/v1/subjects/u1/preferences", json=body, headers=api.ingest)
    assert r.status_code == 422, r.text
    rest = r.json()
    assert core.value.field == python.value.field == rest["field"] == field
    assert core.value.message == python.value.message
    if field == "pause_until":  # REST refuses a naive time at the edge (AwareDatetime)
        assert "timezone" in rest["message"]
    else:
        assert core.value.message == rest["message"]
        assert reason in rest["message"]
    assert api.app.stores.preferences.get("u1") is None


def test_a_good_body_is_stored_in_the_core_form(api: Api) -> None:
    body = {"allowed_sensitive": ["health"], "quiet_hours": {"start": "23:00", "end": "06:30"}}
    r = api.client.put("/v1/subjects/u1/preferences", json=body, headers=api.ingest)
    assert r.status_code == 200, r.text
    stored = api.app.stores.preferences.get("u1")
    assert stored is not None and stored == validate_preferences(stored)
    assert r.json()["allowed_sensitive"] == ["health"]
    assert r.json()["quiet_hours"] == {"start": "23:00:00", "end": "06:30:00"}
