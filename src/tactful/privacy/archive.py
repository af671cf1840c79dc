"""The export as a zip of CSV files (``?format=zip``): one file per table and per section,
nested values as JSON in their cell, plus a README saying what each file is."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

README = """Your data held by Tactful, exported {generated_at}.

data_<table>.csv   every row about you in that table (nested values are JSON)
consents.csv       your current consent decision per purpose
inferences.csv     what is inferred from your behaviour right now (never stored)
inventory.csv      per kind of data: how much, for which purposes, since and until when
audit.csv          who did what with your data, and when
tombstone.csv      present only if you were erased: what is left (a keyed hash and a time)
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def table_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as CSV text with a header of every column seen, in first-seen order."""
    columns: dict[str, None] = {}
    for r in rows:
        columns.update(dict.fromkeys(r))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(columns))
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return out.getvalue()


def _files(doc: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    files: dict[str, list[Mapping[str, Any]]] = {}
    for table, rows in doc.get("data", {}).items():
        files[f"data_{table}.csv"] = rows
    current = doc.get("consents", {}).get("current", {})
    if current:
        files["consents.csv"] = [{"purpose": p, "decision": d} for p, d in current.items()]
    for section in ("inferences", "inventory", "audit"):
        if section in doc:
            files[f"{section}.csv"] = doc[section]
    if doc.get("tombstone"):
        files["tombstone.csv"] = [doc["tombstone"]]
    return files


def zip_export(doc: Mapping[str, Any]) -> bytes:
    """The export document as zip bytes (deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(generated_at=doc.get("generated_at", "")))
        for name, rows in _files(doc).items():
            archive.writestr(name, table_csv(rows))
        if "notice" in doc:
            archive.writestr("NOTICE.txt", str(doc["notice"]) + "\n")
    return buffer.getvalue()
