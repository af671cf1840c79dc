"""The REST API (FastAPI): ``create_app(settings)``."""

from tactful.web.app import create_app

__all__ = ["create_app"]
