"""Extract the page strings (templates and the pages' Python) and merge them into the
shipped catalogues, src/tactful/web/pages/locales/<lang>/LC_MESSAGES/messages.po, keeping
every translation already made. Run after changing page text, then translate what is new:

    python scripts/update_catalogues.py          # prints how many strings each lacks
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parents[1] / "src" / "tactful" / "web"
LOCALES = WEB / "pages" / "locales"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}


def extract() -> Catalog:
    template = Catalog(project="tactful", domain="messages")
    found = extract_from_dir(WEB, METHODS, OPTIONS)  # type: ignore[arg-type]
    for filename, lineno, message, comments, context in found:
        template.add(
            message, locations=[(filename, lineno)], auto_comments=comments, context=context
        )
    return template


def main() -> int:
    template = extract()
    missing = 0
    for lang_dir in sorted(p for p in LOCALES.iterdir() if p.is_dir()):
        po = lang_dir / "LC_MESSAGES" / "messages.po"
        if po.exists():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang_dir.name)
        else:
            catalog = Catalog(locale=lang_dir.name, domain="messages")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with po.open("wb") as fh:
            write_po(fh, catalog, omit_header=False, sort_output=True, include_lineno=False)
        lacking = [m.id for m in catalog if m.id and not m.string and lang_dir.name != "en"]
        missing += len(lacking)
        print(f"{lang_dir.name}: {len(catalog)} strings, {len(lacking)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
