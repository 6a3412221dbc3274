"""`OciObjectStore`: OCI Object Storage through the official `oci` SDK.

The SDK signs every request (OCI HTTP signatures) and knows every way a workload proves
who it is; `oci_signer` picks one:

    auth                 where it runs                      what it needs
    api_key              laptops, CI                        ~/.oci/config (user, key, fingerprint)
    instance_principal   a compute instance                 a dynamic group + policy
    resource_principal   OCI Functions                      the function's resource principal
    oke_workload         a pod on OKE (workload identity)   the pod's service account token

The SDK is synchronous, so calls run in worker threads. Large uploads use multipart
uploads (aborted on any failure, so nothing partial is visible); read URLs are
pre-authenticated requests that expire.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Literal, TypeVar
from urllib.parse import quote
from uuid import uuid4

import oci  # type: ignore[import-untyped]
from oci.exceptions import ServiceError  # type: ignore[import-untyped]
from oci.object_storage import ObjectStorageClient  # type: ignore[import-untyped]
from oci.object_storage.models import (  # type: ignore[import-untyped]
    CommitMultipartUploadDetails,
    CommitMultipartUploadPartDetails,
    CreateMultipartUploadDetails,
    CreatePreauthenticatedRequestDetails,
)

from provena.storage.errors import BackendError, ObjectNotFoundError, StorageConfigError
from provena.storage.objectstore import (
    ByteSource,
    ObjectInfo,
    check_key,
    check_range,
    limit_size,
)

__all__ = ["OciAuth", "OciObjectStore", "oci_client", "oci_service_client"]

OciAuth = Literal["api_key", "instance_principal", "resource_principal", "oke_workload"]
T = TypeVar("T")
_READ_SIZE = 1024 * 1024


def oci_client(
    auth: OciAuth,
    *,
    config_file: str = oci.config.DEFAULT_LOCATION,
    profile: str = oci.config.DEFAULT_PROFILE,
    region: str | None = None,
    endpoint: str | None = None,
) -> ObjectStorageClient:
    """An Object Storage client authenticated the `auth` way."""
    return oci_service_client(
        ObjectStorageClient,
        auth,
        config_file=config_file,
        profile=profile,
        region=region,
        endpoint=endpoint,
    )


def oci_service_client(
    client_class: Callable[..., T],
    auth: OciAuth,
    *,
    config_file: str = oci.config.DEFAULT_LOCATION,
    profile: str = oci.config.DEFAULT_PROFILE,
    region: str | None = None,
    endpoint: str | None = None,
) -> T:
    """A client of any OCI service (`client_class`, e.g. `KmsCryptoClient`), authenticated
    the `auth` way, so every OCI service Provena calls signs in the same one."""
    options: dict[str, Any] = {} if endpoint is None else {"service_endpoint": endpoint}
    try:
        if auth == "api_key":
            config = oci.config.from_file(config_file, profile)
            if region:
                config["region"] = region
            return client_class(config, **options)
        if auth == "instance_principal":
            signer = oci.auth.signers.InstancePrincipalsSecurityTokenSigner()
        elif auth == "resource_principal":
            signer = oci.auth.signers.get_resource_principals_signer()
        elif auth == "oke_workload":
            signer = oci.auth.signers.get_oke_workload_identity_resource_principal_signer()
        else:
            raise StorageConfigError(f"unknown OCI auth {auth!r}")
    except (oci.exceptions.ClientError, OSError, ValueError) as exc:
        raise StorageConfigError(f"OCI {auth} authentication is not usable: {exc}") from exc
    config = {"region": region or signer.region}
    return client_class(config, signer=signer, **options)


class OciObjectStore:
    """An `ObjectStore` on one OCI Object Storage bucket."""

    def __init__(
        self,
        client: ObjectStorageClient,
        *,
        namespace: str,
        bucket: str,
        max_size: int | None = None,
        part_size: int = 16 * 1024 * 1024,
    ) -> None:
        self._client = client
        self._namespace = namespace
        self._bucket = bucket
        self._max_size = max_size
        self._part_size = part_size

    async def _call(self, key: str, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        call = functools.partial(method, self._namespace, self._bucket, *args, **kwargs)
        with _service_errors(key):
            return await asyncio.to_thread(call)

    async def put(
        self, key: str, source: ByteSource, *, content_type: str | None = None
    ) -> ObjectInfo:
        check_key(key)
        pieces = limit_size(source, key, self._max_size)
        buffer = bytearray()
        async for piece in pieces:
            buffer += piece
            if len(buffer) >= self._part_size:
                await self._multipart(key, buffer, pieces, content_type)
                return await self.head(key)
        body = bytes(buffer)
        await self._call(
            key,
            self._client.put_object,
            key,
            body,
            content_length=len(body),
            content_type=content_type,
        )
        return await self.head(key)

    async def _multipart(
        self, key: str, buffer: bytearray, pieces: AsyncIterator[bytes], content_type: str | None
    ) -> None:
        details = CreateMultipartUploadDetails(object=key, content_type=content_type)
        upload = await self._call(key, self._client.create_multipart_upload, details)
        upload_id = upload.data.upload_id
        parts: list[CommitMultipartUploadPartDetails] = []

        async def send(body: bytes) -> None:
            number = len(parts) + 1
            answer = await self._call(
                key,
                self._client.upload_part,
                key,
                upload_id,
                number,
                body,
                content_length=len(body),
            )
            parts.append(
                CommitMultipartUploadPartDetails(part_num=number, etag=answer.headers["etag"])
            )

        try:
            async for piece in pieces:
                while len(buffer) >= self._part_size:
                    await send(bytes(buffer[: self._part_size]))
                    del buffer[: self._part_size]
                buffer += piece
            while buffer:
                await send(bytes(buffer[: self._part_size]))
                del buffer[: self._part_size]
            commit = CommitMultipartUploadDetails(parts_to_commit=parts)
            await self._call(key, self._client.commit_multipart_upload, key, upload_id, commit)
        except BaseException:
            with contextlib.suppress(BackendError, ObjectNotFoundError):
                await self._call(key, self._client.abort_multipart_upload, key, upload_id)
            raise

    async def get(
        self, key: str, *, start: int = 0, end: int | None = None
    ) -> AsyncIterator[bytes]:
        check_key(key)
        check_range(start, end)
        if end is not None and end == start:
            await self.head(key)
            return
        byte_range = f"bytes={start}-{'' if end is None else end - 1}"
        answer = await self._call(key, self._client.get_object, key, range=byte_range)
        stream = answer.data.raw
        try:
            while piece := await asyncio.to_thread(stream.read, _READ_SIZE):
                yield piece
        finally:
            stream.close()

    async def head(self, key: str) -> ObjectInfo:
        answer = await self._call(check_key(key), self._client.head_object, key)
        headers = answer.headers
        modified = headers.get("last-modified")
        return ObjectInfo(
            key=key,
            size=int(headers["content-length"]),
            etag=headers.get("etag"),
            content_type=headers.get("content-type"),
            last_modified=_http_date(modified) if modified else None,
        )

    async def delete(self, key: str) -> None:
        with contextlib.suppress(ObjectNotFoundError):
            await self._call(check_key(key), self._client.delete_object, key)

    async def list(self, prefix: str = "") -> AsyncIterator[ObjectInfo]:
        start: str | None = None
        while True:
            answer = await self._call(
                prefix,
                self._client.list_objects,
                prefix=prefix or None,
                start=start,
                fields="name,size,etag,timeModified",
            )
            for item in answer.data.objects:
                yield ObjectInfo(item.name, item.size, item.etag, None, item.time_modified)
            start = answer.data.next_start_with
            if not start:
                return

    async def read_url(
        self,
        key: str,
        *,
        expires_in: timedelta,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> str:
        """A pre-authenticated request for `key`. PARs carry no response overrides (the
        SDK's CreatePreauthenticatedRequestDetails has none), so the download has the type
        the object was stored with and no Content-Disposition; the overrides are ignored."""
        await self.head(key)
        details = CreatePreauthenticatedRequestDetails(
            name=f"provena-read-{uuid4().hex[:12]}",
            object_name=key,
            access_type="ObjectRead",
            time_expires=datetime.now(UTC) + expires_in,
        )
        answer = await self._call(key, self._client.create_preauthenticated_request, details)
        base = str(self._client.base_client.endpoint).rstrip("/")
        access_uri = str(answer.data.access_uri)
        return base + quote(access_uri, safe="/:@%")

    async def aclose(self) -> None:
        await asyncio.to_thread(self._client.base_client.session.close)


def _http_date(value: str) -> datetime:
    return parsedate_to_datetime(value)


@contextlib.contextmanager
def _service_errors(key: str) -> Iterator[None]:
    try:
        yield
    except ServiceError as exc:
        if exc.status == 404:
            raise ObjectNotFoundError(key) from exc
        raise BackendError(
            f"OCI Object Storage refused {key!r}: {exc.status} {exc.code}: {exc.message}"
        ) from exc
    except oci.exceptions.RequestException as exc:
        raise BackendError(f"OCI Object Storage request for {key!r} failed: {exc}") from exc
