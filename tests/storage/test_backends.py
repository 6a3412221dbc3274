"""Backend specifics: OCI request signing, local read URLs, configuration errors."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from provena.storage import BackendError, LocalObjectStore, StorageConfigError
from provena.storage.oci import OciObjectStore, oci_client
from tests.storage.oci_server import FakeObjectStorage

FakeOci = tuple[FakeObjectStorage, Path, str]


async def test_oci_requests_are_signed(fake_oci: FakeOci) -> None:
    storage, config, url = fake_oci
    store = OciObjectStore(
        oci_client("api_key", config_file=str(config), endpoint=url),
        namespace=storage.namespace,
        bucket=storage.bucket,
    )
    await store.put("signed.txt", b"x")
    await store.read_url("signed.txt", expires_in=timedelta(minutes=1))
    await store.aclose()
    assert storage.rejected == []
    assert all({"date", "(request-target)", "host"} <= set(h) for h in storage.signed_headers)
    assert any("x-content-sha256" in h for h in storage.signed_headers)  # the PAR's POST
    async with httpx.AsyncClient() as http:
        unsigned = await http.get(f"{url}/n/{storage.namespace}/b/{storage.bucket}/o/signed.txt")
    assert unsigned.status_code == 401


async def test_oci_wrong_key_is_refused(fake_oci: FakeOci, tmp_path: Path) -> None:
    storage, config, url = fake_oci
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "impostor.pem"
    key_file.write_bytes(
        impostor.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    text = config.read_text().replace(
        next(line for line in config.read_text().splitlines() if line.startswith("key_file")),
        f"key_file={key_file}",
    )
    forged = tmp_path / "forged_config"
    forged.write_text(text)
    store = OciObjectStore(
        oci_client("api_key", config_file=str(forged), endpoint=url),
        namespace=storage.namespace,
        bucket=storage.bucket,
    )
    with pytest.raises(BackendError, match="401"):
        await store.put("nope.txt", b"x")
    await store.aclose()
    assert storage.rejected == ["signature does not verify"]


def test_oci_principal_auth_outside_oci_is_a_config_error() -> None:
    with pytest.raises(StorageConfigError, match="resource_principal"):
        oci_client("resource_principal")


async def test_local_read_url_is_signed_and_expires(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path, url_secret=b"k" * 32)
    await store.put("docs/a.txt", b"a")
    url = await store.read_url("docs/a.txt", expires_in=timedelta(minutes=1))
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    key = unquote(parts.path.removeprefix("/storage/"))
    assert store.verify_read_url(key, int(query["expires"]), query["signature"])
    assert not store.verify_read_url("docs/b.txt", int(query["expires"]), query["signature"])
    assert not store.verify_read_url(
        key, int(time.time()) - 1, store._sign(key, int(time.time()) - 1)
    )
