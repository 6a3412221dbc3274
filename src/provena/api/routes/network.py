"""The network as this API sees it: channel, height, organizations, chaincode, recent blocks
and their transactions with validation codes, which backends serve this deployment and the
cloud side they name (object storage bucket or directory, identity provider, target)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from provena.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from provena.api.reads import READ_RESPONSES
from provena.api.writes import LedgerDep
from provena.db import Organization
from provena.settings import Settings
from provena.verification.network import (
    Backends,
    BlockView,
    ChaincodeView,
    backends,
    chaincode_view,
    recent_blocks,
)

router = APIRouter(prefix="/api/v1/network", tags=["network"])


class OrganizationView(BaseModel):
    msp_id: str
    name: str
    kind: str


class ObjectStorageView(BaseModel):
    backend: Literal["local", "oci", "s3"]
    namespace: str | None = Field(description="OCI Object Storage namespace")
    bucket: str | None = Field(description="OCI or S3 bucket")
    region: str | None = Field(description="OCI region")
    endpoint: str | None = Field(description="S3 endpoint URL (or an OCI endpoint override)")
    directory: str | None = Field(description="Local directory of the embedded stand-in")


class IdentityProviderView(BaseModel):
    kind: Literal["development", "oci_identity_domain", "oidc"] = Field(
        description="The embedded development issuer, an OCI IAM identity domain, or another "
        "OIDC issuer"
    )
    issuer: str


class DeploymentView(BaseModel):
    profile: Literal["development", "production"]
    target: Literal["embedded", "oke", "functions", "compute"] | None = Field(
        description="Where this API runs, as far as the settings say: the embedded stack "
        "(devnet on), OKE workload identity, Functions resource principal, an instance "
        "principal; null if they do not say"
    )


class CloudView(BaseModel):
    object_storage: ObjectStorageView
    identity_provider: IdentityProviderView
    deployment: DeploymentView


_OCI_TARGETS: dict[str, Literal["oke", "functions", "compute"]] = {
    "oke_workload": "oke",
    "resource_principal": "functions",
    "instance_principal": "compute",
}


def cloud_view(settings: Settings) -> CloudView:
    """The object store, identity provider and deployment target the settings name."""
    backend = settings.storage_backend
    directory = (settings.storage_dir or settings.data_dir / "objects").resolve()
    storage = ObjectStorageView(
        backend=backend,
        namespace=settings.oci_namespace if backend == "oci" else None,
        bucket={"oci": settings.oci_bucket, "s3": settings.s3_bucket}.get(backend),
        region=settings.oci_region if backend == "oci" else None,
        endpoint={"oci": settings.oci_endpoint, "s3": settings.s3_endpoint_url}.get(backend),
        directory=str(directory) if backend == "local" else None,
    )
    host = urlsplit(settings.issuer_url).hostname or ""
    kind: Literal["development", "oci_identity_domain", "oidc"] = (
        "development"
        if settings.dev_issuer
        else "oci_identity_domain"
        if host.endswith(".identity.oraclecloud.com")
        else "oidc"
    )
    uses_oci = backend == "oci" or settings.key_encryption == "oci_vault"
    target = (
        "embedded" if settings.devnet else _OCI_TARGETS.get(settings.oci_auth) if uses_oci else None
    )
    return CloudView(
        object_storage=storage,
        identity_provider=IdentityProviderView(kind=kind, issuer=settings.issuer_url),
        deployment=DeploymentView(profile=settings.profile, target=target),
    )


class NetworkView(BaseModel):
    channel: str
    height: int
    organizations: list[OrganizationView]
    chaincode: ChaincodeView
    blocks: list[BlockView]
    backends: Backends
    cloud: CloudView


@router.get(
    "",
    summary="The channel, its recent blocks and this deployment's backends",
    responses=READ_RESPONSES,
)
async def read_network(
    _: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    ledger: LedgerDep,
    blocks: int = Query(default=10, ge=1, le=50, description="How many recent blocks"),
) -> NetworkView:
    organizations = await session.scalars(select(Organization).order_by(Organization.msp_id))
    height, recent = await recent_blocks(ledger.reads, blocks)
    return NetworkView(
        channel=settings.ledger_channel,
        height=height,
        organizations=[
            OrganizationView(msp_id=o.msp_id, name=o.name, kind=o.kind.value) for o in organizations
        ],
        chaincode=await chaincode_view(ledger.reads, settings.ledger_chaincode),
        blocks=recent,
        backends=backends(settings),
        cloud=cloud_view(settings),
    )
