"""Schema fuzzing (slow: about 40 s): schemathesis drives every operation of the app's
own OpenAPI document with valid and invalid requests (a fixed seed, a bounded number of
examples each), as an operator with an admin key. No request may get a server error, a
status the document does not list for the operation, or a body off the documented
response schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tactful.app import build
from tactful.app.jobs import ManualRunner
from tactful.recommend.artifacts import FileModelStore
from tactful.settings import Settings
from tactful.simulate.jobs import Simulations
from tactful.store import MemoryStores
from tactful.web import create_app
from tests.web.conftest import Clock

pytestmark = pytest.mark.slow
EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
HEADERS: dict[str, str] = {}
STATUSES: list[int] = []


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    models: Path = tmp_path_factory.mktemp("fuzz") / "models"
    tactful = build(
        Settings(model_dir=models), MemoryStores(), FileModelStore(models), clock=Clock()
    )
    _key, secret = tactful.access.create_key("fuzz", ["admin"])
    HEADERS["Authorization"] = f"Bearer {secret}"
    tactful.catalogue.upsert([])  # an empty catalogue is a valid start
    # simulations the fuzzer starts stay queued: run in threads, they would outlive the test
    # (up to 20,000 people x 104 weeks each) and starve every test after it of the CPU
    queued = Simulations(ManualRunner(), clock=Clock())
    yield create_app(tactful.settings, tactful, simulations=queued)
    tactful.close()


def fuzz(operation: schemathesis.APIOperation, mode: GenerationMode) -> str | None:
    """Drive one operation with valid (``POSITIVE``) or invalid (``NEGATIVE``) requests;
    the first failure found, described, or None."""

    @given(operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call_and_validate(headers=HEADERS, checks=CHECKS)
        STATUSES.append(response.status_code)

    try:
        run()
    except Unsatisfiable:
        return None  # nothing to make invalid (an operation without parameters)
    except Exception as exc:
        return f"{operation.label} ({mode.value}): {exc}"[:2000]
    return None


def test_no_server_error_and_every_answer_as_documented(fuzzed_app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures = [
        found
        for op in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if (found := fuzz(op, mode)) is not None
    ]
    assert not failures, "\n\n".join(failures)
    assert len(STATUSES) > 5 * len(operations)  # it really ran
    assert {200, 422} <= set(STATUSES)  # valid requests pass, invalid ones are refused
