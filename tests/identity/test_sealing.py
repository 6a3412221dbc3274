"""Sealing private keys: envelope encryption under a local KEK and under an OCI Vault key.

The vault is the loopback KMS crypto endpoint in `tests.storage.oci_server`, reached by the
real `oci` SDK over HTTP with real request signatures.
"""

from __future__ import annotations

import base64
import importlib
import pkgutil
import stat
import threading
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from pydantic import SecretStr, ValidationError

import provena.identity.keys
from provena.demo import Role
from provena.identity.keys import (
    KeyEncryptionKey,
    LocalKek,
    Sealed,
    SealingError,
    open_key_encryption_key,
    seal,
    unseal,
)
from provena.identity.keys.vault import OciVaultKek, vault_crypto_client
from provena.settings import Settings
from tests.storage.oci_server import FakeVault, OciUser

ROW = b"ledger-identity-1"
#: A production configuration complete but for how keys are sealed.
PRODUCTION: dict[str, Any] = {
    "profile": "production",
    "dev_issuer": False,
    "devnet": False,
    "oidc_issuer": "https://idcs-0123456789abcdef.identity.oraclecloud.com",
    "oidc_role_groups": {"ProvenaCertifiers": Role.CERTIFIER},
}


@dataclass(frozen=True)
class Vault:
    """A served fake vault with one master key, and a user whose signatures it accepts."""

    fake: FakeVault
    user: OciUser
    url: str
    key_ocid: str

    def settings(self, **overrides: Any) -> Settings:
        fields: dict[str, Any] = {
            "key_encryption": "oci_vault",
            "oci_vault_key_id": self.key_ocid,
            "oci_vault_crypto_endpoint": self.url,
            "oci_config_file": str(self.user.config),
        }
        return Settings(**(fields | overrides))


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    user = OciUser.create(tmp_path / "oci")
    fake = FakeVault(user.key_id, user.public_key)
    key_ocid = fake.create_key()
    server, url = fake.serve()
    try:
        yield Vault(fake, user, url, key_ocid)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=["local", "oci_vault"])
