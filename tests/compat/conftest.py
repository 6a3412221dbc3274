"""A devnet over TLS serving the `Store` contract, and a connection profile for Node clients."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from provena.fabric import Contract, Gateway
from tests.compat.contract import Store
from tests.compat.node import ensure_node_modules
from tests.support.ledger import Ledger, running_ledger

CHAINCODE = "store"
USER = ("ProducerMSP", "tomas.herrera")
BATCH_TIMEOUT = 0.02
"""Long enough that transactions submitted together share a block (checkpoints inside one)."""


@dataclass(frozen=True)
class Compat:
    ledger: Ledger
    profile: Path
    gateway: Gateway

    @property
    def contract(self) -> Contract:
        return self.gateway.get_network(self.ledger.channel).get_contract(CHAINCODE)


@pytest.fixture(scope="module")
async def compat(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Compat]:
    ensure_node_modules()
    data_dir = tmp_path_factory.mktemp("compat")
    async with running_ledger(
        data_dir / "devnet", CHAINCODE, [Store()], ready_as=USER, batch_timeout=BATCH_TIMEOUT
    ) as ledger:
        profile = data_dir / "profile.json"
        profile.write_text(json.dumps(ledger.profile(*USER)))
        async with ledger.connect(*USER) as gateway:
            yield Compat(ledger, profile, gateway)
