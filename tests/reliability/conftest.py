"""The attack suite reuses the web test beds (a fixed clock; memory or SQL stores)."""

from tests.web.conftest import api, sql_api

__all__ = ["api", "sql_api"]
