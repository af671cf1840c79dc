"""Policies are settings files: the built-in ones say what the issue says they are."""

from pathlib import Path

import pytest

from tactful.errors import InvalidInput
from tactful.settings import CONTACT_RULES, Settings
from tactful.simulate import load_policy


def test_tactful_is_the_defaults_with_consent_asked() -> None:
    p = load_policy("tactful")
    assert p.consent == "asked"
    assert p.settings.model_dump() == Settings.model_validate({}).model_dump()


def test_baseline_is_a_typical_more_data_setup() -> None:
    p = load_policy("baseline")
    assert p.consent == "pre_ticked"
    assert p.settings.guards.order == ["eligibility", "budget"]
    assert p.settings.guards.default_max_recommendations == 20
    assert p.settings.engage.handoff_triggers == []
    assert p.settings.engage.promotional_per_week >= 1000
    off = set(CONTACT_RULES) - set(p.settings.engage.rules)
    assert off == {"quiet_hours", "frequency_cap", "fatigue", "emotional_hold"}


def test_a_team_file_is_named_by_its_stem(tmp_path: Path) -> None:
    f = tmp_path / "gentle.toml"
    f.write_text("[engage]\npromotional_per_week = 1\n")
    p = load_policy(str(f))
    assert p.name == "gentle" and p.settings.engage.promotional_per_week == 1
    assert p.overrides == {"engage": {"promotional_per_week": 1}}


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("[engage\n", "policy", "not valid TOML"),
        ("[engage]\npromotional_per_week = -1\n", "policy.engage.promotional_per_week", "greater"),
        ("[guards]\nwhatever = 1\n", "policy.guards.whatever", "unknown setting"),
        ("[simulation]\nconsent = 'maybe'\n", "policy.simulation.consent", "asked or pre_ticked"),
    ],
)
def test_a_bad_file_is_refused_naming_the_field(
    tmp_path: Path, text: str, field: str, message: str
) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(InvalidInput, match=message) as err:
        load_policy(str(f))
    assert err.value.field == field


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(InvalidInput, match="neither tactful nor baseline") as err:
        load_policy("kind")
    assert err.value.field == "policy"
