"""The contracts on a real devnet: the chaincode served over CCaaS, clients per demo person."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from typing import Any

import pytest

from provena.contracts import CONTRACTS
from provena.demo import PEOPLE
from provena.devnet.network import Devnet
from provena.fabric import Contract, Gateway, GatewayError
from tests.support.ledger import Ledger, running_ledger

CHAINCODE = "provena"


@dataclass
class World:
    """A devnet running the contracts, and a gateway for each demo person."""

    ledger: Ledger
    gateways: dict[str, Gateway] = field(default_factory=dict)

    @property
    def devnet(self) -> Devnet:
        return self.ledger.devnet

    async def enroll(self, username: str, msp_id: str, role: str) -> None:
        """A new person with `role` in `msp_id`, and a gateway for them."""
        self.devnet.pki.enroll(username, msp_id, {"provena.role": role})
        self.gateways[username] = self.ledger.connect(msp_id, username)

    def contract(self, username: str, contract: str) -> Contract:
        network = self.gateways[username].get_network(self.devnet.channel)
        return network.get_contract(CHAINCODE, contract)

    async def submit(self, username: str, contract: str, function: str, *args: Any) -> Any:
        result = await self.contract(username, contract).submit_transaction(
            function, *(_arg(a) for a in args)
        )
        return json.loads(result) if result else None

    async def evaluate(self, username: str, contract: str, function: str, *args: Any) -> Any:
        result = await self.contract(username, contract).evaluate_transaction(
            function, *(_arg(a) for a in args)
        )
        return json.loads(result) if result else None


def _arg(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


_ANSWER = re.compile(r"chaincode response (\d+), (.*)", re.DOTALL)


async def refused(call: Awaitable[Any], status: int, message: str) -> None:
    """Assert that every endorser refused the submit or evaluate with exactly this answer.

    Endorsers run the same contract, so they must agree; `message` is the contract's
    whole answer, e.g. `409, "conflict: certificate C-1 is revoked"`.
    """
    with pytest.raises(GatewayError) as info:
        await call
    answers = set()
    for detail in info.value.details:
        matched = _ANSWER.fullmatch(detail.message)
        assert matched, f"not a chaincode answer: {detail}"
        answers.add((int(matched[1]), matched[2]))
    assert answers == {(status, message)}, info.value


@pytest.fixture(scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    data_dir = tmp_path_factory.mktemp("devnet")
    async with running_ledger(
        data_dir, CHAINCODE, CONTRACTS, ready_as=("CertifierMSP", "ines.moreau")
    ) as ledger:
        world = World(ledger)
        try:
            for person in PEOPLE:
                world.gateways[person.username] = ledger.connect(person.msp_id, person.username)
            yield world
        finally:
            for gateway in world.gateways.values():
                await gateway.close()


@pytest.fixture(scope="module")
async def accredited(world: World) -> World:
    """The registry bootstrapped by CertifierMSP, which is accredited for EU-ORGANIC."""
    await world.submit("ines.moreau", "Registry", "Bootstrap", ["CertifierMSP"])
    await world.submit(
        "ines.moreau", "Registry", "AccreditCertifier", "CertifierMSP", ["EU-ORGANIC"]
    )
    return world
