"""The one mapping from the error tree to process exit codes, and a wrapper that prints
errors plainly (no tracebacks for expected failures)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from tactful.errors import (
    Conflict,
    ConsentRequired,
    Forbidden,
    InvalidInput,
    NotFitted,
    NotFound,
    StoreError,
    TactfulError,
    Unauthorized,
)

EXIT_CODES: dict[type[TactfulError], int] = {
    InvalidInput: 2,
    ConsentRequired: 3,
    NotFound: 4,
    NotFitted: 5,
    Conflict: 5,
    Unauthorized: 6,
    Forbidden: 6,
    StoreError: 7,
    TactfulError: 1,
}

err_console = Console(stderr=True)


def say_error(where: str, message: str) -> None:
    """One error line on stderr, never wrapped or cropped at the terminal width (a long
    path or id stays whole, to copy), and the message is not read as Rich markup."""
    line = Text.assemble(("error", "red"), f"{where}: {message}")
    err_console.print(line, soft_wrap=True)


def exit_code_of(err: TactfulError) -> int:
    for cls in type(err).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1


@contextmanager
def reported() -> Iterator[None]:
    """Turn Tactful and settings errors into a one-line message and the mapped exit code."""
    try:
        yield
    except TactfulError as err:
        say_error(f" ({err.field})" if err.field else "", err.message)
        raise typer.Exit(exit_code_of(err)) from None
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        say_error(f" in settings ({loc})", str(first["msg"]))
        raise typer.Exit(2) from None


def run(fn: Callable[[], None]) -> None:
    with reported():
        fn()
