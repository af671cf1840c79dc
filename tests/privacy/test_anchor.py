"""The audit anchor is per host: hosts sharing a database and a ``model_dir`` each write
their own ``anchor-<host>.json``, and ``verify`` on any of them checks every anchor there,
so a log cut back behind what *another* host saw is caught too."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from tactful.app.open import open_app
from tactful.settings import Settings


def _settings(tmp: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp / 'shared.db'}",
        model_dir=tmp / "models",
        secret_key="anchor-test-secret",
    )


def _grant(tmp: Path, host: str, subjects: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Audited actions through an app opened as ``host``."""
    monkeypatch.setattr(socket, "gethostname", lambda: host)
    app = open_app(_settings(tmp))
    try:
        for s in subjects:
            app.consents.record(s, [{"purpose": "personalization", "decision": "granted"}])
    finally:
        app.close()


def _verify(tmp: Path, host: str, monkeypatch: pytest.MonkeyPatch) -> tuple[bool, str | None]:
    monkeypatch.setattr(socket, "gethostname", lambda: host)
    app = open_app(_settings(tmp))
    try:
        verdict = app.rights.verify_audit()
    finally:
        app.close()
    return verdict.intact, verdict.problem


def test_each_host_writes_its_own_anchor_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _grant(tmp_path, "web-1", ["a", "b"], monkeypatch)
    _grant(tmp_path, "web-2", ["c"], monkeypatch)
    folder = tmp_path / "models" / "audit"
    assert sorted(p.name for p in folder.glob("anchor*.json")) == [
        "anchor-web-1.json",
        "anchor-web-2.json",
    ]
    assert _verify(tmp_path, "web-1", monkeypatch) == (True, None)


def test_a_cut_behind_another_hosts_anchor_is_caught_on_every_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attacker keeps an old, validly sealed head row, lets another host append, then
    cuts the log back to the old head: the chain and its seal verify, and so does web-1's
    own anchor (it saw no more); web-2's anchor beside it does not."""
    db = tmp_path / "shared.db"
    _grant(tmp_path, "web-1", ["a", "b"], monkeypatch)
    with sqlite3.connect(db) as conn:
        old_head = conn.execute("SELECT id, seq, hash, seal FROM audit_head").fetchone()
    _grant(tmp_path, "web-2", ["c", "d"], monkeypatch)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq > ?", (old_head[1],))
        conn.execute("DELETE FROM audit_head")
        conn.execute("INSERT INTO audit_head VALUES (?, ?, ?, ?)", old_head)
    intact, problem = _verify(tmp_path, "web-1", monkeypatch)
    assert not intact
    assert problem is not None and "removed" in problem
    (tmp_path / "models" / "audit" / "anchor-web-2.json").unlink()
    assert _verify(tmp_path, "web-1", monkeypatch) == (True, None)  # what web-1 alone sees


def test_an_explicit_anchor_path_is_used_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "elsewhere" / "audit-anchor.json"
    monkeypatch.setenv("TACTFUL_PRIVACY__AUDIT_ANCHOR", str(chosen))
    _grant(tmp_path, "web-1", ["a"], monkeypatch)
    assert chosen.exists()
    assert not list((tmp_path / "models" / "audit").glob("anchor*.json"))
