"""The FastAPI application: `create_app(settings)`.

Wires the database, the token validator (against the configured OIDC issuer, or
the embedded development issuer mounted at `/dev-oidc`), the content layer (object
store, IPFS blockstore and sandboxed trustless gateway, documents), the ledger (each
person's wallet identity, writes tracked until they settle, the event listener that keeps
the projections and the live feed), reads and public verification, readiness checks,
metrics, problem details, offline API docs and the built web app; security headers on
every response, CORS for the configured origins only, and a rate limit on sign-ins.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from provena import __version__, projections
from provena.api.checks import readiness_checks
from provena.api.directory import UserDirectory
from provena.api.docs import install_docs
from provena.api.headers import SecurityHeaders, security_headers
from provena.api.ledger import open_ledger
from provena.api.observability import Metrics, RequestContext
from provena.api.problems import install_problem_handlers
from provena.api.routes import (
    admin,
    certificates,
    coldchain,
    config,
    documents,
    epcis,
    events,
    health,
    me,
    network,
    recalls,
    registry,
    shipments,
    trace,
    transactions,
    transformations,
    users,
    verify,
    wallet,
)
from provena.api.routes.storage import storage_router
from provena.api.state import AppState
from provena.api.web import SinglePageApp
from provena.db import Database
from provena.documents import DocumentService
from provena.events import EventListener, FeedHub
from provena.identity import GroupMapping, JwksCache, TokenValidator
from provena.identity.devissuer import DevIssuer, dev_issuer_router, load_or_create_key
from provena.ipfs import (
    Blockstore,
    ContentStore,
    gateway_router,
    open_blockstore,
    open_content_store,
    resolve_profile,
)
from provena.ipfs.sandbox import SandboxedPrefix
from provena.settings import DEV_ISSUER_PATH, Settings
from provena.storage import LocalObjectStore, ObjectStore, open_object_store
from provena.tracking.capture import CaptureService
from provena.tracking.subscriptions import SubscriptionDelivery
from provena.verification import TokenBuckets

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The Provena API for `settings` (default: read from the environment)."""
    settings = settings or Settings()
    dev_issuer = _dev_issuer(settings) if settings.dev_issuer else None
    metrics = Metrics()
    objects = open_object_store(settings)
    blockstore = open_blockstore(settings, objects)
    content = _Content(objects, blockstore, open_content_store(settings, blockstore))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = _build_state(app, settings, metrics, dev_issuer, content)
        app.state.provena = state
        # The live feed's hub (provena.events): wakes this process's SSE clients.
        app.state.feed_hub = hub = FeedHub(state.database)
        await hub.start()
        metrics.sse_clients.set_function(lambda: hub.subscribers)
        listening = _start_listener(settings, state, metrics)
        capture: CaptureService | None = None
        if state.ledger is not None:  # settle what an earlier process left pending
            await state.ledger.transactions.resume()
            capture = CaptureService(
                state.database, state.ledger.transactions, projected=hub.wait_announced
            )
            await capture.recover()
        app.state.epcis_capture = capture
        try:
            yield
        finally:
            if listening is not None:
                listening.cancel()
                await asyncio.gather(listening, return_exceptions=True)
            if capture is not None:
                await capture.aclose()
            if state.ledger is not None:
                await state.ledger.aclose()
            await state.readiness.aclose()
            await app.state.feed_hub.aclose()
            await state.http.aclose()
            await state.database.dispose()
            await objects.aclose()

    app = FastAPI(
        title="Provena API",
        version=__version__,
        summary="Verifiable supply chains: certificates, shipments, custody and documents.",
        lifespan=lifespan,
        docs_url=None,  # served by install_docs, with local assets
        redoc_url=None,
    )
    install_docs(app)
    app.add_middleware(RequestContext, metrics=metrics)
    app.add_middleware(SandboxedPrefix, prefix="/ipfs")  # gateway content never runs here
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
            expose_headers=["Location", "Retry-After", "X-Request-ID"],
        )
    app.add_middleware(SecurityHeaders, headers=security_headers(settings))
    install_problem_handlers(app)
    for module in (
        health,
        config,
        me,
        users,
        documents,
        certificates,
        shipments,
        registry,
        admin,
        transactions,
        wallet,
        network,
        verify,
        epcis,
        trace,
        transformations,
        recalls,
        coldchain,
    ):
        app.include_router(module.router)
    app.include_router(verify.short_router)  # /v/c/{id}, /v/s/{id}: the QR codes' URLs
    app.include_router(events.router)  # the live feed (Server-Sent Events)
    app.include_router(gateway_router(blockstore))
    if isinstance(objects, LocalObjectStore):
        app.include_router(storage_router(objects))

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    if dev_issuer is not None:
        app.include_router(
            dev_issuer_router(dev_issuer, DEV_ISSUER_PATH),
            dependencies=[Depends(_signin_limit(settings))],
        )
    if settings.web_root is not None:
        app.mount("/", SinglePageApp(settings.web_root), name="web")
    return app


