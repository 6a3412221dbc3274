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

__all__ = ["readiness_checks"]


def readiness_checks(
    *,
    settings: Settings,
    database: Database,
    jwks: JwksCache,
    objects: ObjectStore,
    blockstore: Blockstore,
) -> Readiness:
    """`database`, `identity`, `data_dir`, `object_store`, `blockstore`, and `ledger` when a
    Fabric gateway is configured (the Readiness runner bounds each check's time)."""
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

    async def ledger_check() -> str | None:
        endpoint = settings.ledger_endpoint
        assert endpoint is not None
        if settings.ledger_tls_ca is None:
            channel = grpc.aio.insecure_channel(endpoint)
        else:
            credentials = grpc.ssl_channel_credentials(settings.ledger_tls_ca.read_bytes())
            options = []
            if settings.ledger_server_name:
                options.append(("grpc.ssl_target_name_override", settings.ledger_server_name))
            channel = grpc.aio.secure_channel(endpoint, credentials, options=options)
        async with channel:
            await channel.channel_ready()
        return f"channel {settings.ledger_channel} at {endpoint}"

    readiness.add("database", database_check)
    readiness.add("identity", identity_check)
    readiness.add("data_dir", data_dir_check)
    readiness.add("object_store", object_store_check)
    readiness.add("blockstore", blockstore_check)
    if settings.ledger_endpoint:
        readiness.add("ledger", ledger_check)
    return readiness
