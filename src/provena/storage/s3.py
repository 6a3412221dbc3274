"""`S3ObjectStore`: any S3-compatible endpoint through aiobotocore.

aiobotocore is botocore (the AWS SDK core: SigV4 signing, retries, presigning, error
parsing) on asyncio, without boto3's resource layer we do not need. It works against OCI's
Amazon S3 Compatibility API (`https://<namespace>.compat.objectstorage.<region>.oraclecloud.com`,
path-style addressing, Customer Secret Keys), MinIO and SeaweedFS alike.

Uploads stream: the first `part_size` bytes decide between one PutObject and a multipart
upload; a multipart upload that fails or grows past `max_size` is aborted, so no partial
object ever becomes visible.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from provena.storage.errors import BackendError, ObjectNotFoundError, StorageConfigError
from provena.storage.objectstore import (
    ByteSource,
    ObjectInfo,
    check_key,
    check_range,
    limit_size,
)

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

__all__ = ["S3ObjectStore"]

_MIN_PART = 5 * 1024 * 1024
_READ_SIZE = 1024 * 1024
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


class S3ObjectStore:
    """An `ObjectStore` on one bucket of an S3-compatible service."""

    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str | None,
        region: str,
        access_key_id: str,
        secret_access_key: str,
        max_size: int | None = None,
        part_size: int = 8 * 1024 * 1024,
        path_style: bool = True,
    ) -> None:
        if part_size < _MIN_PART:
            raise StorageConfigError(f"S3 parts must be at least {_MIN_PART} bytes")
        self._bucket = bucket
        self._max_size = max_size
        self._part_size = part_size
        self._options: dict[str, Any] = {
            "endpoint_url": endpoint_url,
            "region_name": region,
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
            "config": AioConfig(
                s3={"addressing_style": "path" if path_style else "virtual"},
                signature_version="s3v4",
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        }
        self._stack = contextlib.AsyncExitStack()
        self._client: S3Client | None = None

    async def _s3(self) -> S3Client:
        if self._client is None:
            context = get_session().create_client("s3", **self._options)
            self._client = await self._stack.enter_async_context(context)
        return self._client

    async def put(
        self, key: str, source: ByteSource, *, content_type: str | None = None
    ) -> ObjectInfo:
        check_key(key)
        s3 = await self._s3()
        media_type = content_type or "application/octet-stream"
        pieces = limit_size(source, key, self._max_size)
        buffer = bytearray()
        async for piece in pieces:
            buffer += piece
            if len(buffer) >= self._part_size:
                return await self._multipart(s3, key, buffer, pieces, media_type)
        with _backend_errors(key):
            await s3.put_object(
                Bucket=self._bucket, Key=key, Body=bytes(buffer), ContentType=media_type
            )
        return await self.head(key)

    async def _multipart(
        self,
        s3: S3Client,
        key: str,
        buffer: bytearray,
        pieces: AsyncIterator[bytes],
        media_type: str,
    ) -> ObjectInfo:
        with _backend_errors(key):
            upload = await s3.create_multipart_upload(
                Bucket=self._bucket, Key=key, ContentType=media_type
            )
        upload_id = upload["UploadId"]
        parts: list[dict[str, Any]] = []

        async def send(body: bytes) -> None:
            number = len(parts) + 1
            with _backend_errors(key):
                answer = await s3.upload_part(
                    Bucket=self._bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=body
                )
            parts.append({"PartNumber": number, "ETag": answer["ETag"]})

        try:
            async for piece in pieces:
                while len(buffer) >= self._part_size:
                    await send(bytes(buffer[: self._part_size]))
                    del buffer[: self._part_size]
                buffer += piece
            while buffer:
                await send(bytes(buffer[: self._part_size]))
                del buffer[: self._part_size]
            with _backend_errors(key):
                await s3.complete_multipart_upload(
                    Bucket=self._bucket,
                    Key=key,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},  # type: ignore[typeddict-item]
                )
        except BaseException:
            with contextlib.suppress(ClientError, BotoCoreError):
                await s3.abort_multipart_upload(Bucket=self._bucket, Key=key, UploadId=upload_id)
            raise
        return await self.head(key)

    async def get(
        self, key: str, *, start: int = 0, end: int | None = None
    ) -> AsyncIterator[bytes]:
        check_key(key)
        check_range(start, end)
        if end is not None and end == start:
            await self.head(key)
            return
        s3 = await self._s3()
        byte_range = f"bytes={start}-{'' if end is None else end - 1}"
        with _backend_errors(key):
            answer = await s3.get_object(Bucket=self._bucket, Key=key, Range=byte_range)
        async with answer["Body"] as body:
            while piece := await body.read(_READ_SIZE):
                yield piece

    async def head(self, key: str) -> ObjectInfo:
        s3 = await self._s3()
        with _backend_errors(check_key(key)):
            answer = await s3.head_object(Bucket=self._bucket, Key=key)
        return ObjectInfo(
            key=key,
            size=answer["ContentLength"],
            etag=answer.get("ETag"),
            content_type=answer.get("ContentType"),
            last_modified=answer.get("LastModified"),
        )

    async def delete(self, key: str) -> None:
        s3 = await self._s3()
        with _backend_errors(check_key(key)):
            await s3.delete_object(Bucket=self._bucket, Key=key)

    async def list(self, prefix: str = "") -> AsyncIterator[ObjectInfo]:
        s3 = await self._s3()
        paginator = s3.get_paginator("list_objects_v2")
        with _backend_errors(prefix):
            async for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    yield ObjectInfo(
                        key=item["Key"],
                        size=item["Size"],
                        etag=item.get("ETag"),
                        last_modified=item.get("LastModified"),
                    )

    async def read_url(
        self,
        key: str,
        *,
        expires_in: timedelta,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> str:
        s3 = await self._s3()
        await self.head(key)
        params = {"Bucket": self._bucket, "Key": key}
        if content_type is not None:
            params["ResponseContentType"] = content_type
        if content_disposition is not None:
            params["ResponseContentDisposition"] = content_disposition
        return await s3.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=int(expires_in.total_seconds())
        )

    async def aclose(self) -> None:
        await self._stack.aclose()
        self._client = None


@contextlib.contextmanager
def _backend_errors(key: str) -> Any:
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        if str(error.get("Code")) in _NOT_FOUND:
            raise ObjectNotFoundError(key) from exc
        raise BackendError(
            f"S3 refused {key!r}: {error.get('Code')}: {error.get('Message')}"
        ) from exc
    except BotoCoreError as exc:
        raise BackendError(f"S3 request for {key!r} failed: {exc}") from exc
