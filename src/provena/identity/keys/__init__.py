"""Sealing private keys: envelope encryption under a local key or an OCI Vault key.

The wallet keeps each person's Fabric private key encrypted: AES-256-GCM under a fresh
data key (DEK), the DEK wrapped by a key-encryption key (KEK), the ciphertext bound to
its row by associated data::

    kek = open_key_encryption_key(settings)      # LocalKek or OciVaultKek
    sealed = await seal(key, kek, associated_data=identity.id.bytes)
    # store sealed.encrypted_key, sealed.wrapped_key, sealed.kek_id
    key = await unseal(sealed, kek, associated_data=identity.id.bytes)

In development the KEK is 32 bytes from a setting or a file (created 0600 in the data
dir); in production it is an OCI Vault key, and the production profile refuses the
generated file. Anything that does not check out (another KEK, altered bytes, another
row's ciphertext) raises `SealingError`. No object here shows key bytes in its repr.
"""

from provena.identity.keys.errors import SealingError
from provena.identity.keys.factory import open_key_encryption_key
from provena.identity.keys.kek import KeyEncryptionKey, LocalKek
from provena.identity.keys.seal import Sealed, seal, unseal

__all__ = [
    "KeyEncryptionKey",
    "LocalKek",
    "Sealed",
    "SealingError",
    "open_key_encryption_key",
    "seal",
    "unseal",
]
