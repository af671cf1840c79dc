"""The services are tested through the same test beds as the web API."""

from tests.web.conftest import api, sql_api

__all__ = ["api", "sql_api"]
