"""Real servers for the attack suite: ``tactful.web.app`` under uvicorn in subprocesses,
on one database, as a deployment runs them (several stateless workers)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tactful.app.open import open_app
from tactful.settings import Settings

START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """One server process and a client for it."""

    process: subprocess.Popen[bytes]
    base: str
    client: httpx.Client

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        """SIGTERM: a clean shutdown (uvicorn runs the app's lifespan end)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.client.close()


def environment(url: str, tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TACTFUL_")}
    env.update(
        TACTFUL_DATABASE_URL=url,
        TACTFUL_MODEL_DIR=str(tmp / "models"),
        TACTFUL_CONFIG=str(tmp / "absent.toml"),
        **extra,
    )
    return env


def prepare(url: str, tmp: Path) -> str:
    """Migrate the database once and return an admin key's secret."""
    app = open_app(Settings(database_url=url, model_dir=tmp / "models"))
    try:
        _key, secret = app.access.create_key("attack-suite", ["admin"])
    finally:
        app.close()
    return secret


def start(url: str, tmp: Path, secret: str, **extra: str) -> Server:
    """A server on a free port, once its /healthz answers."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "tactful.web.app:create_app", "--factory"]
    cmd += ["--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(cmd, env=environment(url, tmp, **extra), cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    client = httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {secret}"}, timeout=60.0
    )
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if client.get("/healthz").status_code == 200:
                return Server(process, base, client)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


@contextmanager
def servers(url: str, tmp: Path, count: int, **extra: str) -> Iterator[list[Server]]:
    """``count`` servers on one database, stopped afterwards."""
    secret = prepare(url, tmp)
    running: list[Server] = []
    try:
        for _ in range(count):
            running.append(start(url, tmp, secret, **extra))
        yield running
    finally:
        for server in running:
            server.stop()
