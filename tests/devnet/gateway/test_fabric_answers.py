"""The error paths of a Fabric 3.1 peer, over gRPC: each status code and message as Fabric's
source gives it (core/endorser, core/handlers/auth/filter, internal/pkg/gateway, msp,
orderer/common/msgprocessor), since clients decide from the code whether to retry."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import grpc
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from provena.devnet.identity import SigningIdentity
from provena.fabric import ErrorDetail, Gateway, GatewayError, Identity, connect
from tests.devnet.gateway.conftest import CHAINCODE, USER, Network

P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
WRITERS = (
    "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy "
    "requires 1 of the 'Writers' sub-policies to be satisfied: permission denied"
)


@asynccontextmanager
async def client(
    network: Network, identity: SigningIdentity, sign: Callable[[bytes], bytes] | None = None
) -> AsyncIterator[Gateway]:
    """A gateway for `identity`, signing with `sign` (default the identity's own key)."""
    async with connect(
        network.ledger.devnet.endpoint,
        identity=Identity(identity.msp_id, identity.certificate_pem),
        signer=sign or identity.sign_digest,
        tls=network.ledger.tls,
    ) as gateway:
        yield gateway


def issued(
    network: Network,
    name: str,
    *,
    ou: str | None = "client",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> SigningIdentity:
    """A new identity of the user's organization, from its own CA."""
    certificate = network.ledger.devnet.pki.signing_ca(USER[0]).issue(
        name, ou=ou, not_before=not_before, not_after=not_after
    )
    key = serialization.load_pem_private_key(certificate.key_pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return SigningIdentity(USER[0], certificate.certificate_pem, key)


def detail(network: Network, msp_id: str, message: str) -> ErrorDetail:
    return ErrorDetail(network.ledger.devnet.endpoint, msp_id, message)


def peers_after(network: Network, first: str) -> list[str]:
    """The organizations with peers, `first` (the gateway's own) ahead of the others."""
    orgs = list(network.ledger.devnet.endorsing_peers(CHAINCODE))
    return [first] + [org for org in orgs if org != first]


async def test_evaluate_with_failed_pre_checks_is_a_failed_precondition(network: Network) -> None:
    """The endorser returns an error with its 500: the client's fault, not retried."""
    channel = network.channel
    other = network.member(USER[0], "Admin")
    ca_start = network.ledger.devnet.pki.signing_ca(USER[0]).certificate.not_valid_before_utc
    malformed = f"access denied: channel [{channel}] creator org unknown, creator is malformed"
    invalid = f"access denied: channel [{channel}] creator org [{USER[0]}]"
    early = issued(  # chains are verified as of a certificate's start: its CA was not valid yet
        network,
        "early",
        not_before=ca_start - dt.timedelta(days=1),
        not_after=ca_start + dt.timedelta(days=1),
    )
    cases = [
        ("signed by another key", network.member(), other.sign_digest, invalid),
        ("from an unknown CA", network.stranger(), None, malformed),
        ("starting before its CA", early, None, malformed),
        ("without a role OU", issued(network, "roleless", ou=None), None, invalid),
    ]
    for case, identity, sign, message in cases:
        reason = f"error validating proposal: {message}"
        async with client(network, identity, sign) as gateway:
            contract = gateway.get_network(channel).get_contract(CHAINCODE)
            with pytest.raises(GatewayError) as caught:
                await contract.evaluate_transaction("Get", "k0")
        assert caught.value.code == grpc.StatusCode.FAILED_PRECONDITION, case
        assert caught.value.message == f"evaluate call to endorser returned error: {reason}"
        assert caught.value.details == (detail(network, USER[0], reason),)


async def test_a_bad_envelope_signature_is_forbidden_by_the_writers_policy(
    network: Network,
) -> None:
    """Wrong key or high S: the orderer's signature filter answers FORBIDDEN."""
    endorsed = await network.contract.new_proposal("Put", args=["forbidden", "v"]).endorse()
    wrong = network.member(USER[0], "Admin").sign_digest(endorsed.digest)
    r, s = decode_dss_signature(network.member().sign_digest(endorsed.digest))
    high_s = encode_dss_signature(r, P256_ORDER - s)
    for signature in (wrong, high_s):
        transaction = network.gateway.new_signed_transaction(endorsed.to_bytes(), signature)
        with pytest.raises(GatewayError) as caught:
            await transaction.submit()
        assert caught.value.code == grpc.StatusCode.ABORTED
        assert caught.value.message == (
            f"received unsuccessful response from orderer: status=FORBIDDEN, info={WRITERS}"
        )
    assert network.ledger.devnet.store.tx_location(endorsed.transaction_id) is None


async def test_unknown_chaincode_and_channel_fail_in_planning(network: Network) -> None:
    """Fabric's gateway plans through discovery before any endorser sees the proposal."""
    channel = network.channel
    nowhere = network.gateway.get_network(channel).get_contract("nowhere")
    elsewhere = network.gateway.get_network("elsewhere").get_contract(CHAINCODE)
    no_metadata = "no combination of peers can be derived which satisfy the endorsement policy: "
    cases = [
        (
            nowhere.evaluate_transaction("Get", "k0"),
            grpc.StatusCode.FAILED_PRECONDITION,
            f"no peers available to evaluate chaincode nowhere in channel {channel}",
        ),
        (
            nowhere.new_proposal("Put", args=["k", "v"]).endorse(),
            grpc.StatusCode.FAILED_PRECONDITION,
            f"{no_metadata}No metadata was found for chaincode nowhere in channel {channel}",
        ),
        (
            nowhere.new_proposal(
                "Put", args=["k", "v"], endorsing_organizations=[USER[0]]
            ).endorse(),
            grpc.StatusCode.UNAVAILABLE,
            f"failed to find any endorsing peers for org(s): {USER[0]}",
        ),
        (
            elsewhere.evaluate_transaction("Get", "k0"),
            grpc.StatusCode.UNAVAILABLE,
            "failed to get config for channel [elsewhere]: "
            "could not get last config for channel elsewhere",
        ),
        (
            elsewhere.new_proposal("Put", args=["k", "v"]).endorse(),
            grpc.StatusCode.FAILED_PRECONDITION,
            f"{no_metadata}No metadata was found for chaincode {CHAINCODE} in channel elsewhere",
        ),
    ]
    for call, code, message in cases:
        with pytest.raises(GatewayError) as caught:
            await call
        assert (caught.value.code, caught.value.message) == (code, message)


async def test_an_expired_creator_is_refused_before_the_endorser(network: Network) -> None:
    """The expiration filter answers nothing: on evaluate the gateway tries every peer, then
    reports them all unavailable; the first endorser of an endorsement has no other peer."""
    ca_start = network.ledger.devnet.pki.signing_ca(USER[0]).certificate.not_valid_before_utc
    now = dt.datetime.now(dt.UTC)
    expired = issued(
        network, "expired", not_before=ca_start + dt.timedelta(seconds=10), not_after=now
    )
    expected = "proposal client identity expired"
    async with client(network, expired) as gateway:
        contract = gateway.get_network(network.channel).get_contract(CHAINCODE)
        with pytest.raises(GatewayError) as caught:
            await contract.evaluate_transaction("Get", "k0")
        assert caught.value.code == grpc.StatusCode.UNAVAILABLE
        assert caught.value.message == (
            "failed to evaluate transaction, see attached details for more info"
        )
        orgs = peers_after(network, USER[0])
        assert caught.value.details == tuple(
            detail(
                network,
                org,
                expected if org == USER[0] else f"rpc error: code = Unknown desc = {expected}",
            )
            for org in orgs
        )
        with pytest.raises(GatewayError) as caught:
            await contract.new_proposal("Put", args=["k", "v"]).endorse()
        assert caught.value.code == grpc.StatusCode.ABORTED
        assert caught.value.message == (
            "failed to endorse transaction, see attached details for more info"
        )
        assert caught.value.details == (detail(network, USER[0], expected),)


async def test_an_expired_creator_cannot_broadcast(network: Network) -> None:
    """The orderer's expiration rule comes before its signature filter: BAD_REQUEST."""
    ca_start = network.ledger.devnet.pki.signing_ca(USER[0]).certificate.not_valid_before_utc
    expired = issued(
        network,
        "expired-submitter",
        not_before=ca_start + dt.timedelta(seconds=10),
        not_after=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2),
    )
    async with client(network, expired) as gateway:
        contract = gateway.get_network(network.channel).get_contract(CHAINCODE)
        endorsed = await contract.new_proposal("Put", args=["expired", "v"]).endorse()
        left = expired.certificate.not_valid_after_utc - dt.datetime.now(dt.UTC)
        await asyncio.sleep(left.total_seconds() + 1)  # it expires between endorse and submit
        with pytest.raises(GatewayError) as caught:
            await endorsed.submit()
    assert caught.value.code == grpc.StatusCode.ABORTED
    assert caught.value.message == (
        "received unsuccessful response from orderer: status=BAD_REQUEST, "
        "info=broadcast client identity expired"
    )


async def test_evaluate_targeted_at_an_organization_without_peers(network: Network) -> None:
    """The evaluator finds no peer to plan with; it is not an endorser's refusal."""
    orderer_org = network.ledger.devnet.pki.orderer_msp_id
    proposal = network.contract.new_proposal(
        "Get", args=["k0"], endorsing_organizations=[orderer_org]
    )
    with pytest.raises(GatewayError) as caught:
        await proposal.evaluate()
    assert caught.value.code == grpc.StatusCode.FAILED_PRECONDITION
    assert caught.value.message == (
        f"no peers available to evaluate chaincode {CHAINCODE} in channel {network.channel}"
    )
