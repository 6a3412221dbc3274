"""`open_object_store`: the object store the settings name, with its credentials."""

from __future__ import annotations

from typing import TYPE_CHECKING

from provena.storage.errors import StorageConfigError
from provena.storage.local import LocalObjectStore
from provena.storage.objectstore import ObjectStore

if TYPE_CHECKING:
    from provena.settings import Settings
    from provena.storage.oci import OciObjectStore

__all__ = ["open_object_store", "open_oci_bucket"]


def open_object_store(settings: Settings) -> ObjectStore:
    """Build (without contacting it) the store `settings.storage_backend` names."""
    limit = settings.storage_max_object_size
    if settings.storage_backend == "local":
        root = settings.storage_dir or settings.data_dir / "objects"
        return LocalObjectStore(root, max_size=limit, url_base=settings.base_url + "/storage")
    if settings.storage_backend == "oci":
        if not (settings.oci_namespace and settings.oci_bucket):
            raise StorageConfigError(
                "OCI storage needs PROVENA_OCI_NAMESPACE and PROVENA_OCI_BUCKET"
            )
        return open_oci_bucket(settings, settings.oci_bucket, max_size=limit)
    from provena.storage.s3 import S3ObjectStore

    secret = settings.s3_secret_access_key
    if not (settings.s3_bucket and settings.s3_access_key_id and secret):
        raise StorageConfigError(
            "S3 storage needs PROVENA_S3_BUCKET, PROVENA_S3_ACCESS_KEY_ID and "
            "PROVENA_S3_SECRET_ACCESS_KEY"
        )
    return S3ObjectStore(
        bucket=settings.s3_bucket,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=secret.get_secret_value(),
        max_size=limit,
    )


def open_oci_bucket(
    settings: Settings, bucket: str, *, max_size: int | None = None
) -> OciObjectStore:
    """The OCI Object Storage bucket `bucket` of `settings.oci_namespace`, signed the way
    `settings.oci_auth` says (without contacting it)."""
    from provena.storage.oci import OciObjectStore, oci_client

    assert settings.oci_namespace is not None
    client = oci_client(
        settings.oci_auth,
        config_file=settings.oci_config_file,
        profile=settings.oci_config_profile,
        region=settings.oci_region,
        endpoint=settings.oci_endpoint,
    )
    return OciObjectStore(
        client, namespace=settings.oci_namespace, bucket=bucket, max_size=max_size
    )
