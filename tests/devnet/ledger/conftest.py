from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from provena.devnet.identity import SigningIdentity
from provena.devnet.ledger.genesis import genesis_block, genesis_record
from provena.devnet.ledger.store import LedgerStore
from provena.devnet.ledger.validator import Validator
from provena.devnet.notifier import CommitNotifier
from provena.devnet.orderer import Orderer
from provena.devnet.policy import Policy
from tests.devnet.ledger.support import CHANNEL, Orgs

ORGS = ("Org1MSP", "Org2MSP")


@pytest.fixture(scope="session")
def orgs(tmp_path_factory: pytest.TempPathFactory) -> Orgs:
    return Orgs(tmp_path_factory.mktemp("pki"), ORGS)


@pytest.fixture(scope="session")
def strangers(tmp_path_factory: pytest.TempPathFactory) -> Orgs:
    """Organizations with the channel's MSP ids but CAs the channel does not trust."""
    return Orgs(tmp_path_factory.mktemp("foreign-pki"), ORGS)


@pytest.fixture(scope="session")
def orderer_signer(orgs: Orgs) -> SigningIdentity:
    return orgs.member("OrdererMSP", "orderer")


@pytest.fixture
def store(tmp_path: Path, orgs: Orgs, orderer_signer: SigningIdentity) -> Iterator[LedgerStore]:
    store = LedgerStore.open(tmp_path / f"{CHANNEL}.sqlite")
    block = genesis_block(
        channel=CHANNEL,
        orgs=orgs.channel_orgs(),
        orderer=orderer_signer,
        batch_size=10,
        batch_timeout=0.01,
    )
    store.commit(block, [genesis_record(block)])
    yield store
    store.close()


POLICIES = {
    "basic": Policy.parse("OR('Org1MSP.peer')", ORGS),
    "both": Policy.parse("AND('Org1MSP.peer', 'Org2MSP.peer')", ORGS),
    "twice": Policy.parse("AND('Org1MSP.peer', 'Org1MSP.peer')", ORGS),
}


def policies(chaincode: str, block: int) -> Policy | None:
    """The test chaincodes' policies, the same for every block."""
    return POLICIES.get(chaincode)


@dataclass
class Ledger:
    store: LedgerStore
    validator: Validator
    notifier: CommitNotifier
    orderer: Orderer


@pytest.fixture
async def ledger(
    store: LedgerStore, orgs: Orgs, orderer_signer: SigningIdentity
) -> AsyncIterator[Ledger]:
    validator = Validator(channel=CHANNEL, store=store, msps=orgs.msps, policies=policies)
    notifier = CommitNotifier(store)
    orderer = Orderer(
        channel=CHANNEL,
        store=store,
        validator=validator,
        notifier=notifier,
        signer=orderer_signer,
        msps=orgs.msps,
        batch_size=10,
        batch_timeout=0.01,
    )
    yield Ledger(store, validator, notifier, orderer)
    await orderer.aclose()
