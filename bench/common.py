"""Shared by the benchmarks: run `provena up` as a real process and wait for readiness."""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import make_url

from provena.fabric.profile import Profile
from provena.identity.devissuer import DevIssuer, load_or_create_key
from provena.settings import default_org_groups, default_role_groups


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    """The `q` quantile (0 to 1) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


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


def _provena(*args: str) -> list[str]:
    return [sys.executable, "-m", "provena", *args]


def access_token(url: str, data_dir: Path, username: str) -> str:
    """A token for demo user `username`, signed with the key of the development issuer that
    `provena up` serves at `url` from `data_dir`."""
    issuer = DevIssuer(
        issuer=f"{url}/dev-oidc",
        key=load_or_create_key(data_dir / "dev-issuer" / "signing-key.pem"),
        client_id="provena-web",
        audience="provena",
        role_groups=default_role_groups(),
        org_groups=default_org_groups(),
    )
    return issuer.access_token(username)


def devnet_profile(data_dir: Path, endpoint: str, msp_id: str, user: str) -> Profile:
    """The connection profile of a devnet identity of the ledger `provena up` runs from
    `data_dir` and serves at `endpoint` (its `PROVENA_DEVNET_LISTEN`)."""
    devnet = str(data_dir / "devnet")
    document = subprocess.run(
        _provena("devnet", "profile", "--org", msp_id, "--user", user, "--data-dir", devnet),
        capture_output=True,
        check=True,
    ).stdout
    path = data_dir / f"profile-{msp_id}-{user}.json"
    path.write_bytes(document)
    return dataclasses.replace(Profile.load(path), endpoint=endpoint)


@contextmanager
def provena_up(
    data_dir: Path,
    port: int,
    *options: str,
    env: Mapping[str, str] | None = None,
    profile: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """`provena up` on `port` with `data_dir` (and `options`), stopped when the block ends;
    under cProfile, its statistics written to `profile` when it stops, if given."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PROVENA_")}
    environment |= {"PROVENA_LOG_LEVEL": "WARNING", "PROVENA_DEVNET_LISTEN": "127.0.0.1:0"}
    environment |= env or {}
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir.parent / f"{data_dir.name}.log").open("ab")
    command = _provena("up", "--port", str(port), "--data-dir", str(data_dir), *options)
    if profile is not None:
        command[1:1] = ["-m", "cProfile", "-o", str(profile)]
    process = subprocess.Popen(
        command,
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


WEB_DIST = Path(__file__).parents[1] / "web" / "dist"
SEED_TIMEOUT_SECONDS = 300


@contextmanager
def demo_world() -> Iterator[tuple[str, Path]]:
    """`provena up` with the built web app on a temporary data directory, once its demo
    world is seeded: its URL and data directory, stopped when the block ends."""
    if not (WEB_DIST / "index.html").exists():
        raise SystemExit("build the web app first: make web")
    with tempfile.TemporaryDirectory(prefix="provena-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with provena_up(data_dir, port, env={"PROVENA_WEB_DIR": str(WEB_DIST)}) as process:
            wait_ready(url, process)
            deadline = time.monotonic() + SEED_TIMEOUT_SECONDS
            while True:  # `/readyz` answers while the seed still writes
                checks = httpx.get(f"{url}/readyz", timeout=5).json()["checks"]
                seed = next((c["detail"] or "" for c in checks if c["name"] == "seed"), "")
                if not seed.startswith("seeding"):
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"the demo world was not seeded within {SEED_TIMEOUT_SECONDS} s"
                    )
                time.sleep(1)
            yield url, data_dir


WAIT = {"Prefer": "wait=30"}


def certificate(cert_id: str) -> dict[str, object]:
    """An IssueCertificate body for the accredited scheme `prepare` sets up."""
    return {
        "id": cert_id,
        "scheme": "EU-ORGANIC",
        "subject": {"kind": "lot", "id": f"LOT-{cert_id}", "name": "Tomato lot"},
        "scope": "Organic tomatoes",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2036-01-01T00:00:00Z",
    }


async def prepare(http: httpx.AsyncClient, governor: str) -> None:
    """Bootstrap the registry and accredit the certification body, through the API."""
    headers = {"Authorization": f"Bearer {governor}"} | WAIT
    for path, body in (
        ("/api/v1/registry/bootstrap", {"governance_msps": ["CertifierMSP"]}),
        ("/api/v1/registry/accreditations", {"msp_id": "CertifierMSP", "schemes": ["EU-ORGANIC"]}),
    ):
        answer = await http.post(path, json=body, headers=headers)
        if answer.status_code != 200:
            raise RuntimeError(f"{path}: {answer.status_code} {answer.text}")
