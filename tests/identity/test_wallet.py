"""The wallet against the devnet's Fabric CA, with identities used on the real ledger."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from provena.db import Database, KeyCustody, LedgerIdentity, upgrade, upsert_user
from provena.db.crud import seed_organizations
from provena.devnet.ca import attributes_of
from provena.devnet.fabricca.server import ca_endpoints
from provena.fabric import EndorseError, connect, ecdsa_signer
from provena.identity.fabricca import FabricCaClient, certificate_request
from provena.identity.keys import LocalKek
from provena.identity.wallet import OrgCa, SigningIdentity, Wallet, WalletError
from tests.devnet.network.support import KeyValue
from tests.support.ledger import Ledger, running_ledger

CHAINCODE = "kv"


@pytest.fixture(scope="module")
async def ledger(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Ledger]:
    async with running_ledger(tmp_path_factory.mktemp("devnet"), CHAINCODE, [KeyValue()]) as led:
        yield led


async def org_cas(ledger: Ledger) -> dict[str, OrgCa]:
    """Every organization's CA on the devnet, with its registrar enrolled."""
    config = ledger.devnet.config
    endpoints = ca_endpoints(
        ledger.devnet.pki, config.ca_url, config.ca_dir / "registrars", tls=config.tls
    )
    authorities = {}
    for endpoint in endpoints:
        credentials = json.loads(endpoint.registrar.read_text())
        client = FabricCaClient(endpoint.url, ca_name=endpoint.ca_name, tls_ca=endpoint.tls_ca)
        authorities[endpoint.msp_id] = OrgCa(
            client, registrar_id=credentials["enrollment_id"], secret=credentials["secret"]
        )
    return authorities


@pytest.fixture
async def wallet(ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Wallet]:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'provena.db'}"
    await upgrade(url)
    authorities = await org_cas(ledger)
    async with Database.from_url(url) as database:
        async with database.session() as session:
            await seed_organizations(session)
            await session.commit()
        yield Wallet(database=database, authorities=authorities, kek=LocalKek(b"k" * 32))
    for ca in authorities.values():
        await ca.client.aclose()


async def new_user(wallet: Wallet, msp_id: str) -> uuid.UUID:
    async with wallet._database.session() as session:
        user = await upsert_user(
            session,
            subject=f"sub-{uuid.uuid4()}",
            email=None,
            display_name=None,
            msp_id=msp_id,
            roles=[],
        )
        await session.commit()
    return user.id


async def put(ledger: Ledger, signing: SigningIdentity, key: str) -> None:
    """A real transaction signed by `signing`."""
    async with connect(
        ledger.devnet.endpoint, identity=signing.identity, signer=signing.signer, tls=ledger.tls
    ) as gateway:
        contract = gateway.get_network(ledger.channel).get_contract(CHAINCODE, "KV")
        await contract.submit_transaction("Put", key, "v")


async def rows(wallet: Wallet, user_id: uuid.UUID) -> list[LedgerIdentity]:
    async with wallet._database.session() as session:
        found = await session.scalars(
            select(LedgerIdentity)
            .where(LedgerIdentity.user_id == user_id)
            .order_by(LedgerIdentity.created_at)
        )
        return list(found)


async def test_first_action_enrolls_a_sealed_identity_with_the_role(
    wallet: Wallet, ledger: Ledger
) -> None:
    user_id = await new_user(wallet, "ProducerMSP")
    signing = await wallet.signing_identity(user_id, msp_id="ProducerMSP", role="producer")
    certificate = x509.load_pem_x509_certificate(signing.identity.credentials)
    attributes = attributes_of(certificate)
    assert attributes["provena.role"] == "producer"
    assert attributes["provena.user"] == str(user_id)
    assert attributes["hf.EnrollmentID"] == signing.enrollment_id
    assert signing.identity.msp_id == "ProducerMSP"
    assert signing.custody == KeyCustody.SERVER
    await put(ledger, signing, f"wallet-{user_id}")

    (row,) = await rows(wallet, user_id)
    assert row.encrypted_key is not None
    assert b"PRIVATE KEY" not in row.encrypted_key
    assert row.kek_id is not None
    assert row.kek_id.startswith("local:")
    assert "encrypted_key" not in repr(row)

    again = await wallet.signing_identity(user_id, msp_id="ProducerMSP", role="producer")
    assert again.identity == signing.identity
    assert len(await rows(wallet, user_id)) == 1


