"""Errors on pages are pages: a route class that renders the error tree as a plain-words
page (status from ``tactful.web.errors.STATUS``) instead of the API's JSON body."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from tactful.errors import Forbidden, NotFound, TactfulError, Unauthorized
from tactful.web.errors import STATUS
from tactful.web.pages.i18n import N_
from tactful.web.pages.render import Site

TITLES: dict[type[TactfulError], str] = {
    Unauthorized: N_("Please sign in again"),
    Forbidden: N_("That did not work"),
    NotFound: N_("Not found"),
}


def status_of(error: TactfulError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def title_of(error: TactfulError) -> str:
    return next((t for k, t in TITLES.items() if isinstance(error, k)), N_("Something went wrong"))


class PageRoute(APIRoute):
    """An ``APIRoute`` whose ``TactfulError`` renders ``error.html``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except TactfulError as error:
                site: Site = request.app.state.site
                return site.render(
                    request,
                    "error.html",
                    {"title": title_of(error), "error": error, "kind": type(error).__name__},
                    status=status_of(error),
                )

        return route
