"""Registry: who governs accreditation, and which schemes each certifier may issue under.

Bootstrap(governance_msps)           once, by an admin
AccreditCertifier(msp_id, schemes)   an admin of a governing organization
WithdrawAccreditation(msp_id, scheme)
GetAccreditation(msp_id)
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from provena.chaincode import Context, Contract, transaction
from provena.contracts.errors import AccessDenied, Conflict, NotFound
from provena.contracts.events import AccreditationEvent, RegistryEvent
from provena.contracts.fields import Id, MspId
from provena.contracts.ledger import Ledger
from provena.contracts.model import Accreditation, Registry

__all__ = ["RegistryContract", "accreditation_of"]

REGISTRY = "provena.registry"
ACCREDITATION = "provena.accreditation"


async def accreditation_of(ledger: Ledger, msp_id: str) -> Accreditation | None:
    return await ledger.get(Accreditation, ACCREDITATION, msp_id)


async def _governing_admin(ledger: Ledger, what: str) -> None:
    registry = await ledger.get(Registry, REGISTRY)
    if registry is None:
        raise Conflict("the registry is not bootstrapped yet")
    caller = ledger.caller
    caller.require("admin", what=what)
    if caller.msp_id not in registry.governance_msps:
        raise AccessDenied(f"{caller.msp_id} does not govern the registry")


class RegistryContract(Contract):
    """Governance of certifier accreditation."""

    name = "Registry"

    @transaction
    async def Bootstrap(
        self,
        ctx: Context,
        governance_msps: Annotated[list[MspId], Field(min_length=1, max_length=20)],
    ) -> Registry:
        ledger = Ledger(ctx)
        ledger.caller.require("admin", what="bootstrap the registry")
        if await ledger.exists(REGISTRY):
            raise Conflict("the registry is already bootstrapped")
        registry = Registry(
            governance_msps=sorted(set(governance_msps)),
            bootstrapped_at=ledger.now,
            bootstrapped_by=ledger.caller.id,
            tx_id=ledger.tx_id,
        )
        await ledger.put(registry, REGISTRY)
        ledger.emit("RegistryBootstrapped", RegistryEvent(registry=registry))
        return registry

    @transaction
    async def AccreditCertifier(
        self, ctx: Context, msp_id: MspId, schemes: Annotated[list[Id], Field(min_length=1)]
    ) -> Accreditation:
        ledger = Ledger(ctx)
        await _governing_admin(ledger, "accredit certifiers")
        current = await accreditation_of(ledger, msp_id)
        known = set(current.schemes) if current else set()
        accreditation = Accreditation(
            msp_id=msp_id,
            schemes=sorted(known | set(schemes)),
            updated_at=ledger.now,
            tx_id=ledger.tx_id,
        )
        await ledger.put(accreditation, ACCREDITATION, msp_id)
        ledger.emit("CertifierAccredited", AccreditationEvent(accreditation=accreditation))
        return accreditation

    @transaction
    async def WithdrawAccreditation(self, ctx: Context, msp_id: MspId, scheme: Id) -> Accreditation:
        ledger = Ledger(ctx)
        await _governing_admin(ledger, "withdraw accreditations")
        current = await accreditation_of(ledger, msp_id)
        if current is None or scheme not in current.schemes:
            raise NotFound(f"{msp_id} is not accredited for {scheme}")
        accreditation = Accreditation(
            msp_id=msp_id,
            schemes=[s for s in current.schemes if s != scheme],
            updated_at=ledger.now,
            tx_id=ledger.tx_id,
        )
        await ledger.put(accreditation, ACCREDITATION, msp_id)
        event = AccreditationEvent(accreditation=accreditation, scheme=scheme)
        ledger.emit("AccreditationWithdrawn", event)
        return accreditation

    @transaction(evaluate=True)
    async def GetAccreditation(self, ctx: Context, msp_id: MspId) -> Accreditation:
        accreditation = await accreditation_of(Ledger(ctx), msp_id)
        if accreditation is None:
            raise NotFound(f"{msp_id} has no accreditation")
        return accreditation
