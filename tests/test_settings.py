"""Settings: every key is documented in tactful.example.toml, which loads as-is."""

import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from tactful.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[1] / "tactful.example.toml"


def keys_of(model: type[BaseModel], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for name, info in model.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out |= keys_of(ann, f"{prefix}{name}.")
        else:
            out.add(prefix + name)
    return out


def flatten(doc: dict[str, object], prefix: str = "") -> set[str]:
    out: set[str] = set()
    for k, v in doc.items():
        if isinstance(v, dict) and not k.endswith("weights"):
            out |= flatten(v, f"{prefix}{k}.")
        else:
            out.add(prefix + k)
    return out


def test_example_lists_every_key() -> None:
    doc = tomllib.loads(EXAMPLE.read_text())
    assert flatten(doc) == keys_of(Settings)


def test_example_loads_and_equals_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TACTFUL_CONFIG", str(tmp_path / "absent.toml"))
    defaults = Settings()
    monkeypatch.setenv("TACTFUL_CONFIG", str(EXAMPLE))
    assert Settings() == defaults


def test_env_overrides_nested_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TACTFUL_RECOMMEND__MODEL", "ease")
    monkeypatch.setenv("TACTFUL_PORT", "9001")
    s = Settings()
    assert s.recommend.model == "ease"
    assert s.port == 9001


def test_bad_value_names_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TACTFUL_GUARDS__SCORE_FLOOR", "2")
    with pytest.raises(ValidationError) as err:
        Settings()
    assert err.value.errors()[0]["loc"] == ("guards", "score_floor")


def test_unknown_items_are_rejected_unless_the_setting_accepts_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().ingest.accept_unknown_items is False
    monkeypatch.setenv("TACTFUL_INGEST__ACCEPT_UNKNOWN_ITEMS", "true")
    assert Settings().ingest.accept_unknown_items is True