async def kek(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[KeyEncryptionKey]:
    """Each KEK as the settings build it: a generated key file, an OCI Vault key."""
    if request.param == "local":
        settings = Settings(data_dir=tmp_path)
    else:
        settings = request.getfixturevalue("vault").settings()
    built = open_key_encryption_key(settings)
    try:
        yield built
    finally:
        await built.aclose()


@pytest.fixture
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def flipped(data: bytes) -> bytes:
    """`data` with one bit of its middle byte changed."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]


def key_forms(secret: bytes) -> list[str]:
    """The ways key bytes could show up in text."""
    return [repr(secret), secret.hex(), base64.b64encode(secret).decode()]


async def test_round_trip(kek: KeyEncryptionKey, key: ec.EllipticCurvePrivateKey) -> None:
    sealed = await seal(key, kek, associated_data=ROW)
    opened = await unseal(sealed, kek, associated_data=ROW)
    assert opened.private_numbers() == key.private_numbers()
    assert sealed.kek_id == kek.kek_id


async def test_each_seal_uses_a_fresh_data_key(
    kek: KeyEncryptionKey, key: ec.EllipticCurvePrivateKey
) -> None:
    first = await seal(key, kek, associated_data=ROW)
    second = await seal(key, kek, associated_data=ROW)
    assert first.wrapped_key != second.wrapped_key
    assert first.encrypted_key != second.encrypted_key


async def test_tampered_ciphertext_refused(
    kek: KeyEncryptionKey, key: ec.EllipticCurvePrivateKey
) -> None:
    sealed = await seal(key, kek, associated_data=ROW)
    altered = replace(sealed, encrypted_key=flipped(sealed.encrypted_key))
    with pytest.raises(SealingError, match="does not decrypt"):
        await unseal(altered, kek, associated_data=ROW)


async def test_tampered_wrapped_key_refused(
    kek: KeyEncryptionKey, key: ec.EllipticCurvePrivateKey
) -> None:
    sealed = await seal(key, kek, associated_data=ROW)
    altered = replace(sealed, wrapped_key=flipped(sealed.wrapped_key))
    with pytest.raises(SealingError, match=r"does not unwrap|refused to unwrap"):
        await unseal(altered, kek, associated_data=ROW)


async def test_ciphertext_opens_only_in_its_own_row(
    kek: KeyEncryptionKey, key: ec.EllipticCurvePrivateKey
) -> None:
    sealed = await seal(key, kek, associated_data=b"ledger-identity-1")
    assert await unseal(sealed, kek, associated_data=b"ledger-identity-1")
    with pytest.raises(SealingError, match="belongs to another row"):
        await unseal(sealed, kek, associated_data=b"ledger-identity-2")


async def test_key_sealed_under_another_kek_is_named(key: ec.EllipticCurvePrivateKey) -> None:
    old, new = LocalKek(b"\x01" * 32), LocalKek(b"\x02" * 32)
    sealed = await seal(key, old, associated_data=ROW)
    with pytest.raises(SealingError, match=rf"sealed under {old.kek_id}.* is {new.kek_id}"):
        await unseal(sealed, new, associated_data=ROW)


async def test_data_key_wrapped_by_another_local_kek_does_not_unwrap() -> None:
    wrapped = await LocalKek(b"\x01" * 32).wrap(b"\x00" * 32)
    with pytest.raises(SealingError, match="does not unwrap"):
        await LocalKek(b"\x02" * 32).unwrap(wrapped)


async def test_non_ec_key_refused_on_unseal() -> None:
    kek = LocalKek(b"\x01" * 32)
    sealed = await seal(ed25519.Ed25519PrivateKey.generate(), kek, associated_data=ROW)  # type: ignore[arg-type]
    with pytest.raises(SealingError, match="Ed25519PrivateKey, not an EC key"):
        await unseal(sealed, kek, associated_data=ROW)


async def test_key_file_created_0600_and_reused(
    tmp_path: Path, key: ec.EllipticCurvePrivateKey
) -> None:
    first = open_key_encryption_key(Settings(data_dir=tmp_path))
    path = tmp_path / "wallet" / "kek"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_bytes()) == 32
    sealed = await seal(key, first, associated_data=ROW)
    second = open_key_encryption_key(Settings(data_dir=tmp_path))
    assert second.kek_id == first.kek_id
    assert (await unseal(sealed, second, associated_data=ROW)).private_numbers() == (
        key.private_numbers()
    )
    assert [p.name for p in path.parent.iterdir()] == ["kek"]  # no temporary left behind


def test_processes_starting_together_agree_on_one_key_file(tmp_path: Path) -> None:
    path = tmp_path / "wallet" / "kek"
    start = threading.Barrier(8)

    def open_kek() -> str:
        start.wait()
        return LocalKek.from_file(path, create=True).kek_id

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(lambda _: open_kek(), range(8)))
    assert ids == {LocalKek(path.read_bytes()).kek_id}


def test_rotated_key_file_changes_the_kek_id(tmp_path: Path) -> None:
    path = tmp_path / "kek"
    before = LocalKek.from_file(path, create=True)
    path.write_bytes(b"\x03" * 32)
    assert LocalKek.from_file(path, create=True).kek_id != before.kek_id


def test_production_never_generates_a_key_file(tmp_path: Path) -> None:
    path = tmp_path / "kek"
    settings = Settings(**PRODUCTION, key_encryption_key_file=path)
    with pytest.raises(SealingError, match="cannot read the key-encryption key file"):
        open_key_encryption_key(settings)
    assert not path.exists()


async def test_key_from_setting(key: ec.EllipticCurvePrivateKey) -> None:
    secret = bytes(range(32))
    kek = open_key_encryption_key(
        Settings(key_encryption_key=SecretStr(base64.b64encode(secret).decode()))
    )
    assert kek.kek_id == LocalKek(secret).kek_id


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("not base64!", "not base64"),
        ("clé", "not base64"),  # outside ASCII: base64 raises ValueError, not binascii.Error
        (base64.b64encode(b"short").decode(), "32 bytes, not 5"),
    ],
)
def test_unusable_key_setting_refused(value: str, problem: str) -> None:
    with pytest.raises(SealingError, match=problem):
        open_key_encryption_key(Settings(key_encryption_key=SecretStr(value)))


async def test_no_object_shows_key_bytes(vault: Vault, key: ec.EllipticCurvePrivateKey) -> None:
    secret = bytes(range(32))
    local = LocalKek(secret)
    settings = Settings(key_encryption_key=SecretStr(base64.b64encode(secret).decode()))
    remote = open_key_encryption_key(vault.settings())
    sealed: list[Sealed] = [await seal(key, k, associated_data=ROW) for k in (local, remote)]
    await remote.aclose()
    texts = [f(o) for o in (local, settings, remote, *sealed) for f in (repr, str)]
    assert f"kek_id={local.kek_id!r}" in repr(local)
    assert vault.key_ocid in repr(remote)
    hidden = [secret, *(s.encrypted_key for s in sealed), *(s.wrapped_key for s in sealed)]
    for text in texts:
        for form in (f for h in hidden for f in key_forms(h)):
            assert form not in text


async def test_vault_requests_are_signed_and_served(
    vault: Vault, key: ec.EllipticCurvePrivateKey
) -> None:
    kek = open_key_encryption_key(vault.settings())
    try:
        sealed = await seal(key, kek, associated_data=ROW)
        await unseal(sealed, kek, associated_data=ROW)
    finally:
        await kek.aclose()
    assert sealed.kek_id == f"oci-vault:{vault.key_ocid}"
    assert vault.fake.calls == ["encrypt", "decrypt"]
    assert vault.fake.rejected == []


async def test_vault_refuses_a_forged_signature(tmp_path: Path, vault: Vault) -> None:
    forger = OciUser.create(tmp_path / "forger")  # the same keyId, another private key
    assert forger.key_id == vault.user.key_id
    kek = OciVaultKek(
        vault_crypto_client("api_key", crypto_endpoint=vault.url, config_file=str(forger.config)),
        key_id=vault.key_ocid,
    )
    try:
        with pytest.raises(SealingError, match=r"refused to wrap .* 401 NotAuthenticated"):
            await kek.wrap(b"\x00" * 32)
    finally:
        await kek.aclose()
    assert vault.fake.rejected == ["signature does not verify"]
    assert vault.fake.calls == []


async def test_vault_key_of_another_ocid_does_not_unwrap(vault: Vault) -> None:
    other = vault.fake.create_key()
    first = open_key_encryption_key(vault.settings())
    second = open_key_encryption_key(vault.settings(oci_vault_key_id=other))
    try:
        wrapped = await first.wrap(b"\x00" * 32)
        with pytest.raises(SealingError, match=r"refused to unwrap .* 400 InvalidParameter"):
            await second.unwrap(wrapped)
    finally:
        await first.aclose()
        await second.aclose()


async def test_vault_refuses_a_wrapped_key_that_is_not_a_ciphertext(vault: Vault) -> None:
    kek = open_key_encryption_key(vault.settings())
    try:
        with pytest.raises(SealingError, match="not a vault ciphertext"):
            await kek.unwrap(b"\xff\x00")
    finally:
        await kek.aclose()
    assert vault.fake.calls == []


def test_vault_needs_key_and_endpoint() -> None:
    with pytest.raises(SealingError, match="PROVENA_OCI_VAULT_KEY_ID"):
        open_key_encryption_key(Settings(key_encryption="oci_vault"))


def test_vault_auth_that_cannot_work_here_is_a_sealing_error(vault: Vault) -> None:
    with pytest.raises(SealingError, match="resource_principal authentication is not usable"):
        open_key_encryption_key(vault.settings(oci_auth="resource_principal"))


def test_production_refuses_the_generated_key_file() -> None:
    with pytest.raises(ValidationError, match="sealed with a generated development key"):
        Settings(**PRODUCTION)


@pytest.mark.parametrize(
    "sealing",
    [
        {"key_encryption": "oci_vault"},
        {"key_encryption_key": SecretStr(base64.b64encode(bytes(32)).decode())},
        {"key_encryption_key_file": Path("/run/secrets/provena-kek")},
    ],
)
def test_production_accepts_explicit_sealing(sealing: dict[str, Any]) -> None:
    assert Settings(**PRODUCTION, **sealing).profile == "production"


def isort_order(name: str) -> tuple[int, str]:
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def test_modules_declare_sorted_exports() -> None:
    package = provena.identity.keys
    names = [package.__name__] + [
        info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    ]
    for name in names:
        module = importlib.import_module(name)
        exported = module.__all__
        assert exported == sorted(exported, key=isort_order), name
        assert all(hasattr(module, n) for n in exported), name
