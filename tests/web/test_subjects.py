from tests.web.conftest import NOW, Api


def test_consents_history_and_current(api: Api) -> None:
    body = {
        "decisions": [
            {
                "purpose": "personalization",
                "decision": "granted",
                "source": "banner",
                "policy_version": "2026-01",
            },
            {"purpose": "messaging", "decision": "denied"},
        ]
    }
    r = api.client.put("/v1/subjects/u1/consents", json=body, headers=api.ingest)
    assert r.status_code == 200
    api.client.put(
        "/v1/subjects/u1/consents",
        headers=api.ingest,
        json={"decisions": [{"purpose": "personalization", "decision": "denied"}]},
    )
    got = api.client.get("/v1/subjects/u1/consents", headers=api.read).json()
    assert got["current"]["personalization"] == "denied"
    assert got["current"]["messaging"] == "denied"
    assert got["current"]["analytics"] == "unset"
    assert [h["decision"] for h in got["history"]] == ["granted", "denied", "denied"]
    assert got["history"][0]["source"] == "banner"
    assert got["history"][0]["policy_version"] == "2026-01"
    assert got["history"][0]["at"].startswith(NOW.date().isoformat())


def test_bad_consent_names_the_field(api: Api) -> None:
    r = api.client.put(
        "/v1/subjects/u1/consents",
        headers=api.ingest,
        json={"decisions": [{"purpose": "mindreading", "decision": "granted"}]},
    )
    assert r.status_code == 422
    assert r.json()["field"] == "decisions[0].purpose"
    r = api.client.put(
        "/v1/subjects/u1/consents",
        headers=api.ingest,
        json={"decisions": [{"purpose": "analytics", "decision": "yes"}]},
    )
    assert r.json()["field"] == "decisions[0].decision"


def test_preferences_round_trip_and_defaults(api: Api) -> None:
    assert (
        api.client.get("/v1/subjects/u9/preferences", headers=api.read).json()[
            "max_recommendations"
        ]
        is None  # never chose a budget: the shop's default applies
    )
    prefs = {
        "channels": ["email", "push"],
        "max_messages_per_week": {"email": 2},
        "quiet_hours": {"start": "22:00:00", "end": "07:00:00"},
        "timezone": "Europe/Berlin",
        "max_recommendations": 3,
        "muted_categories": ["camping"],
        "preferred_categories": ["running"],
        "values": ["repairable"],
        "allowed_sensitive": ["health"],
        "pause_until": "2026-07-01T00:00:00Z",
        "celebrations": False,
    }
    r = api.client.put("/v1/subjects/u1/preferences", json=prefs, headers=api.ingest)
    assert r.status_code == 200, r.text
    got = api.client.get("/v1/subjects/u1/preferences", headers=api.read).json()
    assert got == {**prefs, "pause_until": "2026-07-01T00:00:00Z"}


def test_bad_preferences_name_the_field(api: Api) -> None:
    for body, field in [
        ({"max_recommendations": 0}, "max_recommendations"),
        ({"max_recommendations": 21}, "max_recommendations"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"channels": ["pigeon"]}, "channels[0]"),
        ({"pause_until": "2026-07-01T00:00:00"}, "pause_until"),
        ({"colour": "red"}, "colour"),
    ]:
        r = api.client.put("/v1/subjects/u1/preferences", json=body, headers=api.ingest)
        assert r.status_code == 422, body
        assert r.json()["field"] == field, (body, r.json())
