"""What `provena up` runs: the database, the embedded ledger beside it, and the API server."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager

import typer
import uvicorn

from provena.api.app import create_app
from provena.api.ledger import devnet_settings
from provena.api.tracing import configure_tracing
from provena.db import bootstrap
from provena.demo_world import seed_in_background
from provena.devnet.process import devnet_process
from provena.settings import Settings

__all__ = ["serve"]


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints Provena's URL once it accepts connections."""

    def __init__(self, config: uvicorn.Config, url: str, with_web: bool) -> None:
        super().__init__(config)
        self._url = url
        self._with_web = with_web

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Stop on SIGINT/SIGTERM, then return normally so the ledger and the chaincode
        beside it are stopped too (uvicorn's own handler re-raises the signal instead)."""
        loop = asyncio.get_running_loop()
        stopping = (signal.SIGINT, signal.SIGTERM)
        for sig in stopping:
            loop.add_signal_handler(sig, self.handle_exit, sig, None)
        try:
            yield
        finally:
            for sig in stopping:
                loop.remove_signal_handler(sig)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            typer.echo(f"Provena is up at {self._url}")
            if not self._with_web:
                typer.echo("(the web app is not built: `make web` builds it)")


@asynccontextmanager
async def _embedded_ledger(settings: Settings) -> AsyncIterator[Settings]:
    """The devnet with Provena's contracts beside it, in a process of its own; yields the
    settings pointing at it."""
    async with devnet_process(settings.data_dir / "devnet", settings.devnet_listen) as config:
        yield devnet_settings(settings, config)


async def serve(settings: Settings, *, seed: bool = True) -> None:
    """Migrate and seed the database, start the embedded ledger (unless disabled), then serve
    the API and web app until SIGINT/SIGTERM; with `seed`, the demo world is seeded once."""
    await bootstrap(settings.sqlalchemy_url)
    tracing = configure_tracing(settings)
    async with AsyncExitStack() as stack:
        if tracing is not None:
            stack.callback(tracing.shutdown)  # what is still batched goes out
        running = settings
        if settings.devnet:
            running = await stack.enter_async_context(_embedded_ledger(settings))
        app = create_app(running)
        config = uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            proxy_headers=False,
        )
        server = _AnnouncingServer(config, settings.base_url, settings.web_root is not None)
        if seed:
            await stack.enter_async_context(seed_in_background(app, server))
        await server.serve()
