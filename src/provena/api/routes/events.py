"""GET /api/v1/events: the live feed as Server-Sent Events.

The browser's `EventSource` cannot set headers, so besides `Authorization: Bearer` the
token may come as `?access_token=`. The trade-off: a token in a URL can end up in proxy
and server access logs and in browser history, so clients should prefer the header
where they can, and tokens should be short-lived (this API logs no query strings).

Each event is `id:` the feed id, `event:` its kind, `data:` the row as JSON. A client
resumes with `Last-Event-ID` (what `EventSource` sends when it reconnects) or
`?last_event_id=`, and is sent every row after it that it may see, once; without either
it starts with the next row. A principal sees rows whose audience holds their
organization; auditors see every row. A comment line goes out every 15 s of silence.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from provena.api.deps import StateDep
from provena.api.problems import Problem
from provena.db import FeedEvent
from provena.demo import Role
from provena.events import HEARTBEAT, FeedHub, encode_event
from provena.identity import Principal, TokenError

router = APIRouter(prefix="/api/v1", tags=["events"])

HEARTBEAT_SECONDS = 15.0

_bearer = HTTPBearer(auto_error=False, description="An access token from the OIDC issuer")


async def _principal(
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    access_token: Annotated[
        str | None, Query(description="For EventSource, which cannot set headers")
    ] = None,
) -> Principal:
    token = credentials.credentials if credentials is not None else access_token
    if not token:
        raise TokenError("a bearer token is required")
    return await state.validator.validate(token)


def may_see(principal: Principal) -> Callable[[FeedEvent], bool]:
    """Whether `principal` may see a feed row: auditors all, others their organization's."""
    auditor = Role.AUDITOR in principal.roles

    def check(row: FeedEvent) -> bool:
        return auditor or (principal.msp_id is not None and principal.msp_id in row.audience)

    return check


@router.get(
    "/events",
    summary="The live feed (Server-Sent Events), resumable with Last-Event-ID",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, 401: {"model": Problem}},
)
async def events(
    request: Request,
    principal: Annotated[Principal, Depends(_principal)],
    last_event_id_header: Annotated[int | None, Header(alias="Last-Event-ID", ge=0)] = None,
    last_event_id: Annotated[int | None, Query(ge=0)] = None,
) -> StreamingResponse:
    hub: FeedHub = request.app.state.feed_hub
    after = last_event_id_header if last_event_id_header is not None else last_event_id
    if after is None:
        after = await hub.latest_id()
    check = may_see(principal)

    async def stream() -> AsyncIterator[bytes]:
        async with hub.subscribe(after=after, may_see=check) as subscription:
            while True:
                rows = await subscription.next(wait_seconds=HEARTBEAT_SECONDS)
                if not rows:
                    yield HEARTBEAT
                for row in rows:
                    yield encode_event(row)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
