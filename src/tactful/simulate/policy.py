"""Policies are settings files for the real application: ``tactful`` (the defaults) and
``baseline`` (a typical "more data" setup) ship as package data; any other TOML file holds
a team's own settings. An optional ``[simulation]`` table says how people are asked for
consent (``asked``: the demo's signup rates; ``pre_ticked``: every purpose granted)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from tactful.errors import InvalidInput
from tactful.settings import Settings

BUILT_IN = ("tactful", "baseline")
ConsentMode = Literal["asked", "pre_ticked"]


@dataclass(frozen=True, slots=True)
class Policy:
    """A named settings file: the application's settings and how consent is asked."""

    name: str
    settings: Settings
    overrides: dict[str, Any]
    consent: ConsentMode = "asked"


def load_policy(spec: str | Policy) -> Policy:
    """``tactful``, ``baseline`` or the path of a TOML file of settings overrides; a file
    is named by its stem. ``InvalidInput`` names the ``policy`` and what is wrong."""
    if isinstance(spec, Policy):
        return spec
    if spec in BUILT_IN:
        text = resources.files("tactful.simulate").joinpath(f"policies/{spec}.toml").read_text()
        return parse_policy(spec, text)
    path = Path(spec)
    if path.suffix != ".toml" or not path.is_file():
        raise InvalidInput(
            f"policy {spec!r} is neither {' nor '.join(BUILT_IN)} nor a .toml file",
            field="policy",
        )
    return parse_policy(path.stem, path.read_text(encoding="utf-8"))


def parse_policy(name: str, text: str) -> Policy:
    """A policy from TOML text: settings overrides over the defaults (never the
    environment or a ``tactful.toml``, so a run means the same everywhere)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"policy {name!r} is not valid TOML: {exc}", field="policy") from None
    return policy_from(name, raw)


def policy_from(name: str, data: dict[str, Any]) -> Policy:
    """A policy from its parsed form (a TOML file's tables, or a JSON body's object)."""
    raw = dict(data)
    sim = raw.pop("simulation", {})
    consent = sim.get("consent", "asked") if isinstance(sim, dict) else None
    if consent not in ("asked", "pre_ticked"):
        raise InvalidInput(
            f"policy {name!r}: simulation.consent must be asked or pre_ticked",
            field="policy.simulation.consent",
        )
    unknown = _unknown_key(raw, Settings)
    if unknown is not None:
        raise InvalidInput(
            f"policy {name!r}: unknown setting {unknown!r}", field=f"policy.{unknown}"
        )
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(
            f"policy {name!r}: {where}: {first['msg']}", field=f"policy.{where}"
        ) from None
    return Policy(name, settings, raw, consent)


def _unknown_key(raw: dict[str, Any], model: type[BaseModel], prefix: str = "") -> str | None:
    """The first key that names no setting (nested sections would ignore it silently)."""
    for key, value in raw.items():
        info = model.model_fields.get(key)
        if info is None:
            return prefix + key
        sub = info.annotation
        if isinstance(value, dict) and isinstance(sub, type) and issubclass(sub, BaseModel):
            found = _unknown_key(value, sub, f"{prefix}{key}.")
            if found is not None:
                return found
    return None
