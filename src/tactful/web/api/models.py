"""Model training as a background job: ``POST /v1/models/train`` starts one (202),
``GET /v1/models/jobs/{job_id}`` follows it, ``DELETE /v1/models/jobs/{job_id}`` cancels it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from tactful.privacy.access import operator
from tactful.web.deps import Admin, AppDep
from tactful.web.schemas import JobOut

router = APIRouter(prefix="/v1/models", tags=["models"])
JobPath = Annotated[str, Path(min_length=1, max_length=200)]


@router.post("/train", response_model=JobOut, status_code=202)
def post_train(app: AppDep, key: Admin, response: Response) -> JobOut:
    """Start training on consented data only, in the background; the new version serves
    as soon as it is saved. One job at a time: 409 while one is queued or running."""
    job = app.training_jobs.start(actor=operator(key))
    response.headers["Location"] = f"/v1/models/jobs/{job.job_id}"
    return JobOut.of(job)


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(job_id: JobPath, app: AppDep, _key: Admin) -> JobOut:
    """The job's status, and its train report once it succeeded."""
    return JobOut.of(app.training_jobs.get(job_id))


@router.delete("/jobs/{job_id}", response_model=JobOut, status_code=202)
def delete_job(job_id: JobPath, app: AppDep, _key: Admin) -> JobOut:
    """Cancel: a queued job at once, a running one at its next step (nothing is saved);
    409 for a job that has finished."""
    return JobOut.of(app.training_jobs.cancel(job_id))
