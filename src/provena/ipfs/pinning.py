"""`PinningServiceClient`: the IPFS Pinning Service API (remote pinning, e.g. Pinata, Filebase).

    POST   /pins                 ask for a pin          -> PinStatus (queued/pinning/pinned/failed)
    GET    /pins?cid=&status=    list pin requests      -> {"count", "results": [PinStatus]}
    GET    /pins/{requestid}     one pin request        -> PinStatus
    POST   /pins/{requestid}     replace its CID        -> PinStatus
    DELETE /pins/{requestid}     remove it              -> 202

Requests carry the service's bearer token; errors come as `{"error": {"reason", "details"}}`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field

from provena.ipfs.cid import CID
from provena.ipfs.errors import RemoteError

__all__ = ["Pin", "PinStatus", "PinningServiceClient"]

Status = Literal["queued", "pinning", "pinned", "failed"]


class Pin(BaseModel):
    cid: str
    name: str | None = None
    origins: list[str] = Field(default_factory=list)
    meta: dict[str, str] = Field(default_factory=dict)


class PinStatus(BaseModel):
    requestid: str
    status: Status
    created: datetime
    pin: Pin
    delegates: list[str] = Field(default_factory=list)
    info: dict[str, str] = Field(default_factory=dict)


class PinningServiceClient:
    """An async client of one pinning service."""

    def __init__(
        self,
        endpoint: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=endpoint.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            transport=transport,
            timeout=timeout,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise RemoteError(f"pinning service {method} {path} failed: {exc}") from exc
        if response.status_code >= 400:
            try:
                error = response.json()["error"]
                reason = f"{error['reason']}: {error.get('details', '')}".rstrip(": ")
            except (ValueError, KeyError, TypeError):
                reason = response.text[:200]
            raise RemoteError(f"pinning service answered {response.status_code}: {reason}")
        return response

    async def add(
        self,
        cid: CID,
        *,
        name: str | None = None,
        origins: Sequence[str] = (),
        meta: dict[str, str] | None = None,
    ) -> PinStatus:
        pin = Pin(cid=str(cid), name=name, origins=list(origins), meta=meta or {})
        response = await self._request("POST", "/pins", json=pin.model_dump(exclude_none=True))
        return PinStatus.model_validate(response.json())

    async def get(self, requestid: str) -> PinStatus:
        return PinStatus.model_validate((await self._request("GET", f"/pins/{requestid}")).json())

    async def list(
        self,
        *,
        cids: Sequence[CID] = (),
        status: Sequence[Status] = ("queued", "pinning", "pinned", "failed"),
        limit: int = 10,
    ) -> list[PinStatus]:
        params: dict[str, str | int] = {"status": ",".join(status), "limit": limit}
        if cids:
            params["cid"] = ",".join(str(c) for c in cids)
        body = (await self._request("GET", "/pins", params=params)).json()
        return [PinStatus.model_validate(item) for item in body["results"]]

    async def replace(self, requestid: str, cid: CID, *, name: str | None = None) -> PinStatus:
        pin = Pin(cid=str(cid), name=name)
        response = await self._request(
            "POST", f"/pins/{requestid}", json=pin.model_dump(exclude_none=True)
        )
        return PinStatus.model_validate(response.json())

    async def remove(self, requestid: str) -> None:
        await self._request("DELETE", f"/pins/{requestid}")
