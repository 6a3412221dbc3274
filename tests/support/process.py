"""A real `provena up` process on a free port and its own data dir, its output in a log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.server import free_port

STARTUP_SECONDS = 90.0


@dataclass
class ProvenaUp:
    url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen[bytes]

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def check(self, name: str) -> dict[str, Any] | None:
        """The readiness check `name` as /readyz reports it, or None if it has none."""
        checks = httpx.get(f"{self.url}/readyz", timeout=5).json()["checks"]
        return next((c for c in checks if c["name"] == name), None)

    def kill(self) -> None:
        """SIGKILL the whole process group: a crash, with no chance to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not stop in time."""
        for sig, grace in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
            if self.process.poll() is not None:
                return
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=grace)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue


@contextmanager
def provena_up(
    data_dir: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[ProvenaUp]:
    """`provena up --data-dir DATA_DIR ARGS` (with `env`'s settings), once it answers
    /healthz; stopped at exit."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"{data_dir.name}-up-{port}.log"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PROVENA_")}
    environment |= {"PROVENA_DEVNET_LISTEN": "127.0.0.1:0"} | (env or {})
    command = [sys.executable, "-m", "provena", "up", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--data-dir", str(data_dir), *args],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    up = ProvenaUp(f"http://127.0.0.1:{port}", data_dir, log, process)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(up.url):
            assert process.poll() is None, f"provena up exited:\n{up.output()}"
            assert time.monotonic() < deadline, f"provena up did not start:\n{up.output()}"
            time.sleep(0.05)
        yield up
    finally:
        up.stop()


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
