from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from provena.devnet.ledger.genesis import OrgMsp, genesis_block, genesis_record
from provena.devnet.ledger.store import LedgerStore
from provena.devnet.ledger.validator import Validator
from provena.devnet.notifier import CommitNotifier
from provena.devnet.orderer import Orderer
from tests.devnet.ledger.support import CHANNEL, Member, Orgs, Policy

ORGS = ("Org1MSP", "Org2MSP", "OrdererMSP")


@pytest.fixture(scope="session")
def orgs() -> Orgs:
    return Orgs(ORGS)


@pytest.fixture(scope="session")
def orderer_signer(orgs: Orgs) -> Member:
    return orgs.member("OrdererMSP", "orderer")


@pytest.fixture
def store(tmp_path: Path, orgs: Orgs, orderer_signer: Member) -> Iterator[LedgerStore]:
    store = LedgerStore.open(tmp_path / f"{CHANNEL}.sqlite")
    block = genesis_block(
        channel=CHANNEL,
        orgs=[OrgMsp(m, [orgs.ca_pem(m)], orderer=m == "OrdererMSP") for m in ORGS],
        orderer=orderer_signer,
        batch_size=10,
        batch_timeout=0.01,
    )
    store.commit(block, [genesis_record(block)])
    yield store
    store.close()


POLICIES = {
    "basic": Policy(frozenset({"Org1MSP"})),
    "both": Policy(frozenset({"Org1MSP", "Org2MSP"})),
}


@dataclass
class Ledger:
    store: LedgerStore
    validator: Validator
    notifier: CommitNotifier
    orderer: Orderer


@pytest.fixture
async def ledger(store: LedgerStore, orgs: Orgs, orderer_signer: Member) -> AsyncIterator[Ledger]:
    validator = Validator(channel=CHANNEL, store=store, msps=orgs, policies=POLICIES.get)
    notifier = CommitNotifier(store)
    orderer = Orderer(
        channel=CHANNEL,
        store=store,
        validator=validator,
        notifier=notifier,
        signer=orderer_signer,
        msps=orgs,
        batch_size=10,
        batch_timeout=0.01,
    )
    yield Ledger(store, validator, notifier, orderer)
    await orderer.aclose()
