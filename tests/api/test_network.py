"""The network view's cloud side: the object store, the identity provider and the deployment
target, from a real API on a real devnet and from the settings of cloud deployments."""

# ruff: noqa: F811 (the fixtures imported from tests.api.devnetapi are parameters here)

from __future__ import annotations

from pathlib import Path

import httpx

from provena.api.routes.network import cloud_view
from provena.settings import Settings
from tests.api.conftest import RunningApi
from tests.api.devnetapi import api, api_settings, auth, backend, http, ledger  # noqa: F401 (fixtures)


async def test_the_embedded_stack_says_its_stand_ins(
    http: httpx.AsyncClient, api: RunningApi
) -> None:
    answer = await http.get("/api/v1/network?blocks=1", headers=auth(api, "jonas.berg"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["cloud"] == {
        "object_storage": {
            "backend": "local",
            "namespace": None,
            "bucket": None,
            "region": None,
            "endpoint": None,
            "directory": str((api.settings.data_dir / "objects").resolve()),
        },
        "identity_provider": {"kind": "development", "issuer": api.settings.issuer_url},
        "deployment": {"profile": "development", "target": "embedded"},
    }


def test_oci_object_storage_and_an_identity_domain_on_oke() -> None:
    domain = "https://idcs-0123456789abcdef.identity.oraclecloud.com"
    cloud = cloud_view(
        Settings(
            storage_backend="oci",
            oci_namespace="axaxnpcrorw5",
            oci_bucket="provena-documents",
            oci_region="eu-frankfurt-1",
            oci_auth="oke_workload",
            dev_issuer=False,
            devnet=False,
            oidc_issuer=domain + "/",
        )
    )
    storage = cloud.object_storage
    assert (storage.namespace, storage.bucket, storage.region) == (
        "axaxnpcrorw5",
        "provena-documents",
        "eu-frankfurt-1",
    )
    assert (storage.endpoint, storage.directory) == (None, None)
    assert (cloud.identity_provider.kind, cloud.identity_provider.issuer) == (
        "oci_identity_domain",
        domain,
    )
    assert cloud.deployment.target == "oke"


def test_s3_names_its_endpoint_and_bucket_and_another_issuer_is_plain_oidc(
    tmp_path: Path,
) -> None:
    endpoint = "https://axaxnpcrorw5.compat.objectstorage.eu-frankfurt-1.oraclecloud.com"
    cloud = cloud_view(
        Settings(
            data_dir=tmp_path,
            storage_backend="s3",
            s3_endpoint_url=endpoint,
            s3_bucket="provena",
            oci_namespace="ignored-for-s3",
            dev_issuer=False,
            devnet=False,
            oidc_issuer="https://login.example.org/realms/provena",
        )
    )
    storage = cloud.object_storage
    assert (storage.endpoint, storage.bucket) == (endpoint, "provena")
    assert (storage.namespace, storage.region, storage.directory) == (None, None, None)
    assert cloud.identity_provider.kind == "oidc"
    assert cloud.deployment.target is None  # nothing in the settings says where it runs
