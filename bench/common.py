"""Shared by the benchmarks: run `provena up` as a real process and wait for readiness."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import make_url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> float:
    """Seconds until `url`/readyz first answers 200."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"provena up exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"{url}/readyz not ready after {timeout} s (see the data dir's .log)")


@contextmanager
def provena_up(data_dir: Path, port: int, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """`provena up` on `port` with `data_dir`, stopped when the block ends."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PROVENA_")}
    environment |= {"PROVENA_LOG_LEVEL": "WARNING", "PROVENA_DEVNET_LISTEN": "127.0.0.1:0"} | env
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir.parent / f"{data_dir.name}.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "provena", "up", "--port", str(port), "--data-dir", str(data_dir)],
        env=environment,
        stdout=log,
        stderr=log,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@contextmanager
def temporary_database(postgres: str | None, directory: Path) -> Iterator[str]:
    """A new database's URL: a SQLite file in `directory`, or, given a PostgreSQL server's
    maintenance database URL, a database created there and dropped when the block ends."""
    if postgres is None:
        yield f"sqlite:///{directory / 'provena.db'}"
        return
    server = make_url(postgres)
    conninfo = server.set(drivername="postgresql").render_as_string(False)
    name = f"provena_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
        try:
            yield server.set(database=name).render_as_string(False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
