"""One chaincode server with the test contracts and one launcher connected to it, shared by
the tests; a fresh ledger per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cryptography.x509.oid import NameOID

from provena.chaincode import ChaincodeServer, Contracts, ServerSettings
from provena.devnet.chaincode import ChaincodeDefinition, ConnectionOptions, Launcher
from tests.chaincode.contracts import HookedContract, StateContract, TypesContract
from tests.chaincode.support import Authority, Issued, Ledger, Peer, name, serialized_identity

PACKAGE_ID = "cc:0a1b2c3d"
FAST = ConnectionOptions(backoff_initial=0.02, backoff_max=0.2, registration_timeout=5.0)


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return Authority(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="session")
def alice(ca: Authority) -> Issued:
    subject = name(
        (NameOID.COUNTRY_NAME, "NL"),
        (NameOID.STATE_OR_PROVINCE_NAME, "Gelderland"),
        (NameOID.LOCALITY_NAME, "Ede"),
        (NameOID.ORGANIZATION_NAME, "Farm Coop"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "client"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "producer"),
        (NameOID.COMMON_NAME, "alice"),
    )
    attributes = {"provena.role": "producer", "hf.EnrollmentID": "alice"}
    return ca.issue("alice", subject, attributes=attributes)


@pytest.fixture(scope="session")
def hooked() -> HookedContract:
    return HookedContract()


@pytest.fixture(scope="session")
async def server(hooked: HookedContract) -> AsyncIterator[ChaincodeServer]:
    chaincode = Contracts(StateContract(), TypesContract(), hooked, title="tests", version="7")
    settings = ServerSettings(chaincode_id=PACKAGE_ID, address="127.0.0.1:0")
    async with ChaincodeServer(chaincode, settings) as running:
        yield running


@pytest.fixture(scope="session")
async def launcher(server: ChaincodeServer) -> AsyncIterator[Launcher]:
    launcher = Launcher(FAST)
    definition = ChaincodeDefinition(
        name="cc", version="1", sequence=1, package_id=PACKAGE_ID, address=server.address
    )
    await launcher.deploy(definition)
    await launcher.wait_ready("cc", 10.0)
    yield launcher
    await launcher.close()


@pytest.fixture(scope="session")
async def second(launcher: Launcher) -> AsyncIterator[str]:
    """A second chaincode, "cc2", on its own server: the target of chaincode-to-chaincode calls."""
    chaincode = Contracts(TypesContract(), StateContract())
    settings = ServerSettings(chaincode_id="cc2:ffff", address="127.0.0.1:0")
    async with ChaincodeServer(chaincode, settings) as running:
        definition = ChaincodeDefinition(
            name="cc2", version="1", sequence=1, package_id="cc2:ffff", address=running.address
        )
        await launcher.deploy(definition)
        await launcher.wait_ready("cc2", 10.0)
        yield "cc2"
        await launcher.undeploy("cc2")


@pytest.fixture(scope="session")
def peer(launcher: Launcher, alice: Issued) -> Peer:
    return Peer(launcher, serialized_identity("ProducerMSP", alice.cert_pem))


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "ledger.sqlite")
