"""The console's "Start a simulation" form, read into the API's own ``SimulationIn`` (so the
page accepts exactly what ``POST /v1/simulations`` accepts), each problem named by its field
as a catalogue message id with the bounds it needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError
from starlette.datastructures import FormData

from tactful.web.api.simulations import SimulationIn
from tactful.web.pages.i18n import N_

NUMBERS = ("people", "weeks", "seed", "runs")
"""The form's number fields, named as the API's body fields."""
RANGE_ERROR = N_("Enter a whole number from %(lo)s to %(hi)s.")
FLOOR_ERROR = N_("Enter a whole number of at least %(lo)s.")
POLICY_ERROR = N_("Tick at least one policy.")


@dataclass(frozen=True, slots=True)
class Problem:
    """One field's problem: a catalogue message id and the bounds it mentions."""

    text: str
    lo: int = 0
    hi: int = 0


@dataclass(frozen=True, slots=True)
class Asked:
    """What the form asked for: the body when it is valid, else the problems by field;
    ``raw`` and ``ticked`` show what was typed and ticked again."""

    body: SimulationIn | None
    raw: dict[str, str]
    ticked: tuple[str, ...]
    errors: dict[str, Problem] = field(default_factory=dict)


def bounds(name: str) -> tuple[int, int | None]:
    """The API's bounds of a number field (``ge`` / ``le`` of ``SimulationIn``)."""
    lo, hi = 0, None
    for rule in SimulationIn.model_fields[name].metadata:
        lo = getattr(rule, "ge", lo)
        hi = getattr(rule, "le", hi)
    return lo, hi


def defaults() -> dict[str, str]:
    """The form as first shown: the API's defaults."""
    return {n: str(SimulationIn.model_fields[n].default) for n in NUMBERS}


def problem(name: str) -> Problem:
    if name == "policies":
        return Problem(POLICY_ERROR)
    lo, hi = bounds(name)
    return Problem(FLOOR_ERROR, lo) if hi is None else Problem(RANGE_ERROR, lo, hi)


def read(form: FormData) -> Asked:
    """The posted form as ``SimulationIn``, or every field's problem."""
    raw = {n: v.strip() if isinstance(v := form.get(n), str) else "" for n in NUMBERS}
    ticked = tuple(v for v in form.getlist("policies") if isinstance(v, str) and v)
    errors: dict[str, Problem] = {}
    values: dict[str, int] = {}
    for name in NUMBERS:
        try:
            values[name] = int(raw[name])
        except ValueError:
            errors[name] = problem(name)
    try:
        body = SimulationIn.model_validate({"policies": list(ticked), **values})
    except ValidationError as invalid:
        for error in invalid.errors():
            name = str(error["loc"][0])
            errors.setdefault(name, problem(name))
        return Asked(None, raw, ticked, errors)
    if errors:
        return Asked(None, raw, ticked, errors)
    return Asked(body, raw, ticked)


__all__ = ["NUMBERS", "Asked", "Problem", "defaults", "read"]
