"""The readiness checks of the API's dependencies, each answering a short detail."""

from __future__ import annotations

import os
import tempfile

import grpc

from provena.api.readiness import Readiness
from provena.db import Database
from provena.identity import JwksCache
from provena.ipfs import Blockstore
from provena.settings import Settings
from provena.storage import ObjectStore

__all__ = ["LedgerCheck", "readiness_checks"]


class LedgerCheck:
    """The gateway answers: over one channel, opened at the first check and kept until
    `aclose`, so frequent probes neither reconnect nor leave TLS sessions behind."""

    def __init__(self, settings: Settings) -> None:
        if settings.ledger_endpoint is None:
            raise ValueError("no ledger endpoint is configured")
        self._settings = settings
        self._endpoint = settings.ledger_endpoint
        self._channel: grpc.aio.Channel | None = None

    def _open(self) -> grpc.aio.Channel:
        settings = self._settings
        if settings.ledger_tls_ca is None:
            return grpc.aio.insecure_channel(self._endpoint)
        credentials = grpc.ssl_channel_credentials(settings.ledger_tls_ca.read_bytes())
        options = []
        if settings.ledger_server_name:
            options.append(("grpc.ssl_target_name_override", settings.ledger_server_name))
        return grpc.aio.secure_channel(self._endpoint, credentials, options=options)

    async def __call__(self) -> str:
        if self._channel is None:
            self._channel = self._open()
        await self._channel.channel_ready()
        return f"channel {self._settings.ledger_channel} at {self._endpoint}"

    async def aclose(self) -> None:
        if self._channel is not None:
            channel, self._channel = self._channel, None
            await channel.close()


def readiness_checks(
    *,
    settings: Settings,
    database: Database,
    jwks: JwksCache,
    objects: ObjectStore,
    blockstore: Blockstore,
) -> Readiness:
    """`database`, `identity`, `data_dir`, `object_store`, `blockstore`, and `ledger` when a
    Fabric gateway is configured (the Readiness runner bounds each check's time; its
    `aclose` closes the ledger check's channel)."""
    readiness = Readiness()

    async def database_check() -> str | None:
        await database.ping()
        return database.dialect_name

    async def identity_check() -> str | None:
        count = await jwks.ping()
        return f"{settings.issuer_url} ({count} signing key{'s' if count != 1 else ''})"

    async def data_dir_check() -> str | None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.data_dir, prefix=".ready-"):
            pass
        free = os.statvfs(settings.data_dir)
        return f"{free.f_bavail * free.f_frsize // 2**20} MiB free"

    async def object_store_check() -> str | None:
        async for _ in objects.list("readyz/"):
            break
        return settings.storage_backend

    async def blockstore_check() -> str | None:
        async for _ in blockstore.block_keys():
            break
        return settings.ipfs_kubo_url or settings.ipfs_blockstore

    readiness.add("database", database_check)
    readiness.add("identity", identity_check)
    readiness.add("data_dir", data_dir_check)
    readiness.add("object_store", object_store_check)
    readiness.add("blockstore", blockstore_check)
    if settings.ledger_endpoint:
        ledger = LedgerCheck(settings)
        readiness.add("ledger", ledger)
        readiness.on_close(ledger.aclose)
    return readiness
