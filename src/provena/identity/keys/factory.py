"""`open_key_encryption_key`: the KEK the settings name."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from provena.identity.keys.errors import SealingError
from provena.identity.keys.kek import KeyEncryptionKey, LocalKek

if TYPE_CHECKING:
    from provena.settings import Settings

__all__ = ["open_key_encryption_key"]


def open_key_encryption_key(settings: Settings) -> KeyEncryptionKey:
    """Build (without contacting a vault) the KEK `settings.key_encryption` names.

    A local KEK comes from `key_encryption_key` if set, else from the key file, which is
    created only outside production: a production deployment brings its own key.
    """
    if settings.key_encryption == "oci_vault":
        from provena.identity.keys.vault import OciVaultKek, vault_crypto_client

        if not (settings.oci_vault_key_id and settings.oci_vault_crypto_endpoint):
            raise SealingError(
                "OCI Vault sealing needs PROVENA_OCI_VAULT_KEY_ID and "
                "PROVENA_OCI_VAULT_CRYPTO_ENDPOINT"
            )
        client = vault_crypto_client(
            settings.oci_auth,
            crypto_endpoint=settings.oci_vault_crypto_endpoint,
            config_file=settings.oci_config_file,
            profile=settings.oci_config_profile,
            region=settings.oci_region,
        )
        return OciVaultKek(client, key_id=settings.oci_vault_key_id)
    if settings.key_encryption_key is not None:
        try:
            key = base64.b64decode(settings.key_encryption_key.get_secret_value(), validate=True)
        except ValueError as exc:  # binascii.Error, or characters outside ASCII
            raise SealingError("PROVENA_KEY_ENCRYPTION_KEY is not base64") from exc
        return LocalKek(key)
    path = settings.key_encryption_key_file or settings.data_dir / "wallet" / "kek"
    return LocalKek.from_file(path, create=settings.profile != "production")
