"""Server settings from CHAINCODE_* variables, chaincode definitions and package ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from provena.chaincode import ConfigurationError, ServerSettings, TlsSettings
from provena.devnet.chaincode import ChaincodeDefinition, package_id_for


def test_from_env_plain() -> None:
    settings = ServerSettings.from_env(
        {"CHAINCODE_ID": "provena:abc123", "CHAINCODE_SERVER_ADDRESS": "0.0.0.0:9999"}
    )
    assert settings == ServerSettings("provena:abc123", "0.0.0.0:9999", None)


def test_arguments_override_the_environment() -> None:
    env = {"CHAINCODE_ID": "a:1", "CHAINCODE_SERVER_ADDRESS": "0.0.0.0:1"}
    settings = ServerSettings.from_env(env, chaincode_id="b:2", address="127.0.0.1:0")
    assert (settings.chaincode_id, settings.address) == ("b:2", "127.0.0.1:0")


def test_from_env_tls(tmp_path: Path) -> None:
    for file in ("cert", "key", "ca"):
        (tmp_path / file).write_bytes(file.encode())
    env = {
        "CHAINCODE_ID": "a:1",
        "CHAINCODE_SERVER_ADDRESS": "0.0.0.0:1",
        "CHAINCODE_TLS_CERT": str(tmp_path / "cert"),
        "CHAINCODE_TLS_KEY": str(tmp_path / "key"),
    }
    assert ServerSettings.from_env(env).tls == TlsSettings(b"cert", b"key", None)
    mutual = {**env, "CHAINCODE_CLIENT_CA_CERT": str(tmp_path / "ca")}
    assert ServerSettings.from_env(mutual).tls == TlsSettings(b"cert", b"key", b"ca")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "CHAINCODE_ID is not set"),
        ({"CHAINCODE_ID": "a:1"}, "CHAINCODE_SERVER_ADDRESS is not set"),
        ({"CHAINCODE_ID": "nohash", "CHAINCODE_SERVER_ADDRESS": "h:1"}, "package id label:hash"),
        ({"CHAINCODE_ID": "a:1", "CHAINCODE_SERVER_ADDRESS": "9999"}, "must be host:port"),
        ({"CHAINCODE_ID": "a:1", "CHAINCODE_SERVER_ADDRESS": "h:99999"}, "must be host:port"),
        (
            {"CHAINCODE_ID": "a:1", "CHAINCODE_SERVER_ADDRESS": "h:1", "CHAINCODE_TLS_CERT": "c"},
            "CHAINCODE_TLS_KEY is not set",
        ),
        (
            {"CHAINCODE_ID": "a:1", "CHAINCODE_SERVER_ADDRESS": "h:1", "CHAINCODE_TLS_KEY": "k"},
            "CHAINCODE_TLS_CERT is not set",
        ),
        (
            {
                "CHAINCODE_ID": "a:1",
                "CHAINCODE_SERVER_ADDRESS": "h:1",
                "CHAINCODE_CLIENT_CA_CERT": "ca",
            },
            "CHAINCODE_CLIENT_CA_CERT needs TLS",
        ),
        (
            {
                "CHAINCODE_ID": "a:1",
                "CHAINCODE_SERVER_ADDRESS": "h:1",
                "CHAINCODE_TLS_CERT": "/no/such/cert",
                "CHAINCODE_TLS_KEY": "/no/such/key",
            },
            "CHAINCODE_TLS_CERT: cannot read /no/such/cert",
        ),
    ],
)
def test_from_env_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        ServerSettings.from_env(env)


def test_package_id_is_stable() -> None:
    package_id = package_id_for("provena", "127.0.0.1:9999")
    assert package_id == package_id_for("provena", "127.0.0.1:9999")
    label, digest = package_id.split(":")
    assert label == "provena"
    assert len(digest) == 64
    assert package_id != package_id_for("provena", "127.0.0.1:9998")


def test_definition_json_round_trip(tmp_path: Path) -> None:
    definition = ChaincodeDefinition(
        name="provena",
        version="1.0",
        sequence=3,
        package_id="provena:ab",
        address="cc.example:9999",
        tls_ca=tmp_path / "ca.pem",
        client_cert=tmp_path / "c.pem",
        client_key=tmp_path / "c.key",
    )
    assert ChaincodeDefinition.from_json(definition.to_json()) == definition
    with pytest.raises(ValueError, match="lacks address, package_id"):
        ChaincodeDefinition.from_json({"name": "x", "version": "1", "sequence": 1})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "a/b"}, "invalid chaincode name"),
        ({"sequence": 0}, "sequence must be at least 1"),
        ({"package_id": "nohash"}, "package id must be label:hash"),
        ({"address": "nohost"}, "address must be host:port"),
        ({"client_cert": Path("c")}, "client_cert and client_key go together"),
        ({"client_cert": Path("c"), "client_key": Path("k")}, "needs TLS"),
    ],
)
def test_definition_validation(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {
        "name": "cc",
        "version": "1",
        "sequence": 1,
        "package_id": "cc:1",
        "address": "h:1",
    }
    with pytest.raises(ValueError, match=message):
        ChaincodeDefinition(**{**fields, **changes})  # type: ignore[arg-type]
