"""`provena chaincode package`: the ccaas package a Fabric peer installs, and its id."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from provena.chaincode.package import (
    CcaasConnection,
    ccaas_package,
    obp_package,
    package_id,
    validate_obp_label,
)


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


def raw_tar_entries(data: bytes) -> list[tuple[str, bytes]]:
    """(name, typeflag) of every header block, as Fabric's reader walks them (no pax hiding)."""
    raw = gzip.decompress(data)
    entries, offset = [], 0
    while offset + 512 <= len(raw) and raw[offset : offset + 512] != b"\0" * 512:
        header = raw[offset : offset + 512]
        name = header[:100].rstrip(b"\0").decode()
        size = int(header[124:136].rstrip(b"\0 ") or b"0", 8)
        entries.append((name, header[156:157]))
        offset += 512 + (size + 511) // 512 * 512
    return entries


def test_package_holds_only_regular_files_a_peer_accepts() -> None:
    # Fabric's ChaincodePackageParser refuses any entry that is not a regular file
    # (typeflag '0'), and the external builder untars code.tar.gz the same way.
    package = ccaas_package("provena_1.0", CcaasConnection(address="cc:9999"))
    assert raw_tar_entries(package) == [("code.tar.gz", b"0"), ("metadata.json", b"0")]
    code = members(package)["code.tar.gz"]
    assert raw_tar_entries(code) == [("connection.json", b"0")]


def test_package_id_is_label_and_sha256_of_the_file() -> None:
    package = ccaas_package("provena_1.0", CcaasConnection(address="cc:9999"))
    digest = hashlib.sha256(package).hexdigest()
    assert package_id("provena_1.0", package) == f"provena_1.0:{digest}"


@pytest.mark.parametrize("label", ["_provena", ".provena", "-provena", "+provena"])
def test_labels_a_peer_refuses_are_refused(label: str) -> None:
    # Fabric: ^[[:alnum:]][[:alnum:]_.+-]*$
    with pytest.raises(ValueError, match="invalid package label"):
        ccaas_package(label, CcaasConnection(address="cc:1"))


@pytest.mark.parametrize("label", ["provena_1.0", "p", "provena-1.0+build.2", "0provena"])
def test_labels_a_peer_accepts_are_accepted(label: str) -> None:
    ccaas_package(label, CcaasConnection(address="cc:1"))


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_obp_package_is_a_zip_of_connection_json_alone() -> None:
    connection = CcaasConnection(address="provena-contracts.provena:9999")
    data = obp_package(connection)
    assert data[:4] == b"PK\x03\x04"
    assert zip_members(data) == {"connection.json": connection.to_json()}
    assert json.loads(zip_members(data)["connection.json"]) == {
        "address": "provena-contracts.provena:9999",
        "dial_timeout": "10s",
        "tls_required": False,
    }
    assert data == obp_package(connection)  # deterministic: no clock in the bytes
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (info,) = archive.infolist()
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert (info.external_attr >> 16) & 0o777 == 0o644


@pytest.mark.parametrize("label", ["provena", "provena_0-1-0", "Provena2", "a" * 50])
def test_obp_labels_obp_accepts(label: str) -> None:
    validate_obp_label(label)


@pytest.mark.parametrize(
    "label", ["provena_0.1.0", "_provena", "provena_", "pro--vena", "pro-_vena", "a" * 51, ""]
)
def test_obp_labels_obp_refuses(label: str) -> None:
    with pytest.raises(ValueError, match="invalid OBP package label"):
        validate_obp_label(label)


def test_cli_obp_format_writes_the_zip_and_no_package_id(tmp_path: Path) -> None:
    output = tmp_path / "provena.zip"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "provena",
            "chaincode",
            "package",
            "--format",
            "obp",
            "--label",
            "provena_0-1-0",
            "--address",
            "provena-contracts.provena.svc.cluster.local:9999",
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout == ""  # the id is OBP's to assign
    assert "Package Label provena_0-1-0" in run.stderr
    connection = json.loads(zip_members(output.read_bytes())["connection.json"])
    assert connection["address"] == "provena-contracts.provena.svc.cluster.local:9999"


def test_cli_obp_format_refuses_a_label_obp_refuses(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "provena",
            "chaincode",
            "package",
            "--format",
            "obp",
            "--label",
            "provena_0.1.0",
            "--address",
            "a:1",
            "-o",
            str(tmp_path / "p.zip"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "invalid OBP package label" in run.stderr
    assert not (tmp_path / "p.zip").exists()