async def test_a_restarted_wallet_unseals_the_stored_key(wallet: Wallet, ledger: Ledger) -> None:
    user_id = await new_user(wallet, "ProducerMSP")
    first = await wallet.signing_identity(user_id, msp_id="ProducerMSP", role="producer")
    fresh = Wallet(
        database=wallet._database, authorities=wallet._authorities, kek=LocalKek(b"k" * 32)
    )
    unsealed = await fresh.signing_identity(user_id, msp_id="ProducerMSP", role="producer")
    assert unsealed.identity == first.identity
    await put(ledger, unsealed, f"restart-{user_id}")


async def test_a_role_change_revokes_the_old_certificate_and_enrolls_a_new_one(
    wallet: Wallet, ledger: Ledger
) -> None:
    user_id = await new_user(wallet, "ProducerMSP")
    old = await wallet.signing_identity(user_id, msp_id="ProducerMSP", role="producer")
    new = await wallet.signing_identity(user_id, msp_id="ProducerMSP", role="admin")
    assert (
        attributes_of(x509.load_pem_x509_certificate(new.identity.credentials))["provena.role"]
        == "admin"
    )
    first, second = await rows(wallet, user_id)
    assert first.revoked_at is not None
    assert second.revoked_at is None
    await put(ledger, new, f"renewed-{user_id}")
    with pytest.raises(EndorseError):
        await put(ledger, old, f"revoked-{user_id}")


async def test_a_person_without_role_or_organization_cannot_act(
    wallet: Wallet, ledger: Ledger
) -> None:
    user_id = await new_user(wallet, "CarrierMSP")
    signing = await wallet.signing_identity(user_id, msp_id="CarrierMSP", role="carrier")
    with pytest.raises(WalletError, match="no role"):
        await wallet.signing_identity(user_id, msp_id="CarrierMSP", role=None)
    assert await wallet.current(user_id) is None
    with pytest.raises(EndorseError):
        await put(ledger, signing, f"removed-{user_id}")
    with pytest.raises(WalletError, match="no organization"):
        await wallet.signing_identity(user_id, msp_id=None, role="carrier")
    with pytest.raises(WalletError, match="no Fabric CA"):
        await wallet.signing_identity(user_id, msp_id="RetailerMSP-unknown", role="receiver")


async def test_a_browser_key_is_enrolled_from_its_csr_and_never_stored(
    wallet: Wallet, ledger: Ledger
) -> None:
    user_id = await new_user(wallet, "ProducerMSP")
    key = ec.generate_private_key(ec.SECP256R1())
    enrollment_id = await wallet.next_enrollment_id(user_id, role="producer")
    signing = await wallet.enroll_browser_key(
        user_id,
        msp_id="ProducerMSP",
        role="producer",
        csr_pem=certificate_request(key, enrollment_id),
    )
    assert signing.signer is None
    assert signing.custody == KeyCustody.BROWSER
    certificate = x509.load_pem_x509_certificate(signing.identity.credentials)
    assert certificate.public_key() == key.public_key()
    (row,) = await rows(wallet, user_id)
    assert (row.encrypted_key, row.wrapped_key, row.kek_id) == (None, None, None)
    # Signing in the "browser" with the person's own key reaches the ledger.
    await put(
        ledger,
        SigningIdentity(
            signing.identity, ecdsa_signer(key), signing.custody, signing.enrollment_id
        ),
        f"browser-{user_id}",
    )
    later = await wallet.signing_identity(user_id, msp_id="ProducerMSP", role="producer")
    assert later.signer is None  # still the browser's key: the server never signs for them

    with pytest.raises(WalletError, match="not a PEM certificate request"):
        await wallet.enroll_browser_key(
            user_id, msp_id="ProducerMSP", role="producer", csr_pem=b"nope"
        )
    someone_else = certificate_request(ec.generate_private_key(ec.SECP256R1()), "someone.else")
    with pytest.raises(WalletError, match="common name must be"):
        await wallet.enroll_browser_key(
            user_id, msp_id="ProducerMSP", role="producer", csr_pem=someone_else
        )
    # A refused request costs nothing: the browser key still signs, nothing was revoked.
    kept = await wallet.signing_identity(user_id, msp_id="ProducerMSP", role="producer")
    assert kept.identity.credentials == signing.identity.credentials
    assert [r.revoked_at for r in await rows(wallet, user_id)] == [None]
