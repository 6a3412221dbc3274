"""Provena's images, built here from `deploy/images/Dockerfile` (see `containers.py`): each
runs as its own user from a read-only root, carries its OCI labels and a health check, and
does its job: the API serves the web app, the functions answer Fn over their socket."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx

from tests.deploy.containers import BUILD_FILE, Podman, pinned_base
from tests.support.server import free_port

LABELS = ("title", "description", "source", "version", "revision", "licenses")


def test_every_stage_builds_from_the_pinned_base_or_another_stage() -> None:
    name, _ = pinned_base()
    assert name == "docker.io/library/debian:bookworm-slim"
    stages: list[str] = []
    for base, stage in re.findall(r"^FROM (\S+) AS (\S+)$", BUILD_FILE.read_text(), re.M):
        assert base == "${BASE}" or base in stages, f"{stage} builds from {base}"
        stages.append(stage)
    assert {"api", "contracts", "functions"} <= set(stages)


def test_each_image_has_its_user_labels_health_check_and_init(
    podman: Podman, images: dict[str, str]
) -> None:
    for target, tag in images.items():
        image = podman.inspect("image", tag)
        config = image["Config"]
        assert config["User"] == "10001", target
        labels = config["Labels"]
        assert {f"org.opencontainers.image.{label}" for label in LABELS} <= set(labels), target
        assert labels["org.opencontainers.image.title"] == f"provena-{target}"
        assert labels["org.opencontainers.image.revision"] == "test"
        assert image["Healthcheck"]["Test"][0] == "CMD", target
        assert config["Entrypoint"][:2] == ["tini", "--"], target


def test_the_contracts_image_holds_only_what_the_contracts_import(
    podman: Podman, images: dict[str, str]
) -> None:
    listing = podman.podman(
        "run", "--rm", "--entrypoint", "/opt/contracts/bin/python", images["contracts"],
        "-c", "import importlib.metadata as m; print(sorted(d.name for d in m.distributions()))",
    ).stdout  # fmt: skip
    assert "grpcio" in listing
    for server_side in ("fastapi", "sqlalchemy", "oci", "uvicorn"):
        assert f"'{server_side}'" not in listing


def test_the_api_image_serves_the_web_app_from_a_read_only_root(
    podman: Podman, images: dict[str, str]
) -> None:
    port = free_port()
    name = "provena-api-alone"
    podman.podman(
        "run", "--detach", "--name", name, "--read-only", "--tmpfs", "/tmp", "--network", "host",  # noqa: S108
        "--env", f"PROVENA_PORT={port}", images["api"],
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, podman.podman("logs", name).stderr[-3000:]
            time.sleep(0.5)
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200
        assert '<div id="root">' in page.text
        assert podman.podman("healthcheck", "run", name, check=False).returncode == 0
        written = podman.podman("exec", name, "touch", "/opt/provena/x", check=False)
        assert "Read-only file system" in written.stderr
        podman.podman("stop", "--time", "20", name, timeout=60)
        # tini hands SIGTERM to the server, which stops cleanly, not by a kill after 20 s
        assert podman.inspect("container", name)["State"]["ExitCode"] == 0
    finally:
        podman.podman("rm", "--force", name, check=False)


def test_a_health_check_fails_when_its_server_is_gone(
    podman: Podman, images: dict[str, str]
) -> None:
    name = "provena-contracts-idle"
    podman.podman(
        "run", "--detach", "--name", name, "--read-only", "--network", "host",
        "--entrypoint", "sleep", images["contracts"], "60",
    )  # fmt: skip
    try:
        assert podman.podman("healthcheck", "run", name, check=False).returncode != 0
    finally:
        podman.podman("rm", "--force", name, check=False)


def test_the_functions_image_answers_fn_on_its_socket(
    podman: Podman, images: dict[str, str], tmp_path: Path
) -> None:
    sockets = tmp_path / "fn"
    sockets.mkdir()
    sockets.chmod(0o777)  # the function's user makes its socket here, as in Fn's own mount
    name = "provena-functions-alone"
    podman.podman(
        "run", "--detach", "--name", name, "--read-only", "--tmpfs", "/tmp",  # noqa: S108
        "--volume", f"{sockets}:/tmp/fn", "--env", "FN_FORMAT=http-stream",
        "--env", "FN_LISTENER=unix:/tmp/fn/lsnr.sock", "--env", "PROVENA_FUNCTION=nothing",
        images["functions"],
    )  # fmt: skip
    try:
        socket = sockets / "lsnr.sock"
        deadline = time.monotonic() + 60
        while not socket.is_socket():
            assert time.monotonic() < deadline, podman.podman("logs", name).stderr[-3000:]
            time.sleep(0.2)
        assert podman.podman("healthcheck", "run", name, check=False).returncode == 0
        transport = httpx.HTTPTransport(uds=str(socket))
        with httpx.Client(transport=transport, base_url="http://fn") as client:
            answer = client.post(
                "/call", headers={"Fn-Call-Id": "01", "Fn-Deadline": "2099-01-01T00:00:00Z"}
            )
        assert answer.status_code == 502
        assert answer.headers["fn-fdk-version"].startswith("fdk-python/")
        assert answer.json()["title"] == "Unknown function"
    finally:
        podman.podman("rm", "--force", name, check=False)
