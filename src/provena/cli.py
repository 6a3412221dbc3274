"""The `provena` command line."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from pydantic import ValidationError

from provena import __version__
from provena.chaincode.cli import chaincode_app
from provena.devnet.cli import devnet_app
from provena.fabric.cli import ledger_app
from provena.ipfs.cli import ipfs_app
from provena.projections.cli import projections_app

app = typer.Typer(help="Provena: verifiable supply chains.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(ledger_app, name="ledger")
app.add_typer(ipfs_app, name="ipfs")
app.add_typer(devnet_app, name="devnet")
app.add_typer(chaincode_app, name="chaincode")
app.add_typer(projections_app, name="projections")

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where Provena keeps its data [default: ./.provena]"),
]


def _settings(**overrides: Any) -> Any:
    from provena.settings import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        messages = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        typer.secho(f"error: invalid configuration: {messages}", err=True, fg="red")
        raise typer.Exit(2) from exc


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


@app.command()
def version() -> None:
    """Print Provena's version."""
    typer.echo(__version__)


@asynccontextmanager
async def _embedded_ledger(settings: Any) -> AsyncIterator[Any]:
    """The devnet with Provena's contracts beside it; yields the settings pointing at it."""
    from provena.devnet.config import DevnetConfig, parse_listen
    from provena.devnet.sidecar import devnet_with_contracts

    host, port = parse_listen(settings.devnet_listen)
    config = DevnetConfig.load(settings.data_dir / "devnet", host=host, port=port)
    async with devnet_with_contracts(config) as ledger:
        devnet = ledger.devnet
        yield settings.model_copy(
            update={
                "ledger_endpoint": devnet.endpoint,
                "ledger_tls_ca": devnet.pki.tls_ca_file if devnet.config.tls else None,
                "ledger_server_name": devnet.pki.server_name,
                "ledger_channel": devnet.channel,
            }
        )


@app.command()
def up(
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on [default: 127.0.0.1]")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on [default: 8000]")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Start Provena: migrate the database, seed the demo world, start the embedded ledger
    with the contracts, and serve the API and web app."""
    from provena.api.app import create_app
    from provena.api.observability import configure_logging
    from provena.db import bootstrap

    settings = _settings(host=host, port=port, data_dir=data_dir)
    configure_logging(settings.log_level, json_lines=settings.log_json)
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    async def serve() -> None:
        await bootstrap(settings.sqlalchemy_url)
        async with AsyncExitStack() as stack:
            running = settings
            if settings.devnet:
                running = await stack.enter_async_context(_embedded_ledger(settings))
            config = uvicorn.Config(
                create_app(running),
                host=settings.host,
                port=settings.port,
                log_config=None,
                access_log=False,
                proxy_headers=False,
            )
            server = _AnnouncingServer(config, settings.base_url, settings.web_root is not None)
            await server.serve()

    asyncio.run(serve())


@app.command()
def openapi(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write")] = None,
) -> None:
    """Print (or write) the API's OpenAPI schema."""
    from provena.api.app import create_app

    schema = create_app(_settings(dev_issuer=False, oidc_issuer="http://issuer.invalid")).openapi()
    text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
    data_dir: DataDirOption = None,
) -> None:
    """Apply database migrations up to REVISION (default: the latest)."""
    from provena.db import current_revision, upgrade

    settings = _settings(data_dir=data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(upgrade(settings.sqlalchemy_url, revision))
    typer.echo(f"database at revision {asyncio.run(current_revision(settings.sqlalchemy_url))}")


def main() -> None:
    app()
