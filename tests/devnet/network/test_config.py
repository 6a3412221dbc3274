"""Configuration: parsing options, validation, what is remembered and what may not change."""

from __future__ import annotations

from pathlib import Path

import pytest

from provena.devnet.config import DEMO_ORGS, DevnetConfig, demo_users, parse_listen, parse_orgs
from provena.devnet.errors import ConfigError
from provena.devnet.pki import OrgSpec


def test_defaults_are_the_demo_world() -> None:
    config = DevnetConfig()
    assert [o.msp_id for o in config.orgs] == [
        "CertifierMSP",
        "ProducerMSP",
        "CarrierMSP",
        "RetailerMSP",
    ]
    assert (config.channel, config.tls, config.endpoint) == ("provena", True, "127.0.0.1:7051")
    assert config.endorsement_policy == "ANY Endorsement"
    names = {u.name: u.attrs["provena.role"] for u in config.users}
    assert names["mei.tanaka"] == "certifier"
    assert names["jonas.berg"] == "receiver"


def test_demo_users_only_for_present_orgs() -> None:
    users = demo_users(DEMO_ORGS[1:2])
    assert {u.msp_id for u in users} == {"ProducerMSP"}


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        (
            "ProducerMSP",
            [("ProducerMSP", "producer.provena.test", "Green Valley Farmers Cooperative")],
        ),
        (
            "Org1MSP, Org2MSP",
            [
                ("Org1MSP", "org1.provena.test", "Org1MSP"),
                ("Org2MSP", "org2.provena.test", "Org2MSP"),
            ],
        ),
        ("A=a.example.com", [("A", "a.example.com", "A")]),
        ("MSP", [("MSP", "msp.provena.test", "MSP")]),
    ],
)
def test_parse_orgs(text: str, orgs: list[tuple[str, str, str]]) -> None:
    assert parse_orgs(text) == tuple(OrgSpec(*o) for o in orgs)


@pytest.mark.parametrize(
    ("text", "message"),
    [(" , ", "at least one"), ("Org_1", "MSP id"), ("A=Bad_Domain", "DNS domain")],
)
def test_bad_orgs(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_orgs(text)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("127.0.0.1:7051", ("127.0.0.1", 7051)),
        ("[::1]:0", ("::1", 0)),
        ("host.test:1", ("host.test", 1)),
    ],
)
def test_parse_listen(text: str, parsed: tuple[str, int]) -> None:
    assert parse_listen(text) == parsed


@pytest.mark.parametrize("text", ["7051", ":7051", "host:", "host:port", "host:70510"])
def test_bad_listen(text: str) -> None:
    with pytest.raises(ConfigError, match="host:port"):
        parse_listen(text)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"channel": "Provena"}, "channel name"),
        ({"channel": ""}, "channel name"),
        ({"batch_size": 0}, "batch size"),
        ({"batch_timeout": 0.0}, "batch timeout"),
        ({"port": 70000}, "out of range"),
        ({"orgs": ()}, "at least one organization"),
    ],
)
def test_invalid_configurations(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        DevnetConfig(**fields)  # type: ignore[arg-type]


def test_wildcard_endpoint_is_loopback() -> None:
    assert DevnetConfig(host="0.0.0.0", port=1).endpoint == "127.0.0.1:1"  # noqa: S104
    assert DevnetConfig(host="::", port=1).endpoint == "[::1]:1"


def test_saved_and_loaded_with_overrides(tmp_path: Path) -> None:
    config = DevnetConfig(data_dir=tmp_path, port=7777, orgs=parse_orgs("A,B"), batch_size=5)
    config.save()
    assert DevnetConfig.load(tmp_path) == config
    changed = DevnetConfig.load(tmp_path, tls=False, batch_timeout=0.5, port=None)
    assert (changed.tls, changed.batch_timeout, changed.port, changed.batch_size) == (
        False,
        0.5,
        7777,
        5,
    )
    assert DevnetConfig.load(tmp_path, orgs=parse_orgs("A,B")) == config


@pytest.mark.parametrize(("field", "value"), [("orgs", parse_orgs("A,C")), ("channel", "other")])
def test_orgs_and_channel_are_fixed_once_created(tmp_path: Path, field: str, value: object) -> None:
    DevnetConfig(data_dir=tmp_path, orgs=parse_orgs("A,B")).save()
    with pytest.raises(ConfigError, match=f"was created with {field}.*cannot change"):
        DevnetConfig.load(tmp_path, **{field: value})


def test_unreadable_configuration(tmp_path: Path) -> None:
    (tmp_path / "devnet.json").write_text("{not json")
    with pytest.raises(ConfigError, match="cannot read the devnet configuration"):
        DevnetConfig.load(tmp_path)
