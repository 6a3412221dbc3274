"""The `provena` command line, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import typer

from provena import __version__
from tests.support.server import free_port

PROVENA = [sys.executable, "-m", "provena"]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROVENA_")}
    return env | extra


def test_version() -> None:
    out = subprocess.run([*PROVENA, "version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == __version__


# What made `provena version` take a second: every command group's libraries, and typer's
# pydantic adapters and rich help (each a sizeable share of the start).
HEAVY = {"grpc", "fastapi", "starlette", "sqlalchemy", "oci", "cryptography", "uvicorn"}
HEAVY |= {"httpx", "pydantic", "rich"}


def imported_packages(*args: str) -> set[str]:
    """The top-level packages `provena ARGS` imports (from `python -X importtime`)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "provena", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in out.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines}


def test_version_and_help_load_no_heavy_library() -> None:
    for args in (["version"], ["--help"]):
        packages = imported_packages(*args)
        assert "typer" in packages
        assert packages & HEAVY == set(), args


def test_lazy_groups_are_listed_with_their_own_help() -> None:
    from importlib import import_module

    from provena.cli import app

    out = subprocess.run([*PROVENA, "--help"], capture_output=True, text=True, check=True)
    lazy = typer.main.get_command(app).lazy  # type: ignore[attr-defined]
    for name, (target, help_text) in lazy.items():
        module, _, attribute = target.partition(":")
        assert getattr(import_module(module), attribute).info.help == help_text
        assert f"  {name} " in out.stdout


def test_db_upgrade_creates_schema(tmp_path: Path) -> None:
    out = subprocess.run(
        [*PROVENA, "db", "upgrade", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
    )
    assert out.stdout.startswith("database at revision ")
    assert (tmp_path / "provena.db").is_file()


def test_production_profile_refuses_to_start(tmp_path: Path) -> None:
    out = subprocess.run(
        [*PROVENA, "up", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=clean_env(PROVENA_PROFILE="production"),
        timeout=60,
    )
    assert out.returncode == 2
    assert "production profile refused" in out.stderr
    assert "development OIDC issuer" in out.stderr


def test_up_serves_and_logs_json_with_request_ids(tmp_path: Path) -> None:
    port = free_port()
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>Provena</title>")
    process = subprocess.Popen(
        [*PROVENA, "up", "--port", str(port), "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(PROVENA_WEB_DIR=str(web), PROVENA_DEVNET_LISTEN="127.0.0.1:0"),
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "provena up did not become ready"
            time.sleep(0.1)
        checks = {c["name"]: c for c in httpx.get(f"{url}/readyz").json()["checks"]}
        assert checks["ledger"]["status"] == "ok"
        assert checks["ledger"]["detail"].startswith("channel provena at 127.0.0.1:")
        httpx.get(f"{url}/healthz", headers={"X-Request-ID": "cli-test-1"})
        assert "<title>Provena</title>" in httpx.get(f"{url}/system").text
    finally:
        process.terminate()
        stdout, stderr = process.communicate(timeout=30)
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status tells why.
    assert process.returncode in (0, -15), stderr
    assert "Application shutdown complete." in stderr
    assert f"Provena is up at {url}" in stdout
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    access = [e for e in lines if e.get("request_id") == "cli-test-1"]
    assert access
    assert access[0]["logger"] == "provena.access"
    assert access[0]["status"] == 200
    assert access[0]["route"] == "/healthz"
    routes = {e.get("route") for e in lines if e.get("logger") == "provena.access"}
    assert {"/dev-oidc/jwks", "/readyz", "static"} <= routes
    assert (tmp_path / "data" / "dev-issuer" / "signing-key.pem").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "data" / "devnet" / "organizations").is_dir()
