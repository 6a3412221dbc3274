"""A three-organization development PKI, created once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from provena.devnet.msp import MspManager
from provena.devnet.pki import OrgSpec, Pki, UserSpec

ORGS = (
    OrgSpec("Org1MSP", "org1.example.test", "Org One"),
    OrgSpec("Org2MSP", "org2.example.test", "Org Two"),
    OrgSpec("Org3MSP", "org3.example.test", "Org Three"),
)
USERS = (UserSpec("alice", "Org1MSP", {"provena.role": "certifier"}),)


@pytest.fixture(scope="session")
def pki_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(scope="session")
def pki(pki_root: Path) -> Pki:
    return Pki.load_or_create(pki_root, ORGS, USERS)


@pytest.fixture(scope="session")
def msps(pki: Pki) -> MspManager:
    return MspManager(pki.msp_configs())
