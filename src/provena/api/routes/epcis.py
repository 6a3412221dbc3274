"""GS1 EPCIS 2.0 REST binding under `/epcis`: capture, events and their queries.

- `POST /epcis/capture`: an EPCIS document (JSON-LD or XML) captured asynchronously; the
  answer is `202` with `Location: /epcis/capture/{captureID}`, the capture job, whose
  state and errors are at that URL. `GS1-Capture-Error-Behaviour: rollback | proceed`.
- `POST /epcis/events`: one event, captured the same way.
- `GET /epcis/events`: a SimpleEventQuery from the standard's query parameters, paged with
  `perPage` and `nextPageToken` (and a `Link: rel="next"` header), as an
  EPCISQueryDocument; `GET /epcis/events/{eventID}`: one event, by its hash or eventID.
- `POST /epcis/queries/SimpleEventQuery/subscriptions`: a webhook that receives every
  matching event, in order, signed (`provena.tracking.subscriptions`); list, read, delete.

Every answer carries `GS1-EPCIS-Version` and `GS1-CBV-Version`; `GS1-EPC-Format` asks
for identifiers as stored or as canonical GS1 Digital Link. Capturing needs a role that
acts in the supply chain; an organization reads the events that concern it, auditors all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, HttpUrl
from sqlalchemy import select

from provena.api.deps import CurrentPrincipal, SessionDep, ViewerDep
from provena.api.problems import Problem
from provena.api.writes import ActorDep
from provena.contracts.epcis import CAPTURE_ROLES
from provena.db import EpcisCapture, EpcisEvent, EpcisSubscription
from provena.documents import Viewer
from provena.epcis import EpcisDocumentError, read_events
from provena.tracking import epcis_queries
from provena.tracking.capture import CaptureService, ErrorBehaviour
from provena.tracking.epcis import CONTEXT
from provena.tracking.epcis_rows import ROLES, canonical_identifier

__all__ = ["router"]

EPCIS_VERSION = "2.0.0"
CBV_VERSION = "2.0.0"
MAX_DOCUMENT_BYTES = 32 << 20
MAX_CAPTURE_EVENTS = 100_000
JSON_LD = "application/ld+json"
EpcFormat = Literal[
    "No_Preference", "Always_GS1_Digital_Link", "Always_EPC_URN", "Never_Translates"
]


class JsonLdResponse(JSONResponse):
    media_type = JSON_LD


def json_ld(body: dict[str, Any], response: Response) -> JsonLdResponse:
    """`body` as JSON-LD, with the headers set on `response` (GS1-*, Link, Provena-*)."""
    headers = {
        k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")
    }
    return JsonLdResponse(body, headers=headers)


_PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 403, 404, 406, 409, 413, 415)
}
_JSON_LD_PROBLEMS: dict[int | str, dict[str, Any]] = {
    200: {"content": {JSON_LD: {"schema": {"type": "object"}}}},
    **_PROBLEMS,
}


async def _versions(
    response: Response,
    gs1_epcis_version: Annotated[str | None, Header(description="2.0.x")] = None,
) -> None:
    if gs1_epcis_version is not None and not gs1_epcis_version.startswith("2.0"):
        raise HTTPException(406, f"GS1-EPCIS-Version {gs1_epcis_version} is not served: 2.0.0")
    response.headers["GS1-EPCIS-Version"] = EPCIS_VERSION
    response.headers["GS1-CBV-Version"] = CBV_VERSION


router = APIRouter(prefix="/epcis", tags=["epcis"], dependencies=[Depends(_versions)])


async def _capture_service(request: Request) -> CaptureService:
    service: CaptureService | None = getattr(request.app.state, "epcis_capture", None)
    if service is None:
        raise HTTPException(503, "no ledger is configured for this API")
    return service


CaptureDep = Annotated[CaptureService, Depends(_capture_service)]


async def _body(request: Request) -> bytes:
    """The request body, refused past `MAX_DOCUMENT_BYTES` without reading further."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in (JSON_LD, "application/json", "application/xml", "text/xml"):
        raise HTTPException(
            415, "send the EPCIS document as application/ld+json, application/json or XML"
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_DOCUMENT_BYTES:
            raise HTTPException(413, f"an EPCIS document may be at most {MAX_DOCUMENT_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _job(job: EpcisCapture) -> dict[str, Any]:
    """A capture job as the EPCIS 2.0 capture interface describes it (plus counts)."""
    return {
        "captureID": str(job.id),
        "createdAt": _time(job.created_at),
        "finishedAt": None if job.finished_at is None else _time(job.finished_at),
        "running": job.state == "running",
        "success": job.state != "failed",
        "captureErrorBehaviour": job.error_behaviour,
        "errors": [
            {
                "type": "epcisException:ValidationException",
                "title": "the event cannot be captured",
                "status": 400,
                "detail": error["message"],
                "instance": None
                if error.get("index") is None
                else f"#/epcisBody/eventList/{error['index']}",
                "line": error.get("line"),
            }
            for error in job.errors
        ],
        "eventCount": job.event_count,
        "committed": job.committed,
        "stored": len(job.stored),
        "duplicates": job.duplicates,
    }


_time = epcis_queries.iso_time


async def _start(
    data: bytes,
    response: Response,
    actor: ActorDep,
    principal: CurrentPrincipal,
    service: CaptureService,
    behaviour: ErrorBehaviour,
    *,
    single: bool,
) -> dict[str, Any]:
    role = {r.value for r in principal.roles} & set(CAPTURE_ROLES)
    if not role or principal.msp_id is None:
        raise HTTPException(
            403, "capturing EPCIS events needs a role that acts in the supply chain"
        )
    if actor.signer is None:
        raise HTTPException(
            409,
            "a capture signs its transactions as you in the background: it needs a key the "
            "API keeps, and yours is in your browser",
        )
    try:
        events = read_events(data)
    except EpcisDocumentError as exc:
        raise HTTPException(400, f"not a readable EPCIS document: {exc}") from exc
    if single and len(events) != 1:
        raise HTTPException(400, f"POST /epcis/events takes one event, not {len(events)}")
    if not events:
        raise HTTPException(400, "the document has no events")
    if len(events) > MAX_CAPTURE_EVENTS:
        raise HTTPException(413, f"a capture may hold at most {MAX_CAPTURE_EVENTS} events")
    job = await service.start(actor, principal.msp_id, data, events, behaviour)
    response.status_code = 202
    response.headers["Location"] = f"/epcis/capture/{job.id}"
    return _job(job)


BehaviourHeader = Annotated[
    ErrorBehaviour,
    Header(
        alias="GS1-Capture-Error-Behaviour",
        description="`rollback` (default): nothing is captured if any event is invalid; "
        "`proceed`: invalid events are reported and skipped",
    ),
]


def _capture_route(path: str, summary: str, *, single: bool) -> None:
    """`POST path`: a capture of the document (or, `single`, the one event) sent."""

    @router.post(path, status_code=202, summary=summary, responses=_PROBLEMS)
    async def capture(
        request: Request,
        response: Response,
        actor: ActorDep,
        principal: CurrentPrincipal,
        service: CaptureDep,
        behaviour: BehaviourHeader = "rollback",
    ) -> dict[str, Any]:
        data = await _body(request)
        return await _start(data, response, actor, principal, service, behaviour, single=single)


_capture_route(
    "/capture", "Capture an EPCIS document's events onto the ledger (asynchronous)", single=False
)
_capture_route("/events", "Capture one EPCIS event onto the ledger (asynchronous)", single=True)


def _own_job(viewer: Viewer, job: EpcisCapture | None, id: uuid.UUID) -> EpcisCapture:
    if job is None or not (viewer.sees_all or job.msp_id == viewer.msp_id):
        raise HTTPException(404, f"no capture job {id} that you may see")
    return job


@router.get(
    "/capture/{captureID}",
    summary="A capture job: running, succeeded or failed, and its errors",
    responses=_PROBLEMS,
)
async def capture_job(
    captureID: uuid.UUID, session: SessionDep, viewer: ViewerDep
) -> dict[str, Any]:
    return _job(_own_job(viewer, await session.get(EpcisCapture, captureID), captureID))


# ── queries ──────────────────────────────────────────────────────────────────────────

_TIMES = {
    "GE_eventTime": "ge_event_time",
    "LT_eventTime": "lt_event_time",
    "GE_recordTime": "ge_record_time",
    "LT_recordTime": "lt_record_time",
}
_LISTS = {
    "eventType": "event_types",
    "EQ_bizStep": "biz_steps",
    "EQ_disposition": "dispositions",
    "EQ_bizLocation": "biz_locations",
    "EQ_readPoint": "read_points",
}
_PAGING = frozenset({"perPage", "nextPageToken"})
_BIZ_TRANSACTION = "EQ_bizTransaction_"


def parse_query(items: Iterable[tuple[str, str]]) -> epcis_queries.EventQuery:
    """A SimpleEventQuery from query parameters (`a|b` or repeated parameters: any of)."""
    values: dict[str, Any] = {}
    matches: dict[str, list[str]] = {}
    transactions: dict[str, list[str]] = {}
    for name, raw in items:
        parts = [part for part in raw.split("|") if part]
        if name in _PAGING:
            continue
        if name in _TIMES:
            try:
                moment = datetime.fromisoformat(raw)
            except ValueError:
                raise epcis_queries.InvalidQuery(f"{name}: {raw!r} is not a date-time") from None
            if moment.tzinfo is None:
                raise epcis_queries.InvalidQuery(f"{name}: {raw!r} has no time zone")
            values[_TIMES[name]] = moment
        elif name in _LISTS:
            values.setdefault(_LISTS[name], []).extend(parts)
        elif name in epcis_queries.MATCH_ROLES:
            matches.setdefault(name, []).extend(parts)
        elif name.startswith(_BIZ_TRANSACTION) and len(name) > len(_BIZ_TRANSACTION):
            transactions.setdefault(name[len(_BIZ_TRANSACTION) :], []).extend(parts)
        else:
            raise epcis_queries.InvalidQuery(f"unknown query parameter {name}")
    return epcis_queries.EventQuery(**values, matches=matches, biz_transactions=transactions)


def _identifiers(event: dict[str, Any]) -> dict[str, Any]:
    """The event with every identifier as canonical GS1 Digital Link."""
    out = dict(event)
    if isinstance(out.get("parentID"), str):
        out["parentID"] = canonical_identifier(out["parentID"])
    for epcs, quantities, _ in ROLES.values():
        if isinstance(out.get(epcs), list):
            out[epcs] = [canonical_identifier(e) if isinstance(e, str) else e for e in out[epcs]]
        if isinstance(out.get(quantities), list):
            out[quantities] = [
                q | {"epcClass": canonical_identifier(q["epcClass"])}
                if isinstance(q, dict) and isinstance(q.get("epcClass"), str)
                else q
                for q in out[quantities]
            ]
    return out


def event_out(row: EpcisEvent, epc_format: EpcFormat = "No_Preference") -> dict[str, Any]:
    """The event as it leaves, with its identifiers as `epc_format` asks."""
    event = epcis_queries.exported(row)
    return _identifiers(event) if epc_format == "Always_GS1_Digital_Link" else event


def _format(value: EpcFormat | None, response: Response) -> EpcFormat:
    chosen: EpcFormat = value or "No_Preference"
    if chosen == "Always_EPC_URN":
        raise HTTPException(406, "identifiers are served as stored or as GS1 Digital Link URIs")
    response.headers["GS1-EPC-Format"] = chosen
    return chosen


EpcFormatHeader = Annotated[EpcFormat | None, Header(alias="GS1-EPC-Format")]


@router.get(
    "/events",
    summary="Events matching the standard's query parameters, in ledger order",
    responses=_JSON_LD_PROBLEMS,
    openapi_extra={
        "description": "Parameters: eventType, GE_/LT_eventTime, GE_/LT_recordTime, "
        "EQ_bizStep, EQ_disposition, EQ_bizLocation, EQ_readPoint, MATCH_epc, MATCH_anyEPC, "
        "MATCH_parentID, MATCH_inputEPC, MATCH_outputEPC, MATCH_epcClass, MATCH_anyEPCClass, "
        "EQ_bizTransaction_<type>, perPage, nextPageToken. `a|b` means either."
    },
)
async def query(
    request: Request,
    response: Response,
    session: SessionDep,
    viewer: ViewerDep,
    epc_format: EpcFormatHeader = None,
    perPage: Annotated[int, Query(ge=1, le=1000)] = 30,
    nextPageToken: Annotated[str | None, Query(max_length=512)] = None,
) -> Response:
    chosen = _format(epc_format, response)
    try:
        parsed = parse_query(request.query_params.multi_items())
        after = None if nextPageToken is None else epcis_queries.decode_token(nextPageToken)
    except epcis_queries.InvalidQuery as exc:
        raise HTTPException(400, f"QueryParameterException: {exc}") from exc
    rows = await epcis_queries.query_events(session, viewer, parsed, after=after, limit=perPage + 1)
    if len(rows) > perPage:
        rows = rows[:perPage]
        token = epcis_queries.encode_token(epcis_queries.position(rows[-1]))
        link = request.url.include_query_params(nextPageToken=token)
        response.headers["Link"] = f'<{link}>; rel="next"'
    return json_ld(
        {
            "@context": CONTEXT,
            "type": "EPCISQueryDocument",
            "schemaVersion": "2.0",
            "creationDate": _time(datetime.now(UTC)),
            "epcisBody": {
                "queryResults": {
                    "queryName": "SimpleEventQuery",
                    "resultsBody": {"eventList": [event_out(row, chosen) for row in rows]},
                }
            },
        },
        response,
    )


@router.get(
    "/events/{eventID:path}",
    summary="One event, by its hash or its eventID",
    responses=_JSON_LD_PROBLEMS,
)
async def event(
    eventID: str,
    response: Response,
    session: SessionDep,
    viewer: ViewerDep,
    epc_format: EpcFormatHeader = None,
) -> Response:
    chosen = _format(epc_format, response)
    row = await epcis_queries.find_event(session, viewer, eventID)
    if row is None:
        raise HTTPException(404, f"no event {eventID} that you may see")
    response.headers["Provena-Tx-Id"] = row.tx_id
    response.headers["Provena-Block-Number"] = str(row.block_number)
    return json_ld({"@context": CONTEXT, **event_out(row, chosen)}, response)


# ── subscriptions ────────────────────────────────────────────────────────────────────

SUBSCRIPTIONS = "/queries/SimpleEventQuery/subscriptions"


class SubscriptionRequest(BaseModel):
    """A standing query: its matching events are POSTed to `dest` as they are recorded."""

    model_config = ConfigDict(extra="forbid")

    dest: HttpUrl = Field(description="The webhook: an http(s) URL that answers 2xx")
    signatureToken: str = Field(
        min_length=16,
        max_length=128,
        description="Each delivery carries GS1-Signature: hex HMAC-SHA256 of the body under it",
    )
    query: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description="The SimpleEventQuery's parameters, as GET /epcis/events takes them",
    )


class SubscriptionView(BaseModel):
    subscriptionID: str
    dest: str
    query: dict[str, str | list[str]]
    createdAt: datetime
    delivered: int = Field(description="Events the receiver has accepted so far")
    lastDeliveredAt: datetime | None
    failures: int = Field(description="Deliveries failed since the last accepted one")
    nextAttemptAt: datetime
    lastError: str | None


def _subscription(row: EpcisSubscription) -> SubscriptionView:
    return SubscriptionView(
        subscriptionID=str(row.id),
        dest=row.destination,
        query=row.query.get("parameters", {}),
        createdAt=row.created_at,
        delivered=row.delivered_count,
        lastDeliveredAt=row.last_delivered_at,
        failures=row.failures,
        nextAttemptAt=row.next_attempt_at,
        lastError=row.last_error,
    )


def _items(query: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, values in query.items()
        for value in ([values] if isinstance(values, str) else values)
    ]


@router.post(
    SUBSCRIPTIONS,
    status_code=201,
    summary="Subscribe a webhook to a SimpleEventQuery: every matching event, in order",
    responses=_PROBLEMS,
)
async def subscribe(
    body: SubscriptionRequest, response: Response, session: SessionDep, viewer: ViewerDep
) -> SubscriptionView:
    if viewer.msp_id is None and not viewer.sees_all:
        raise HTTPException(403, "subscriptions read as an organization; you belong to none")
    if body.dest.scheme not in ("http", "https"):
        raise HTTPException(422, "dest must be an http or https URL")
    try:
        parsed = parse_query(_items(body.query))
    except epcis_queries.InvalidQuery as exc:
        raise HTTPException(400, f"QueryParameterException: {exc}") from exc
    row = EpcisSubscription(
        id=uuid.uuid4(),
        msp_id=viewer.msp_id or "",
        created_by_id=viewer.user_id,
        sees_all=viewer.sees_all,
        query={"query": parsed.as_json(), "parameters": body.query},
        destination=str(body.dest),
        secret=body.signatureToken,
        block_number=-1,
        delivered=[],
        failures=0,
        delivered_count=0,
        next_attempt_at=datetime.now(UTC),
        created_at=datetime.now(UTC),
    )
    session.add(row)
    await session.commit()
    response.headers["Location"] = f"/epcis{SUBSCRIPTIONS}/{row.id}"
    return _subscription(row)


async def _own_subscription(
    id: uuid.UUID, session: SessionDep, viewer: ViewerDep
) -> EpcisSubscription:
    row = await session.get(EpcisSubscription, id)
    if row is None or not (viewer.sees_all or row.msp_id == viewer.msp_id):
        raise HTTPException(404, f"no subscription {id} that you may see")
    return row


SubscriptionDep = Annotated[EpcisSubscription, Depends(_own_subscription)]


@router.get(SUBSCRIPTIONS, summary="Your organization's subscriptions", responses=_PROBLEMS)
async def subscriptions(session: SessionDep, viewer: ViewerDep) -> list[SubscriptionView]:
    query = select(EpcisSubscription).order_by(EpcisSubscription.created_at)
    if not viewer.sees_all:
        query = query.where(EpcisSubscription.msp_id == (viewer.msp_id or ""))
    return [_subscription(row) for row in await session.scalars(query)]


@router.get(
    SUBSCRIPTIONS + "/{id}",
    summary="A subscription: what it delivered, and its last error",
    responses=_PROBLEMS,
)
async def subscription(row: SubscriptionDep) -> SubscriptionView:
    return _subscription(row)


@router.delete(SUBSCRIPTIONS + "/{id}", status_code=204, summary="Unsubscribe", responses=_PROBLEMS)
async def unsubscribe(row: SubscriptionDep, session: SessionDep) -> None:
    await session.delete(row)
    await session.commit()
