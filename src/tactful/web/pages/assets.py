"""The pages' own files: the stylesheet, the brand's colours as CSS, and the logo."""

from __future__ import annotations

import mimetypes
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from tactful.settings import PagesSettings

router = APIRouter(prefix="/pages", include_in_schema=False)
CACHE = {"cache-control": "public, max-age=3600"}
LOGO_TYPES = {"image/png", "image/svg+xml", "image/jpeg"}


def _static(name: str) -> bytes:
    return (resources.files("tactful.web.pages") / "static" / name).read_bytes()


def brand_css(brand: PagesSettings) -> str:
    """The brand's colours as CSS custom properties (validated ``#rrggbb`` in settings)."""
    return (
        ":root {\n"
        f"  --brand: {brand.colour_primary};\n"
        f"  --page: {brand.colour_background};\n"
        f"  --text: {brand.colour_text};\n"
        "}\n"
    )


@router.get("/static/pages.css")
def stylesheet() -> Response:
    return Response(_static("pages.css"), media_type="text/css", headers=CACHE)


@router.get("/brand.css")
def brand(request: Request) -> Response:
    site = request.app.state.site
    return Response(brand_css(site.settings), media_type="text/css", headers=CACHE)


@router.get("/logo")
def logo(request: Request) -> Response:
    path = Path(request.app.state.site.settings.logo)
    kind = mimetypes.guess_type(path.name)[0]
    if not path.name or kind not in LOGO_TYPES or not path.is_file():
        return Response(status_code=404)
    return FileResponse(path, media_type=kind, headers=CACHE)
