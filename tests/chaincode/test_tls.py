"""The launcher and the runtime over TLS and mutual TLS, with a CA made for the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.x509.oid import NameOID
from fabric_protos.peer import chaincode_pb2

from provena.chaincode import ChaincodeServer, Contracts, ServerSettings, TlsSettings
from provena.devnet.chaincode import ChaincodeDefinition, ChaincodeUnavailable, Launcher
from tests.chaincode.conftest import FAST
from tests.chaincode.contracts import TypesContract
from tests.chaincode.support import CHANNEL, Authority, Issued, name, signed_proposal

PACKAGE_ID = "tls:5e1f"


@pytest.fixture(scope="module")
def tls_server(ca: Authority) -> Issued:
    return ca.issue("tls-server", name((NameOID.COMMON_NAME, "localhost")), server=True)


@pytest.fixture(scope="module")
def tls_client(ca: Authority) -> Issued:
    return ca.issue("tls-client", name((NameOID.COMMON_NAME, "peer0")), server=True)


async def _add(launcher: Launcher) -> bytes:
    result = await launcher.execute(
        channel=CHANNEL,
        name="tls",
        tx_id="tls-1",
        signed_proposal=signed_proposal(creator=b"", tx_id="tls-1"),
        input=chaincode_pb2.ChaincodeInput(args=[b"Add", b"20", b"22"]),
        simulator=None,  # type: ignore[arg-type]
        timeout=5.0,
    )
    return bytes(result.response.payload)


def _definition(address: str, ca: Path, client: Issued | None = None) -> ChaincodeDefinition:
    return ChaincodeDefinition(
        name="tls",
        version="1",
        sequence=1,
        package_id=PACKAGE_ID,
        address=address,
        tls_ca=ca,
        client_cert=client.cert_path if client else None,
        client_key=client.key_path if client else None,
    )


async def test_tls(ca: Authority, tls_server: Issued) -> None:
    tls = TlsSettings(cert=tls_server.cert_pem, key=tls_server.key_pem)
    settings = ServerSettings(PACKAGE_ID, "127.0.0.1:0", tls)
    async with ChaincodeServer(Contracts(TypesContract()), settings) as server:
        launcher = Launcher(FAST, ready_timeout=0.5)
        try:
            await launcher.deploy(_definition(server.address, ca.cert_path))
            assert await _add(launcher) == b"42"
            plain = ChaincodeDefinition(
                name="tls", version="1", sequence=2, package_id=PACKAGE_ID, address=server.address
            )
            await launcher.deploy(plain)  # no TLS against a TLS server: never registers
            with pytest.raises(ChaincodeUnavailable):
                await _add(launcher)
        finally:
            await launcher.close()


async def test_mutual_tls(
    ca: Authority, tls_server: Issued, tls_client: Issued, tmp_path: Path
) -> None:
    tls = TlsSettings(cert=tls_server.cert_pem, key=tls_server.key_pem, client_ca=ca.cert_pem)
    settings = ServerSettings(PACKAGE_ID, "127.0.0.1:0", tls)
    stranger_ca = Authority(tmp_path / "stranger")
    stranger = stranger_ca.issue("stranger", name((NameOID.COMMON_NAME, "peer9")), server=True)
    async with ChaincodeServer(Contracts(TypesContract()), settings) as server:
        launcher = Launcher(FAST, ready_timeout=0.5)
        try:
            await launcher.deploy(_definition(server.address, ca.cert_path, tls_client))
            assert await _add(launcher) == b"42"
            await launcher.deploy(_definition(server.address, ca.cert_path))
            with pytest.raises(ChaincodeUnavailable):
                await _add(launcher)  # no client certificate
            await launcher.deploy(_definition(server.address, ca.cert_path, stranger))
            with pytest.raises(ChaincodeUnavailable):
                await _add(launcher)  # a client certificate from another CA
        finally:
            await launcher.close()
