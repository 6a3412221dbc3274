"""The API's path to the ledger: one connection, the wallet, and the transaction service.

Built from the settings when a ledger is configured (`PROVENA_LEDGER_ENDPOINT`; `provena
up` sets it for the devnet): the peer's gateway endpoint and TLS CA, each organization's
Fabric CA (`PROVENA_FABRIC_CAS`), the key-encryption key that seals people's keys, and the
API's own read identity, which asks for commit statuses and reads events but never signs
anybody's write.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Database, LedgerTransaction
from provena.demo import Role
from provena.events import publish
from provena.fabric import (
    Gateway,
    Identity,
    Signer,
    Tls,
    ecdsa_signer,
    load_identity,
    load_private_key,
)
from provena.identity import Principal
from provena.identity.fabricca import FabricCaClient
from provena.identity.keys import open_key_encryption_key
from provena.identity.wallet import OrgCa, Wallet
from provena.settings import FabricCa, Settings, SettingsError
from provena.transactions import Actor, LedgerConnection, TransactionService
from provena.verification import LedgerReader

if TYPE_CHECKING:
    from provena.devnet.config import DevnetConfig

__all__ = [
    "READER",
    "LedgerServices",
    "devnet_settings",
    "open_ledger",
    "primary_role",
]

log = logging.getLogger(__name__)

# A certificate carries one role: a person holding several acts with the first of these.
_ROLE_ORDER = (
    Role.ADMIN,
    Role.CERTIFIER,
    Role.PRODUCER,
    Role.CARRIER,
    Role.RECEIVER,
    Role.AUDITOR,
)


def primary_role(principal: Principal) -> Role | None:
    """The role a person's ledger identity carries."""
    return next((role for role in _ROLE_ORDER if role in principal.roles), None)


async def announce_transaction(session: AsyncSession, row: LedgerTransaction) -> None:
    """Tell the submitter's organization that a transaction is pending or settled."""
    await publish(
        session,
        f"transaction.{row.status.value}",
        {
            "tx_id": row.tx_id,
            "function": row.function,
            "record_id": row.record_id,
            "status": row.status.value,
            "validation_code": row.validation_code,
            "block_number": row.block_number,
            "signer": row.signer,
        },
        audience=[row.submitter_msp_id],
        tx_id=row.tx_id,
        block_number=row.block_number,
    )


@dataclass(slots=True)
class LedgerServices:
    """What the API needs to act on the ledger for people."""

    connection: LedgerConnection
    wallet: Wallet
    transactions: TransactionService
    reader: tuple[Identity, Signer]
    reads: LedgerReader
    """Blocks, proofs and evaluated queries, as the read identity (cached)."""
    _cas: list[FabricCaClient]

    async def actor(self, user_id: uuid.UUID, principal: Principal) -> Actor:
        """The person as they act now: their own identity, enrolled or renewed if needed."""
        role = primary_role(principal)
        signing = await self.wallet.signing_identity(
            user_id, msp_id=principal.msp_id, role=role.value if role else None
        )
        return Actor(user_id, signing.identity, signing.signer, signing.label)

    def reader_gateway(self) -> Gateway:
        """A new gateway as the API's read identity (for the event listener)."""
        identity, signer = self.reader
        return self.connection.gateway(identity, signer)

    async def aclose(self) -> None:
        await self.reads.aclose()
        await self.transactions.aclose()
        for client in self._cas:
            await client.aclose()
        await self.connection.aclose()


def _reader(settings: Settings) -> tuple[Identity, Signer]:
    msp_id, cert, key = (
        settings.ledger_reader_msp_id,
        settings.ledger_reader_cert,
        settings.ledger_reader_key,
    )
    if msp_id is None or cert is None or key is None:
        raise SettingsError(
            "a ledger is configured but no read identity: set PROVENA_LEDGER_READER_MSP_ID, "
            "PROVENA_LEDGER_READER_CERT and PROVENA_LEDGER_READER_KEY"
        )
    return load_identity(msp_id, cert), ecdsa_signer(load_private_key(key))


READER = "provena-api"
"""The devnet user the embedded API reads the ledger as."""


def devnet_settings(settings: Settings, config: DevnetConfig) -> Settings:
    """`settings` pointing at the devnet running on `config`: its gateway, every
    organization's CA with its registrar, and a read identity enrolled for the API (once;
    kept across restarts)."""
    from provena.devnet.errors import PkiError
    from provena.devnet.fabricca import ca_endpoints
    from provena.devnet.pki import Pki

    pki = Pki.load_or_create(config.organizations_dir, config.orgs)
    reader_msp = pki.msp_ids[0]
    try:
        cert, key = pki.user_files(reader_msp, READER)
    except PkiError:
        pki.enroll(READER, reader_msp, {})
        cert, key = pki.user_files(reader_msp, READER)
    cas = {}
    for endpoint in ca_endpoints(pki, config.ca_url, config.ca_dir / "registrars", tls=config.tls):
        credentials = json.loads(endpoint.registrar.read_text())
        cas[endpoint.msp_id] = FabricCa(
            url=endpoint.url,
            ca_name=endpoint.ca_name,
            tls_ca=endpoint.tls_ca,
            registrar_id=credentials["enrollment_id"],
            registrar_secret=credentials["secret"],
        )
    return settings.model_copy(
        update={
            "ledger_endpoint": config.endpoint,
            "ledger_tls_ca": pki.tls_ca_file if config.tls else None,
            "ledger_server_name": pki.server_name,
            "ledger_channel": config.channel,
            "ledger_reader_msp_id": reader_msp,
            "ledger_reader_cert": cert,
            "ledger_reader_key": key,
            "fabric_cas": cas,
        }
    )


def open_ledger(
    settings: Settings,
    database: Database,
    on_outcome: Callable[[LedgerTransaction], None] | None = None,
) -> LedgerServices | None:
    """The ledger services for `settings`, or None when no ledger is configured;
    `on_outcome` hears of each write's committed outcome."""
    if settings.ledger_endpoint is None:
        return None
    tls = None
    if settings.ledger_tls_ca is not None:
        tls = Tls(
            root_certificates=settings.ledger_tls_ca.read_bytes(),
            server_name=settings.ledger_server_name,
        )
    connection = LedgerConnection(
        settings.ledger_endpoint,
        tls=tls,
        channel=settings.ledger_channel,
        chaincode=settings.ledger_chaincode,
    )
    clients = {
        msp_id: FabricCaClient(ca.url, ca_name=ca.ca_name, tls_ca=ca.tls_ca)
        for msp_id, ca in settings.fabric_cas.items()
    }
    authorities = {
        msp_id: OrgCa(
            clients[msp_id],
            registrar_id=ca.registrar_id,
            secret=ca.registrar_secret.get_secret_value(),
        )
        for msp_id, ca in settings.fabric_cas.items()
    }
    wallet = Wallet(
        database=database, authorities=authorities, kek=open_key_encryption_key(settings)
    )
    reader = _reader(settings)
    transactions = TransactionService(
        database=database,
        ledger=connection,
        reader=reader,
        on_settled=announce_transaction,
        on_outcome=on_outcome,
    )
    reads = LedgerReader(
        lambda: connection.gateway(*reader),
        reader[1],
        channel=settings.ledger_channel,
        chaincode=settings.ledger_chaincode,
    )
    return LedgerServices(connection, wallet, transactions, reader, reads, list(clients.values()))
