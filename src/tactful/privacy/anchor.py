"""The audit chain's anchor outside the database: the newest sealed head, also kept in a
file. Someone who can write to the database alone could otherwise empty ``audit_log`` and
``audit_head`` together and leave a log that verifies as "intact: 0 records"; against the
anchor, the log must still hold the anchored record, with the same hash.

The file only ever moves forward (a higher record number), under an exclusive file lock,
so several server processes on one host keep it right. Each host (instance) writes its own
file: in a ``model_dir`` that several hosts share, the default is one
``anchor-<host>.json`` per host, so no file is written by two machines (file locks over
network storage are not to be relied on), and ``verify`` on any host checks every host's
anchor it can see there (``peers``). It proves the log was not cut back behind the newest
head any of those hosts saw; it does not prove what a record says is true, nor protect a
host whose files and key are both in the attacker's hands (docs/security.md).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tactful.privacy.audit import Chain, Verdict
from tactful.store.ports import AuditHead, AuditLog


def host_name() -> str:
    """This host's name as a file name (``anchor-<host>.json``)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", socket.gethostname()) or "host"


class FileAnchor:
    """The anchored head in ``path`` (JSON: seq, hash, seal), written atomically; ``peers``
    is a pattern of other hosts' anchor files beside it, read (never written) on verify."""

    def __init__(self, path: Path, *, peers: str | None = None) -> None:
        self.path = path
        self.peers = peers

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def read(self) -> AuditHead | None:
        """This host's anchored head (None before its first append)."""
        return _read(self.path)

    def heads(self) -> list[tuple[Path, AuditHead]]:
        """This host's anchored head and every peer's found beside it, by file."""
        found = {self.path}
        if self.peers is not None and self.path.parent.is_dir():
            found.update(self.path.parent.glob(self.peers))
        return [(p, head) for p in sorted(found) if (head := _read(p)) is not None]

    def advance(self, head: AuditHead) -> None:
        """Keep ``head`` if it is newer than the anchored one."""
        with self._locked():
            current = self.read()
            if current is not None and current.seq >= head.seq:
                return
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"seq": head.seq, "hash": head.hash, "seal": head.seal}))
            os.replace(tmp, self.path)

    def clear(self) -> None:
        """Forget the anchor and its peers' (only when the database itself is reset on
        purpose)."""
        with self._locked():
            for path, _head in self.heads():
                path.unlink(missing_ok=True)


def _read(path: Path) -> AuditHead | None:
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except ValueError:
        return AuditHead(0, "", "")  # unreadable: fails the seal check on verify
    try:
        return AuditHead(int(raw["seq"]), str(raw["hash"]), str(raw["seal"]))
    except (KeyError, TypeError, ValueError):
        return AuditHead(0, "", "")


def against_anchor(
    verdict: Verdict, anchor: AuditHead | None, log: AuditLog, chain: Chain
) -> Verdict:
    """``verdict``, or a failed one if the log no longer reaches the anchored head."""
    if not verdict.intact or anchor is None:
        return verdict
    if not chain.sealed(anchor):
        return Verdict(
            verdict.records,
            verdict.head,
            anchor.seq,
            "the anchor's seal is not valid for this secret key",
        )
    if verdict.records < anchor.seq:
        problem = (
            f"the log holds {verdict.records} records, but the anchor kept outside the "
            f"database names record {anchor.seq}: records were removed"
        )
        return Verdict(verdict.records, verdict.head, verdict.records + 1, problem)
    found = next(iter(log.records(after=anchor.seq - 1)), None)
    if found is None or found.seq != anchor.seq or found.hash != anchor.hash:
        problem = f"record {anchor.seq} does not match the anchor: the chain was rewritten"
        return Verdict(verdict.records, verdict.head, anchor.seq, problem)
    return verdict
