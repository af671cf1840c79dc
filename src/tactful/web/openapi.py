"""The OpenAPI document: every route's error responses carry the one error body, and
schemas that only document a body (``schemas.DOCUMENTED``) are added to its components."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from tactful.web.errors import ErrorOut

REF = "#/components/schemas/{model}"


def components(models: tuple[type[BaseModel], ...]) -> dict[str, Any]:
    """The JSON schemas of ``models`` and of everything they use, by name."""
    found: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template=REF)
        found.update(schema.pop("$defs", {}))
        found[model.__name__] = schema
    return found


def install(app: FastAPI, documented: tuple[type[BaseModel], ...]) -> None:
    """Replace ``app.openapi`` by one that adds ``documented`` and drops FastAPI's own
    validation-error schemas (our 422 body is ``ErrorOut``)."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = plain()
            schemas = doc.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(components((*documented, ErrorOut)))
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
