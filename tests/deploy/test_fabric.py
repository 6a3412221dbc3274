"""The production ledger's guide and files (`docs/fabric-production.md`, `deploy/fabric`):
every package command of the guide runs and writes what the guide says, the settings load
into Provena's `Settings`, and the peer's configuration says what Fabric needs for
chaincode as a service."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from provena.settings import FabricCa, Settings
from tests.deploy.kustomize import key, load_documents, render

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "fabric-production.md"
FABRIC = REPO / "deploy" / "fabric"
ENV_FILES = sorted(FABRIC.glob("*/provena.env"))
CCAAS_BUILDER = {
    "name": "ccaas_builder",
    "path": "/opt/hyperledger/ccaas_builder",
    "propagateEnvironment": ["CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG"],
}


def guide_commands(text: str, program: str) -> list[list[str]]:
    """Every command of the guide's indented code blocks that starts with `program`,
    continuation lines joined."""
    commands: list[list[str]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if line.startswith(program):
            while line.endswith("\\"):
                index += 1
                line = line[:-1] + " " + lines[index].strip()
            commands.append(shlex.split(line))
        index += 1
    return commands


PACKAGE_COMMANDS = guide_commands(GUIDE.read_text(), "provena chaincode package")


def option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else None


def run_package(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    for pem in ("--tls-root", "--client-cert", "--client-key"):
        if (path := option(argv, pem)) is not None:
            (cwd / path).write_text(f"-----BEGIN {pem}-----\n")
    return subprocess.run(
        [sys.executable, "-m", "provena", *argv[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_guide_has_both_package_commands() -> None:
    formats = sorted(option(argv, "--format") or "fabric" for argv in PACKAGE_COMMANDS)
    assert formats == ["fabric", "obp"]


@pytest.mark.parametrize("argv", PACKAGE_COMMANDS, ids=lambda argv: option(argv, "--format"))
def test_each_package_command_of_the_guide_writes_what_it_says(
    argv: list[str], tmp_path: Path
) -> None:
    run = run_package(argv, tmp_path)
    assert run.returncode == 0, run.stderr
    output = tmp_path / str(option(argv, "-o"))
    data = output.read_bytes()
    label = str(option(argv, "--label"))
    if option(argv, "--format") == "obp":
        assert output.suffix == ".zip"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.namelist() == ["connection.json"]
            connection = json.loads(archive.read("connection.json"))
        assert run.stdout == ""  # OBP assigns the package id
    else:
        assert output.suffix == ".tgz"
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as outer:
            assert sorted(outer.getnames()) == ["code.tar.gz", "metadata.json"]
            metadata = json.loads(outer.extractfile("metadata.json").read())  # type: ignore[union-attr]
            code = outer.extractfile("code.tar.gz").read()  # type: ignore[union-attr]
        assert metadata == {"label": label, "type": "ccaas"}  # what ccaas_builder detects
        with tarfile.open(fileobj=io.BytesIO(code), mode="r:gz") as inner:
            connection = json.loads(inner.extractfile("connection.json").read())  # type: ignore[union-attr]
        assert run.stdout.strip() == f"{label}:{hashlib.sha256(data).hexdigest()}"
    assert connection["address"] == option(argv, "--address")
    assert connection["tls_required"] is (option(argv, "--tls-root") is not None)


def test_the_self_managed_package_dials_the_contracts_service() -> None:
    (fabric,) = [argv for argv in PACKAGE_COMMANDS if option(argv, "--format") is None]
    host, port = str(option(fabric, "--address")).rsplit(":", 1)
    service, namespace = host.split(".")[:2]
    objects = {
        key(obj): obj for obj in render(REPO / "deploy" / "k8s" / "overlays" / "oke").objects
    }
    ports = [p["port"] for p in objects[("Service", service)]["spec"]["ports"]]
    assert int(port) in ports
    overlay = yaml.safe_load((REPO / "deploy/k8s/overlays/oke/kustomization.yaml").read_text())
    assert namespace == overlay["namespace"]


def test_the_guide_labels_obey_obp_and_fabric() -> None:
    for argv in PACKAGE_COMMANDS:
        label = str(option(argv, "--label"))
        if option(argv, "--format") == "obp":
            assert re.fullmatch(r"[A-Za-z0-9]+([-_][A-Za-z0-9]+)*", label)
            assert len(label) <= 50
        else:
            assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.+-]*", label)


def read_env(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, value = line.partition("=")
            assert sep, f"{path}: {line!r} is not NAME=VALUE"
            values[name] = value
    return values


@pytest.mark.parametrize("env_file", ENV_FILES, ids=lambda p: p.parent.name)
def test_settings_load_into_provena_settings(
    env_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("PROVENA_"):
            monkeypatch.delenv(name)
    values = read_env(env_file)
    fields = {f"PROVENA_{name.upper()}" for name in Settings.model_fields}
    assert set(values) <= fields, f"not Provena settings: {set(values) - fields}"
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.ledger_endpoint == values["PROVENA_LEDGER_ENDPOINT"]
    assert settings.ledger_reader_msp_id in settings.fabric_cas
    for ca in settings.fabric_cas.values():
        assert isinstance(ca, FabricCa)
        assert ca.url.startswith("https://")
        assert ca.tls_ca is not None


def test_env_file_reader_refuses_a_stray_line(tmp_path: Path) -> None:
    broken = tmp_path / "provena.env"
    broken.write_text("PROVENA_LEDGER_CHANNEL provena\n")
    with pytest.raises(AssertionError, match="NAME=VALUE"):
        read_env(broken)


def test_oke_settings_agree_with_the_overlay() -> None:
    values = read_env(FABRIC / "oke" / "provena.env")
    objects = {
        key(obj): obj for obj in render(REPO / "deploy" / "k8s" / "overlays" / "oke").objects
    }
    config = objects[("ConfigMap", "provena-config")]["data"]
    shared = {name for name in values if name in config}
    assert {"PROVENA_LEDGER_ENDPOINT", "PROVENA_LEDGER_CHANNEL"} <= shared
    for name in shared:
        assert config[name] == values[name], name


def core_env(tree: dict[str, Any], prefix: str = "CORE") -> dict[str, Any]:
    """core.yaml keys as Fabric reads them from the environment (CORE_PEER_GATEWAY_ENABLED)."""
    flat: dict[str, Any] = {}
    for name, value in tree.items():
        path = f"{prefix}_{name.upper()}"
        if isinstance(value, dict):
            flat |= core_env(value, path)
        else:
            flat[path] = value
    return flat


def test_core_overrides_configure_chaincode_as_a_service() -> None:
    core = yaml.safe_load((FABRIC / "oke" / "core-overrides.yaml").read_text())
    assert CCAAS_BUILDER in core["chaincode"]["externalBuilders"]
    assert core["peer"]["gateway"]["enabled"] is True
    assert core["peer"]["tls"]["enabled"] is True
    assert (
        core["peer"]["localMspId"]
        == read_env(FABRIC / "oke" / "provena.env")["PROVENA_LEDGER_READER_MSP_ID"]
    )


def test_peer_environment_says_what_core_overrides_say() -> None:
    core = yaml.safe_load((FABRIC / "oke" / "core-overrides.yaml").read_text())
    (config_map,) = load_documents(FABRIC / "oke" / "peer-env.yaml")
    data = config_map["data"]
    assert all(isinstance(value, str) for value in data.values())  # a ConfigMap holds strings
    expected = core_env(core)
    assert set(data) == set(expected)
    for name, value in expected.items():
        assert yaml.safe_load(data[name]) == value, name


def test_core_env_names_keys_as_fabric_does() -> None:
    assert core_env(
        {"peer": {"gateway": {"enabled": True}}, "chaincode": {"externalBuilders": []}}
    ) == {
        "CORE_PEER_GATEWAY_ENABLED": True,
        "CORE_CHAINCODE_EXTERNALBUILDERS": [],
    }
