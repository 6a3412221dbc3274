"""`OciVaultKek`: a key-encryption key that never leaves an OCI Vault.

Data keys are wrapped and unwrapped by the vault's crypto endpoint (KMS `Encrypt` and
`Decrypt` with the master key's OCID); the SDK signs each request the way
`provena.storage.oci` signs Object Storage's, with the same `auth` choices. The SDK is
synchronous, so calls run in worker threads.
"""

from __future__ import annotations

import asyncio
import base64
import functools
from typing import Any

import oci  # type: ignore[import-untyped]
from oci.exceptions import ServiceError  # type: ignore[import-untyped]
from oci.key_management import KmsCryptoClient  # type: ignore[import-untyped]
from oci.key_management.models import (  # type: ignore[import-untyped]
    DecryptDataDetails,
    EncryptDataDetails,
)

from provena.identity.keys.errors import SealingError
from provena.storage.errors import StorageConfigError
from provena.storage.oci import OciAuth, oci_service_client

__all__ = ["OciVaultKek", "vault_crypto_client"]


def vault_crypto_client(
    auth: OciAuth,
    *,
    crypto_endpoint: str,
    config_file: str = oci.config.DEFAULT_LOCATION,
    profile: str = oci.config.DEFAULT_PROFILE,
    region: str | None = None,
) -> KmsCryptoClient:
    """A KMS crypto client for one vault's crypto endpoint, authenticated the `auth` way."""
    try:
        return oci_service_client(
            KmsCryptoClient,
            auth,
            config_file=config_file,
            profile=profile,
            region=region,
            endpoint=crypto_endpoint,
        )
    except StorageConfigError as exc:
        raise SealingError(f"the OCI Vault cannot be used: {exc}") from exc


class OciVaultKek:
    """A KEK held in an OCI Vault; `kek_id` is "oci-vault:" and the master key's OCID.

    The vault keeps every version of a rotated key and its ciphertexts name their version,
    so the id stays the same across rotations and old data keys still unwrap.
    """

    def __init__(self, client: KmsCryptoClient, *, key_id: str) -> None:
        self._client = client
        self._key_id = key_id
        self.kek_id = f"oci-vault:{key_id}"

    def __repr__(self) -> str:
        endpoint = self._client.base_client.endpoint
        return f"OciVaultKek(key_id={self._key_id!r}, endpoint={endpoint!r})"

    async def wrap(self, dek: bytes) -> bytes:
        details = EncryptDataDetails(key_id=self._key_id, plaintext=base64.b64encode(dek).decode())
        answer = await self._call("wrap", self._client.encrypt, details)
        return str(answer.data.ciphertext).encode("ascii")

    async def unwrap(self, wrapped: bytes) -> bytes:
        try:
            ciphertext = wrapped.decode("ascii")
        except UnicodeDecodeError as exc:
            raise SealingError("the wrapped data key is not a vault ciphertext") from exc
        details = DecryptDataDetails(key_id=self._key_id, ciphertext=ciphertext)
        answer = await self._call("unwrap", self._client.decrypt, details)
        return base64.b64decode(answer.data.plaintext)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._client.base_client.session.close)

    async def _call(self, action: str, method: Any, details: Any) -> Any:
        try:
            return await asyncio.to_thread(functools.partial(method, details))
        except ServiceError as exc:
            raise SealingError(
                f"OCI Vault refused to {action} a data key with {self._key_id}: "
                f"{exc.status} {exc.code}: {exc.message}"
            ) from exc
        except oci.exceptions.RequestException as exc:
            raise SealingError(f"OCI Vault request to {action} a data key failed: {exc}") from exc
