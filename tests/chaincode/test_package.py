"""`provena chaincode package`: the ccaas package a Fabric peer installs, and its id."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from provena.chaincode.package import CcaasConnection, ccaas_package, package_id


def members(data: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        return {
            m.name: archive.extractfile(m).read()  # type: ignore[union-attr]
            for m in archive.getmembers()
        }


def test_cli_writes_package_and_prints_its_id(tmp_path: Path) -> None:
    output = tmp_path / "provena.tgz"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "provena",
            "chaincode",
            "package",
            "--label",
            "provena_1.0",
            "--address",
            "contracts.provena.svc:9999",
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = output.read_bytes()
    assert run.stdout.strip() == f"provena_1.0:{hashlib.sha256(data).hexdigest()}"
    outer = members(data)
    assert json.loads(outer["metadata.json"]) == {"label": "provena_1.0", "type": "ccaas"}
    connection = json.loads(members(outer["code.tar.gz"])["connection.json"])
    assert connection == {
        "address": "contracts.provena.svc:9999",
        "dial_timeout": "10s",
        "tls_required": False,
    }


def test_same_input_same_package_id() -> None:
    connection = CcaasConnection(address="127.0.0.1:9999")
    first = ccaas_package("cc", connection)
    assert first == ccaas_package("cc", connection)
    assert package_id("cc", first) != package_id(
        "cc", ccaas_package("cc", CcaasConnection(address="127.0.0.1:9998"))
    )


def test_mutual_tls_connection(tmp_path: Path) -> None:
    connection = CcaasConnection(
        address="cc:9999", root_cert="ROOT", client_cert="CERT", client_key="KEY"
    )
    body = json.loads(
        members(members(ccaas_package("cc", connection))["code.tar.gz"])["connection.json"]
    )
    assert body["tls_required"] is True
    assert body["client_auth_required"] is True
    assert (body["root_cert"], body["client_cert"], body["client_key"]) == ("ROOT", "CERT", "KEY")


@pytest.mark.parametrize("label", ["", "has space", "a/b"])
def test_bad_labels_rejected(label: str) -> None:
    with pytest.raises(ValueError, match="invalid package label"):
        ccaas_package(label, CcaasConnection(address="cc:1"))


def test_cli_refuses_half_mutual_tls(tmp_path: Path) -> None:
    cert = tmp_path / "c.pem"
    cert.write_text("x")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "provena",
            "chaincode",
            "package",
            "--label",
            "l",
            "--address",
            "a:1",
            "-o",
            str(tmp_path / "p.tgz"),
            "--client-cert",
            str(cert),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "go together" in run.stderr
