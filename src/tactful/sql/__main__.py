"""``python -m tactful.sql``: apply migrations, show the revision, or write a new one.

python -m tactful.sql upgrade sqlite:///./tactful.db
python -m tactful.sql current postgresql+psycopg://user@host/db
python -m tactful.sql revision "add cases table" --autogenerate sqlite:////tmp/scratch.db
"""

from __future__ import annotations

import argparse

from tactful.errors import TactfulError
from tactful.sql.database import make_engine
from tactful.sql.schema import current, new_revision, upgrade


def main(argv: list[str] | None = None) -> None:
    """``upgrade URL`` | ``current URL`` | ``revision MESSAGE [--autogenerate URL]``."""
    parser = argparse.ArgumentParser(prog="python -m tactful.sql")
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("upgrade", "current"):
        sub.add_parser(name).add_argument("url")
    rev = sub.add_parser("revision")
    rev.add_argument("message")
    rev.add_argument("--autogenerate", metavar="URL")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "revision":
            url = args.autogenerate
            print(new_revision(args.message, url=url, autogenerate=url is not None))
            return
        engine = make_engine(args.url)
        try:
            if args.cmd == "upgrade":
                upgrade(engine)
            print(current(engine) or "empty")
        finally:
            engine.dispose()
    except TactfulError as exc:
        raise SystemExit(f"error: {exc.message}") from None


if __name__ == "__main__":
    main()