def _start_listener(
    settings: Settings, state: AppState, metrics: Metrics
) -> asyncio.Task[None] | None:
    """The event listener that keeps the projections and the feed, and the EPCIS webhook
    deliveries, when this process runs it (`PROVENA_EVENT_LISTENER`); with several
    processes one is active, the others stand by."""
    if state.ledger is None or not settings.event_listener:
        return None
    listener = EventListener(
        state.database,
        state.ledger.reader_gateway,
        channel=settings.ledger_channel,
        chaincode=settings.ledger_chaincode,
        handler=projections.apply,
        on_applied=metrics.applied,
    )

    # EPCIS webhooks go out from the process whose listener is active: one sender.
    async def follow() -> None:
        async with httpx.AsyncClient(follow_redirects=False) as outside:
            webhooks = SubscriptionDelivery(
                state.database,
                outside,
                active=lambda: listener.active,
                max_backoff=settings.webhook_max_backoff_seconds,
            )
            await asyncio.gather(listener.run(), webhooks.run())

    return asyncio.create_task(follow(), name="event listener")


def _signin_limit(settings: Settings) -> Callable[[Request], Awaitable[None]]:
    """A dependency limiting the development issuer's sign-ins and token requests (its POSTs)
    per client IP; past the limit, 429 with Retry-After. Discovery and keys stay unlimited."""
    buckets = TokenBuckets(
        rate_per_minute=settings.signin_rate_per_minute, burst=settings.signin_burst
    )

    async def limited(request: Request) -> None:
        if request.method != "POST":
            return
        wait = buckets.take(request.client.host if request.client else "unknown")
        if wait:
            retry = "3600" if math.isinf(wait) else str(max(1, math.ceil(wait)))
            raise HTTPException(429, "too many sign-in requests", headers={"Retry-After": retry})

    return limited


def _dev_issuer(settings: Settings) -> DevIssuer:
    return DevIssuer(
        issuer=settings.issuer_url,
        key=load_or_create_key(settings.data_dir / "dev-issuer" / "signing-key.pem"),
        client_id=settings.oidc_client_id,
        audience=settings.oidc_audience,
        role_groups=settings.oidc_role_groups,
        org_groups=settings.oidc_org_groups,
        redirect_uris=settings.oidc_redirect_uris,
    )


@dataclass(frozen=True, slots=True)
class _Content:
    objects: ObjectStore
    blockstore: Blockstore
    store: ContentStore


def _build_state(
    app: FastAPI,
    settings: Settings,
    metrics: Metrics,
    dev_issuer: DevIssuer | None,
    content: _Content,
) -> AppState:
    # The development issuer is served by this very app: reach it in-process, through
    # the same discovery and JWKS requests a remote issuer gets.
    transport = httpx.ASGITransport(app=app) if dev_issuer is not None else None
    http = httpx.AsyncClient(transport=transport, timeout=10.0, follow_redirects=False)
    discovery = settings.oidc_discovery_url or (
        settings.issuer_url + "/.well-known/openid-configuration"
    )
    expected_issuer = settings.oidc_expected_issuer or settings.issuer_url
    jwks = JwksCache(
        client=http,
        discovery_url=discovery,
        issuer=expected_issuer,
        jwks_url=settings.oidc_jwks_url,
        cache_seconds=settings.oidc_jwks_cache_seconds,
        min_refresh_seconds=settings.oidc_jwks_min_refresh_seconds,
    )
    validator = TokenValidator(
        jwks=jwks,
        issuer=expected_issuer,
        audience=settings.oidc_audience,
        groups=GroupMapping(settings.oidc_role_groups, settings.oidc_org_groups),
        groups_claim=settings.oidc_groups_claim,
        leeway_seconds=settings.oidc_leeway_seconds,
    )
    database = Database.from_url(settings.sqlalchemy_url)
    readiness = readiness_checks(
        settings=settings,
        database=database,
        jwks=jwks,
        objects=content.objects,
        blockstore=content.blockstore,
    )
    documents = DocumentService(
        database=database,
        content=content.store,
        objects=content.objects,
        object_store_name=settings.storage_backend,
        profile=resolve_profile(settings.ipfs_profile),
        max_size=settings.storage_max_object_size,
        spool_dir=settings.data_dir / "spool",
    )
    return AppState(
        settings=settings,
        database=database,
        directory=UserDirectory(database),
        documents=documents,
        jwks=jwks,
        validator=validator,
        readiness=readiness,
        metrics=metrics,
        http=http,
        dev_issuer=dev_issuer,
        ledger=open_ledger(settings, database, on_outcome=metrics.settled),
    )
