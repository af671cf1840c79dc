"""Simulations: ``POST /v1/simulations`` (scope ``admin``) starts one in the background and
returns its id (202); ``GET /v1/simulations/{simulation_id}`` gives its status, progress and,
once it succeeded, the result (the ``--json`` shape of ``tactful simulate``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from tactful.app.jobs import JobStatus
from tactful.errors import InvalidInput
from tactful.simulate import Config
from tactful.simulate.jobs import Simulation, Simulations
from tactful.simulate.policy import BUILT_IN, Policy, policy_from
from tactful.simulate.sweep import parse_sweep
from tactful.web.deps import Admin
from tactful.web.schemas import Strict

router = APIRouter(prefix="/v1/simulations", tags=["simulations"])
SimPath = Annotated[str, Path(min_length=1, max_length=200)]


class PolicyIn(Strict):
    """A team's own policy: settings overrides as in a policy TOML file."""

    name: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_.\-]+$")
    settings: dict[str, Any] = Field(default_factory=dict)


class SimulationIn(Strict):
    policies: list[str | PolicyIn] = Field(
        default_factory=lambda: list[str | PolicyIn](BUILT_IN),
        min_length=1,
        max_length=5,
        description=f"built-in names ({', '.join(BUILT_IN)}) or inline settings overrides",
    )
    people: int = Field(1000, ge=50, le=20_000)
    weeks: int = Field(26, ge=1, le=104)
    seed: int = Field(0, ge=0)
    runs: int = Field(1, ge=1, le=10)
    sweep: str | None = Field(None, description="key=v1,v2,... : one behaviour parameter")

    def policy_specs(self) -> tuple[str | Policy, ...]:
        return tuple(
            p if isinstance(p, str) else policy_from(p.name, p.settings) for p in self.policies
        )

    def config(self) -> Config:
        """The simulator's config (``InvalidInput`` for a policy name that is not built in:
        over HTTP a policy is never a server file)."""
        for p in self.policies:
            if isinstance(p, str) and p not in BUILT_IN:
                raise InvalidInput(
                    f"unknown policy {p!r}; name {' or '.join(BUILT_IN)}, or send its settings",
                    field="policies",
                )
        return Config(
            policies=self.policy_specs(),
            people=self.people,
            weeks=self.weeks,
            seed=self.seed,
            runs=self.runs,
        )

    def sweep_of(self) -> tuple[str, list[str]] | None:
        return parse_sweep(self.sweep) if self.sweep is not None else None


class SimulationOut(BaseModel):
    simulation_id: str
    status: JobStatus
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    done: int = Field(description="policy-weeks simulated so far")
    total: int
    error: str | None
    result: dict[str, Any] | None

    @classmethod
    def of(cls, job: Simulation) -> SimulationOut:
        return cls(
            simulation_id=job.simulation_id,
            status=job.status,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            done=job.done,
            total=job.total,
            error=job.error,
            result=job.result,
        )


def simulations_of(request: Request) -> Simulations:
    """The app's simulations (``create_app`` makes them; the console shares them)."""
    sims: Simulations = request.app.state.simulations
    return sims


@router.post("", response_model=SimulationOut, status_code=202)
def post_simulation(
    body: SimulationIn, request: Request, response: Response, _key: Admin
) -> SimulationOut:
    """Start a simulation of the policies (built-in or inline; never a server file) in the
    background; what it shows holds under its assumptions (docs/simulation.md)."""
    job = simulations_of(request).start(body.config(), body.sweep_of())
    response.headers["Location"] = f"/v1/simulations/{job.simulation_id}"
    return SimulationOut.of(job)


@router.get("/{simulation_id}", response_model=SimulationOut)
def get_simulation(simulation_id: SimPath, request: Request, _key: Admin) -> SimulationOut:
    """The simulation's status and progress, and its result once it succeeded."""
    return SimulationOut.of(simulations_of(request).get(simulation_id))
